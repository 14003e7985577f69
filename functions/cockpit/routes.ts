import * as z from 'zod';
import { Portfolio, ServiceAnalytics } from '#shared/analytics/cockpit.ts';
import { errorResponses as errors } from '#shared/platform/http/errors-schema.ts';
import type { RouteDef } from '#shared/platform/http/route.ts';
import { atLeast } from '#shared/platform/roles.ts';

export const cockpitRoutes = {
  portfolio: {
    method: 'GET',
    path: '/cockpit/portfolio',
    operationId: 'portfolio',
    summary:
      'The portfolio: every account placed on the value × position matrix and the monitoring quadrant, expected profit and CLV, churn risk with its reasons, this month’s movements, the lost accounts, and the churn policy’s backtest',
    tag: 'Cockpit',
    roles: ['account-manager'],
    responses: { 200: { description: 'The portfolio', schema: Portfolio }, 500: errors[500] },
  },
  service: {
    method: 'GET',
    path: '/cockpit/service',
    operationId: 'serviceAnalytics',
    summary:
      'Service analytics over the last complete weeks: calls by account, hour and origin; complaints by category and severity; SLA compliance by tier; on-time and perfect-order rates; alerts; callback outcomes',
    tag: 'Cockpit',
    roles: atLeast('team-lead'),
    query: z.object({
      weeks: z.coerce
        .number()
        .int()
        .min(1)
        .max(26)
        .default(12)
        .meta({ description: 'How many complete weeks' }),
    }),
    responses: {
      200: { description: 'The analytics', schema: ServiceAnalytics },
      400: errors[400],
      500: errors[500],
    },
  },
} satisfies Record<string, RouteDef>;
