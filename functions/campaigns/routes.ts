import * as z from 'zod';
import { AccountId } from '#shared/accounts/model.ts';
import { AccountFollowUp } from '#shared/campaigns/follow-up-log.ts';
import { SATISFACTION_TRENDS } from '#shared/campaigns/follow-ups.ts';
import {
  Audience,
  CALLBACK_STATES,
  CAMPAIGN_STATUSES,
  CAMPAIGN_TYPES,
  Callback,
  Campaign,
  CampaignInput,
  CampaignInputDoc,
  DISPOSITIONS,
} from '#shared/campaigns/model.ts';
import { JournalLine } from '#shared/inbound/model.ts';
import { errorResponses as errors } from '#shared/platform/http/errors-schema.ts';
import { PageQuery, pageOf } from '#shared/platform/http/page.ts';
import type { RouteDef } from '#shared/platform/http/route.ts';
import { atLeast } from '#shared/platform/roles.ts';

export const CampaignView = Campaign.extend({
  reachRate: z.number().nullable(),
  remaining: z.number(),
}).meta({ id: 'Campaign' });

export const CallbackView = Callback.meta({ id: 'Callback' });

const Id = z.object({ id: z.string().min(1).max(64) });
/** Campaigns are set up and steered by team leads and managers; every agent works their calls. */
const LEADS = atLeast('team-lead');

export const campaignRoutes = {
  create: {
    method: 'POST',
    path: '/campaigns',
    operationId: 'createCampaign',
    summary: 'Create a campaign from a segment or a list; do-not-call and unconsented contacts are excluded',
    tag: 'Campaigns',
    roles: LEADS,
    idempotent: true,
    body: CampaignInput,
    documentedBody: CampaignInputDoc,
    responses: {
      201: {
        description:
          'Created. Refused (400): an audience with no one to call (body.audience), a window that does not open within 15 days (body.window) or ends at its start (body.window.end), an expiresAt already past, and pacing.quotaPerSecond or pacing.burst (the deployment sets the Connect quota)',
        schema: CampaignView,
      },
      ...errors,
    },
  },
  preview: {
    method: 'POST',
    path: '/campaigns/preview',
    operationId: 'previewAudience',
    roles: LEADS,
    summary: 'Audience-size preview: targets and exclusions by reason',
    tag: 'Campaigns',
    body: z.object({
      audience: Audience,
      type: z
        .enum(CAMPAIGN_TYPES)
        .default('account-review')
        .meta({ description: 'The campaign type: a lost account takes retention calls only' }),
    }),
    responses: {
      200: {
        description: 'The audience',
        schema: z.object({
          targets: z.number(),
          accounts: z.number(),
          excluded: z.record(z.string(), z.number()),
          sample: z.array(z.object({ accountName: z.string(), contactName: z.string(), tier: z.string() })),
        }),
      },
      400: errors[400],
      500: errors[500],
    },
  },
  list: {
    method: 'GET',
    path: '/campaigns',
    operationId: 'listCampaigns',
    summary: 'Campaigns with their live progress, newest first, a page at a time',
    tag: 'Campaigns',
    query: z.object({ status: z.enum(CAMPAIGN_STATUSES).optional(), ...PageQuery }),
    responses: {
      200: { description: 'A page of campaigns', schema: pageOf(CampaignView) },
      400: errors[400],
      500: errors[500],
    },
  },
  get: {
    method: 'GET',
    path: '/campaigns/{id}',
    operationId: 'getCampaign',
    summary: 'A campaign with its progress',
    tag: 'Campaigns',
    params: Id,
    responses: {
      200: { description: 'The campaign', schema: CampaignView },
      404: errors[404],
      500: errors[500],
    },
  },
  control: {
    method: 'POST',
    path: '/campaigns/{id}/actions',
    operationId: 'controlCampaign',
    roles: LEADS,
    summary:
      'Start, pause, resume or cancel; takes effect on the next dialer run. A standing campaign (customer-callbacks, complaint-follow-up, proactive-delay-call, account-follow-up, retention-calls) is refused (409)',
    tag: 'Campaigns',
    params: Id,
    body: z.object({ action: z.enum(['start', 'pause', 'resume', 'cancel']) }).meta({ id: 'CampaignAction' }),
    responses: { 200: { description: 'The campaign', schema: CampaignView }, ...errors },
  },
  callbacks: {
    method: 'GET',
    path: '/campaigns/{id}/callbacks',
    operationId: 'listCallbacks',
    summary: 'The callbacks of a campaign, by state, a page at a time',
    tag: 'Campaigns',
    params: Id,
    query: z.object({ state: z.enum(CALLBACK_STATES).optional(), ...PageQuery }),
    responses: {
      200: { description: 'A page of callbacks', schema: pageOf(CallbackView) },
      400: errors[400],
      404: errors[404],
      500: errors[500],
    },
  },
  callback: {
    method: 'GET',
    path: '/callbacks/{id}',
    operationId: 'getCallback',
    summary: 'One callback',
    tag: 'Campaigns',
    params: Id,
    responses: {
      200: { description: 'The callback', schema: CallbackView },
      404: errors[404],
      500: errors[500],
    },
  },
  dispose: {
    method: 'POST',
    path: '/callbacks/{id}/disposition',
    operationId: 'disposeCallback',
    summary: 'The agent’s disposition of a callback, with optional notes',
    tag: 'Campaigns',
    params: Id,
    body: z
      .object({
        disposition: z.enum(DISPOSITIONS),
        notes: z.string().trim().max(1000).optional(),
        satisfaction: z
          .number()
          .int()
          .min(1)
          .max(5)
          .optional()
          .meta({ description: "A scheduled follow-up (回访): the client's satisfaction, 1–5" }),
      })
      .meta({ id: 'Disposition' }),
    responses: { 200: { description: 'The callback', schema: CallbackView }, ...errors },
  },
  followUps: {
    method: 'GET',
    path: '/accounts/{id}/follow-ups',
    operationId: 'accountFollowUps',
    summary:
      "The account's scheduled follow-up calls (回访: key accounts monthly, others quarterly): outcomes, satisfaction and its trend",
    tag: 'Campaigns',
    params: z.object({ id: AccountId }),
    responses: {
      200: {
        description: 'Newest first; the trend compares the last three scores with the three before',
        schema: z.object({ items: z.array(AccountFollowUp), trend: z.enum(SATISFACTION_TRENDS) }),
      },
      400: errors[400],
      404: errors[404],
      500: errors[500],
    },
  },
  journal: {
    method: 'GET',
    path: '/calls',
    operationId: 'callerJournal',
    summary:
      'The caller journal: inbound calls of the last hours with how they ended, missed and abandoned calls needing a callback first',
    tag: 'Caller journal',
    query: z.object({
      hours: z.coerce
        .number()
        .int()
        .min(1)
        .max(48)
        .default(24)
        .meta({ description: 'How far back, in hours' }),
    }),
    responses: {
      200: { description: 'The journal', schema: z.object({ items: z.array(JournalLine) }) },
      400: errors[400],
      500: errors[500],
    },
  },
  journalCallback: {
    method: 'POST',
    path: '/calls/{id}/callback',
    operationId: 'bookJournalCallback',
    summary:
      "Book a callback to a journal call's number, in the customer-callback campaign (one pending per number: a second booking answers the first)",
    tag: 'Caller journal',
    params: Id,
    responses: {
      200: {
        description: 'The callback, and whether this request booked it',
        schema: z.object({ callback: CallbackView, created: z.boolean() }),
      },
      ...errors,
    },
  },
} satisfies Record<string, RouteDef>;
