import * as z from 'zod';
import { AccountId } from '#shared/accounts/model.ts';
import { ServiceMetrics } from '#shared/complaints/metrics.ts';
import { COMPLAINT_STATUSES, ComplaintInput } from '#shared/complaints/model.ts';
import { Quarter, ReviewPack } from '#shared/complaints/review-pack.ts';
import { ComplaintView } from '#shared/complaints/views.ts';
import { errorResponses as errors } from '#shared/platform/http/errors-schema.ts';
import type { RouteDef } from '#shared/platform/http/route.ts';
import { atLeast } from '#shared/platform/roles.ts';
import { worded } from '#shared/platform/worded-patterns.ts';

const IdParams = z.object({
  id: z
    .string()
    .regex(
      worded(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a complaint id is a 26-character ULID', '投诉 ID 应为 26 位 ULID'),
    ),
});

/** The unresolved-complaint filters, shared by /complaints and the desktop's /desk feed. */
export const ComplaintFilters = z.object({
  owner: z.string().trim().min(1).max(80).optional().meta({ description: 'Complaints of an owner, or `me`' }),
  team: z.string().trim().min(1).max(80).optional(),
  sla: z.enum(['at-risk', 'breached']).optional(),
});

export const complaintRoutes = {
  create: {
    method: 'POST',
    path: '/complaints',
    operationId: 'createComplaint',
    summary: 'Record a complaint; its SLA comes from the account tier × severity',
    tag: 'Complaints',
    // Complaints.create claims the key in the complaint's own transaction and answers a retry
    // (even one whose first reply was lost) with the complaint filed.
    idempotent: 'by-store',
    body: ComplaintInput,
    responses: { 201: { description: 'Recorded', schema: ComplaintView }, ...errors },
  },
  list: {
    method: 'GET',
    path: '/complaints',
    operationId: 'listComplaints',
    summary:
      'Complaints of an account, or every unresolved complaint, or the one complaint a reference names (whatever its status); filters for owner, team and SLA state',
    tag: 'Complaints',
    query: ComplaintFilters.extend({
      accountId: AccountId.optional(),
      reference: z
        .string()
        .regex(worded(/^\d{10}$/, 'a complaint reference is 10 digits', '投诉编号应为 10 位数字'))
        .optional()
        .meta({
          description:
            'The reference a caller quotes (yymmdd + a daily sequence): answers that complaint, open, resolved (awaiting its 回访) or closed, or none',
        }),
      status: z.enum(COMPLAINT_STATUSES).optional(),
    }),
    responses: {
      200: {
        description: 'Complaints, most urgent first',
        schema: z.object({ items: z.array(ComplaintView) }),
      },
      400: errors[400],
      500: errors[500],
    },
  },
  get: {
    method: 'GET',
    path: '/complaints/{id}',
    operationId: 'getComplaint',
    summary: 'A complaint with its history, SLA state and allowed next states',
    tag: 'Complaints',
    params: IdParams,
    responses: {
      200: { description: 'The complaint', schema: ComplaintView },
      400: errors[400],
      404: errors[404],
      500: errors[500],
    },
  },
  transition: {
    method: 'POST',
    path: '/complaints/{id}/transitions',
    operationId: 'transitionComplaint',
    summary: 'Move a complaint along its lifecycle (409 with the allowed next states when illegal)',
    tag: 'Complaints',
    params: IdParams,
    body: z
      .object({
        to: z.enum(COMPLAINT_STATUSES),
        version: z.number().int().positive(),
        note: z.string().trim().max(1000).optional(),
      })
      .meta({ id: 'ComplaintTransition' }),
    responses: { 200: { description: 'The updated complaint', schema: ComplaintView }, ...errors },
  },
  followUp: {
    method: 'POST',
    path: '/complaints/{id}/follow-up',
    operationId: 'recordFollowUp',
    summary:
      'Record the satisfaction follow-up (回访): a low score or a rejection reopens, otherwise it closes',
    tag: 'Complaints',
    params: IdParams,
    body: z
      .object({
        score: z.number().int().min(1).max(5),
        accepted: z.boolean(),
        note: z.string().trim().max(1000).optional(),
        version: z.number().int().positive(),
      })
      .meta({ id: 'FollowUpOutcome' }),
    responses: { 200: { description: 'The updated complaint', schema: ComplaintView }, ...errors },
  },
  metrics: {
    method: 'GET',
    path: '/accounts/{id}/service-metrics',
    operationId: 'serviceMetrics',
    summary:
      'Complaint rate per 1,000 shipments, SLA compliance, mean times, reopen rate, first-contact resolution (90 days)',
    tag: 'Complaints',
    params: z.object({ id: AccountId }),
    responses: {
      200: { description: 'The metrics', schema: ServiceMetrics },
      404: errors[404],
      500: errors[500],
    },
  },
  reviewPack: {
    method: 'GET',
    path: '/accounts/{id}/review-pack',
    operationId: 'quarterlyReviewPack',
    roles: atLeast('team-lead'),
    summary:
      'The quarterly project review pack (季度项目复盘): delivery KPIs against the commitment, complaints, SLA, open issues with their dates, follow-up satisfaction',
    tag: 'Complaints',
    params: z.object({ id: AccountId }),
    query: z.object({ quarter: Quarter.optional().meta({ description: 'Default: the current quarter' }) }),
    responses: {
      200: { description: 'The pack', schema: ReviewPack },
      400: errors[400],
      404: errors[404],
      500: errors[500],
    },
  },
} satisfies Record<string, RouteDef>;
