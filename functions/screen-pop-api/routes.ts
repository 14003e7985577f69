import * as z from 'zod';
import { AccountId } from '#shared/accounts/model.ts';
import { ComplaintView } from '#shared/complaints/views.ts';
import { ScreenPopCard as ScreenPopCardSchema } from '#shared/inbound/card.ts';
import { JournalLine } from '#shared/inbound/model.ts';
import { ErrorBody, errorResponses } from '#shared/platform/http/errors-schema.ts';
import type { RouteDef } from '#shared/platform/http/route.ts';
import { worded } from '#shared/platform/worded-patterns.ts';
import { CampaignView } from '../campaigns/routes.ts';
import { ComplaintFilters } from '../complaints/routes.ts';

const Phone = z
  .string()
  .trim()
  .min(3)
  // Room for the softphone's SIP URI of the number (sip:+86…@host), which the screen pop reads.
  .max(100)
  .meta({
    description: 'The calling number: E.164, national (read as CN), or a tel/SIP URI',
    example: '+8613910012001',
  });

/** A live panel's section: its tag, and its items unless the request already held that tag. */
const Section = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      tag: z.string().meta({ description: 'Changes exactly when the items do' }),
      items: z
        .array(item)
        .optional()
        .meta({ description: 'Absent when the request named this tag in `have`' }),
    })
    .meta({ id: `Desk${name}` });

export const DESK_SECTIONS = ['complaints', 'campaigns', 'calls'] as const;

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
  desk: {
    method: 'GET',
    path: '/desk',
    operationId: 'deskFeed',
    summary:
      "The desktop's live panels in one request: unresolved complaints (filtered as /complaints), campaigns and the caller journal, each with a tag; a section whose tag the request holds comes back without items",
    tag: 'Desktop',
    query: ComplaintFilters.extend({
      have: z
        .string()
        .max(300)
        .regex(
          worded(
            /^([a-z]+\.[A-Za-z0-9_-]+)?(,[a-z]+\.[A-Za-z0-9_-]+)*$/,
            'section.tag pairs, comma-separated',
            '应为以逗号分隔的“栏目.标签”对',
          ),
        )
        .optional()
        .meta({ description: 'The tags the desktop holds, e.g. `complaints.x1,campaigns.y2,calls.z3`' }),
    }),
    responses: {
      200: {
        description: 'The sections',
        schema: z.object({
          complaints: Section(ComplaintView, 'Complaints'),
          campaigns: Section(CampaignView, 'Campaigns'),
          calls: Section(JournalLine, 'Calls'),
        }),
      },
      400: errorResponses[400],
      500: errorResponses[500],
    },
  },
} satisfies Record<string, RouteDef>;
