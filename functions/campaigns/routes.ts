import { z } from 'zod';
import {
  Audience,
  CALLBACK_STATES,
  CAMPAIGN_STATUSES,
  CampaignInput,
  DISPOSITIONS,
} from '#shared/domain/campaign.ts';
import { errorResponses as errors } from '#shared/http/errors-schema.ts';
import type { RouteDef } from '#shared/http/route.ts';

const Counts = z.object({
  targets: z.number(),
  excluded: z.record(z.string(), z.number()),
  dialed: z.number(),
  reached: z.number(),
  completed: z.number(),
  failed: z.number(),
  expired: z.number(),
  cancelled: z.number(),
  active: z.number(),
});

export const CampaignView = CampaignInput.omit({ startNow: true })
  .extend({
    id: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    counts: Counts,
    reachRate: z.number().nullable(),
    remaining: z.number(),
    createdAt: z.string(),
    version: z.number(),
  })
  .meta({ id: 'Campaign' });

export const CallbackView = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    reason: z.string(),
    accountId: z.string(),
    accountName: z.string().optional(),
    contactName: z.string().optional(),
    phone: z.string().optional(),
    state: z.enum(CALLBACK_STATES),
    attempts: z.number(),
    maxAttempts: z.number(),
    dueAt: z.string(),
    timeZone: z.string(),
    disposition: z.string().optional(),
    notes: z.string().optional(),
    complaintReference: z.string().optional(),
  })
  .meta({ id: 'Callback' });

const Id = z.object({ id: z.string().min(1).max(64) });

export const campaignRoutes = {
  create: {
    method: 'POST',
    path: '/campaigns',
    operationId: 'createCampaign',
    summary: 'Create a campaign from a segment or a list; do-not-call and unconsented contacts are excluded',
    tag: 'Campaigns',
    idempotent: true,
    body: CampaignInput,
    responses: { 201: { description: 'Created', schema: CampaignView }, ...errors },
  },
  preview: {
    method: 'POST',
    path: '/campaigns/preview',
    operationId: 'previewAudience',
    summary: 'Audience-size preview: targets and exclusions by reason',
    tag: 'Campaigns',
    body: z.object({ audience: Audience }),
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
    summary: 'Campaigns with their live progress',
    tag: 'Campaigns',
    query: z.object({ status: z.enum(CAMPAIGN_STATUSES).optional() }),
    responses: {
      200: { description: 'Campaigns', schema: z.object({ items: z.array(CampaignView) }) },
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
    summary: 'Start, pause, resume or cancel; takes effect on the next dialer run',
    tag: 'Campaigns',
    params: Id,
    body: z.object({ action: z.enum(['start', 'pause', 'resume', 'cancel']) }).meta({ id: 'CampaignAction' }),
    responses: { 200: { description: 'The campaign', schema: CampaignView }, ...errors },
  },
  callbacks: {
    method: 'GET',
    path: '/campaigns/{id}/callbacks',
    operationId: 'listCallbacks',
    summary: 'The callbacks of a campaign',
    tag: 'Campaigns',
    params: Id,
    query: z.object({ state: z.enum(CALLBACK_STATES).optional() }),
    responses: {
      200: { description: 'Callbacks', schema: z.object({ items: z.array(CallbackView) }) },
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
      .object({ disposition: z.enum(DISPOSITIONS), notes: z.string().trim().max(1000).optional() })
      .meta({ id: 'Disposition' }),
    responses: { 200: { description: 'The callback', schema: CallbackView }, ...errors },
  },
} satisfies Record<string, RouteDef>;
