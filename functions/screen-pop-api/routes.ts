import { z } from 'zod';
import { AccountId } from '#shared/accounts/model.ts';
import { ScreenPopCard as ScreenPopCardSchema } from '#shared/inbound/card.ts';
import { ErrorBody, errorResponses } from '#shared/platform/http/errors-schema.ts';
import type { RouteDef } from '#shared/platform/http/route.ts';

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
