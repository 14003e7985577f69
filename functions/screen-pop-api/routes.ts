import { z } from 'zod';
import { AccountId, AccountWithContacts, Contact } from '#shared/domain/account.ts';
import { TIERS } from '#shared/domain/prioritization.ts';
import { ErrorBody, errorResponses } from '#shared/http/errors-schema.ts';
import type { RouteDef } from '#shared/http/route.ts';
import { ComplaintView, ServiceMetrics } from '../complaints/routes.ts';

const Line = z.object({
  waybill: z.string(),
  origin: z.string(),
  destination: z.string(),
  cargo: z.string().optional(),
  temperatureRange: z.string().optional(),
  status: z.string(),
  promisedAt: z.string(),
  eta: z.string(),
  delayed: z.boolean(),
  minutesLate: z.number(),
  delayReason: z.string(),
  exceptionReason: z.string().optional(),
  lastMilestone: z.string().optional(),
  lastLocation: z.string().optional(),
  lastScanAt: z.string().optional(),
  delayState: z.string().optional(),
  delaySeverity: z.string().optional(),
});

export const ScreenPopCardSchema = z
  .object({
    lookupStatus: z.enum(['ok', 'ambiguous', 'unknown']),
    phone: z.string().optional(),
    account: AccountWithContacts.optional(),
    routingQueue: z.string().optional(),
    contact: Contact.optional(),
    otherMatches: z.array(
      z.object({
        accountId: z.string(),
        accountName: z.string(),
        tier: z.enum(TIERS),
        contactName: z.string(),
        contactId: z.string(),
      }),
    ),
    stats: z
      .object({ openComplaints: z.number(), delayedShipments: z.number(), inTransitShipments: z.number() })
      .optional(),
    kpis: z
      .object({
        windowDays: z.number(),
        delivered: z.number(),
        onTimeRate: z.number().nullable(),
        fillRate: z.number().nullable(),
        errorFreeRate: z.number().nullable(),
        perfectOrderRate: z.number().nullable(),
      })
      .optional(),
    openComplaints: z.object({ count: z.number(), items: z.array(ComplaintView) }),
    serviceMetrics: ServiceMetrics.optional(),
    shipments: z.array(Line),
    recentCalls: z.array(
      z.object({
        connectContactId: z.string(),
        at: z.string(),
        accountId: z.string(),
        contactName: z.string().optional(),
        lookupStatus: z.string(),
        direction: z.string(),
      }),
    ),
    actions: z.array(
      z.object({
        code: z.string(),
        urgency: z.enum(['high', 'medium', 'low']),
        zh: z.string(),
        en: z.string(),
      }),
    ),
  })
  .meta({ id: 'ScreenPopCard' });

const Phone = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .meta({ description: 'The calling number, E.164 or national (read as CN)', example: '+8613910012001' });

export const screenPopRoutes = {
  byPhone: {
    method: 'GET',
    path: '/screen-pop',
    operationId: 'screenPopByPhone',
    summary: 'The screen-pop card for a calling number (unknown callers get lookupStatus=unknown)',
    tag: 'Screen pop',
    query: z.object({ phone: Phone }),
    responses: {
      200: { description: 'The card', schema: ScreenPopCardSchema },
      400: errorResponses[400],
      500: errorResponses[500],
    },
  },
  byAccount: {
    method: 'GET',
    path: '/accounts/{id}/screen-pop',
    operationId: 'screenPopByAccount',
    summary: 'The screen-pop card for an account, optionally for a calling number',
    tag: 'Screen pop',
    params: z.object({ id: AccountId }),
    query: z.object({ phone: Phone.optional() }),
    responses: {
      200: { description: 'The card', schema: ScreenPopCardSchema },
      404: { description: 'Unknown account', schema: ErrorBody },
      400: errorResponses[400],
      500: errorResponses[500],
    },
  },
} satisfies Record<string, RouteDef>;
