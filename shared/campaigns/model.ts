import * as z from 'zod';
import { AccountId, type AccountWithContacts, type Contact, SEGMENTS } from '../accounts/model.ts';
import { QUADRANTS, TIERS } from '../accounts/prioritization.ts';
import { refusal } from '../platform/messages/index.ts';
import { SKIP_REASONS, type SkipReason } from './consent.ts';

export const CAMPAIGN_TYPES = [
  'customer-callback',
  'complaint-follow-up',
  'account-review',
  'retention',
  'delay-call',
] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];
export const CAMPAIGN_STATUSES = ['draft', 'running', 'paused', 'cancelled', 'completed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CALLBACK_STATES = [
  'scheduled',
  'dialing',
  'dialed',
  'connected',
  'completed',
  'retry-scheduled',
  'failed',
  'expired',
  'cancelled',
  'skipped',
] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];
export const DISPOSITIONS = [
  'reached',
  'voicemail',
  'wrong-number',
  'declined',
  'resolved',
  'needs-follow-up',
] as const;
/** Why a contact is left out of a campaign when it is planned (the call rule, or no number). */
export type ExclusionReason = SkipReason | 'no-phone';

/** States a callback can still be dialed from. */
export const PENDING_STATES: CallbackState[] = [
  'scheduled',
  'retry-scheduled',
  'dialing',
  'dialed',
  'connected',
];

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, 24-hour clock');

export const Audience = z
  .object({
    tiers: z.array(z.enum(TIERS)).optional(),
    segments: z.array(z.enum(SEGMENTS)).optional(),
    regions: z.array(z.string().trim().min(1)).optional(),
    quadrants: z.array(z.enum(QUADRANTS)).optional(),
    tags: z.array(z.string().trim().min(1)).optional(),
    accountIds: z
      .array(AccountId)
      .max(500)
      .optional()
      .meta({ description: 'An explicit list instead of (or on top of) a segment filter' }),
    /** One contact per account (account reviews, retention) or every contact with a phone. */
    onePerAccount: z.boolean().default(true),
  })
  .meta({ id: 'Audience' });
export type Audience = z.output<typeof Audience>;

export const WindowSchema = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5, 6]),
    start: HHMM.default('09:00'),
    end: HHMM.default('20:00'),
    holidays: z.array(z.iso.date()).max(60).default([]),
  })
  // An end equal to its start would read as 24 hours: calls at 03:00.
  .refine((w) => w.start !== w.end, { path: ['end'], ...refusal('campaign.window.same-start-end') })
  .meta({
    id: 'CallingWindow',
    description:
      'Evaluated in each contact’s own time zone; an end before the start spans midnight, an end equal to the start is refused. It must open within the next 15 days',
  });

const PACING = {
  dialsPerMinute: z.number().int().min(1).max(600).default(30),
  maxConcurrent: z
    .number()
    .int()
    .min(1)
    .max(500)
    .default(10)
    .meta({ description: 'Agents available for the queue' }),
};

/** A campaign's own pace. The Connect quota (calls a second, burst) is the deployment's. */
export const Pacing = z.object(PACING).meta({
  id: 'Pacing',
  description:
    'The campaign’s pace within each dialer run. The StartOutboundVoiceContact quota is set per deployment (DIAL_QUOTA_PER_SECOND, DIAL_BURST) and shared by all campaigns; quotaPerSecond and burst are refused here',
});

/** A field the campaign no longer takes (the deployment's quota): refused, naming itself. */
const deploymentsOwn = (field: string) =>
  z
    .unknown()
    .refine((v) => v === undefined, refusal('campaign.pacing.deployment', { column: field }))
    .optional();

/** The pace as a request gives it: the quota's fields, which older clients sent, refused by name. */
const PacingInput = z.object({
  ...PACING,
  quotaPerSecond: deploymentsOwn('quotaPerSecond'),
  burst: deploymentsOwn('burst'),
});

export const RetryPolicy = z
  .object({
    delayMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(30),
    maxAttempts: z.number().int().min(1).max(10).default(3),
  })
  .meta({ id: 'RetryPolicy' });

const CAMPAIGN_FIELDS = {
  name: z.string().trim().min(1).max(120),
  type: z.enum(CAMPAIGN_TYPES),
  audience: Audience,
  window: WindowSchema.default({ days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '20:00', holidays: [] }),
  pacing: Pacing.default({ dialsPerMinute: 30, maxConcurrent: 10 }),
  retry: RetryPolicy.default({ delayMinutes: 30, maxAttempts: 3 }),
  dailyCapPerRecipient: z.number().int().min(1).max(10).default(2),
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Waiting calls end expired after it; must be later than now' }),
  startNow: z.boolean().default(false),
};

/** A new campaign as the API documents it. */
export const CampaignInputDoc = z.object(CAMPAIGN_FIELDS).meta({ id: 'CampaignInput' });

/** A new campaign as a request is read: the documented one, refusing the quota's fields by name. */
export const CampaignInput = z.object({
  ...CAMPAIGN_FIELDS,
  pacing: PacingInput.default({ dialsPerMinute: 30, maxConcurrent: 10 }),
});
export type CampaignInput = z.output<typeof CampaignInputDoc>;

export const CampaignCounts = z.object({
  targets: z.number(),
  excluded: z.record(z.string(), z.number()),
  dialed: z.number(),
  reached: z.number(),
  completed: z.number(),
  failed: z.number(),
  expired: z.number(),
  cancelled: z.number(),
  /** Ended unplaced at the moment of the call (do-not-call, consent withdrawn…), by reason. */
  skipped: z.number().default(0),
  skippedBy: z.record(z.string(), z.number()).default({}),
  /** Calls placed and not yet over (for maxConcurrent). */
  active: z.number(),
});
export type CampaignCounts = z.output<typeof CampaignCounts>;
/** Moves of a campaign's counters (the exclusions are fixed at creation). */
export type CountDeltas = Partial<Record<Exclude<keyof CampaignCounts, 'excluded' | 'skippedBy'>, number>> & {
  skippedBy?: Partial<Record<SkipReason, number>>;
};

export const Campaign = CampaignInputDoc.omit({ startNow: true })
  .extend({
    id: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    counts: CampaignCounts,
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    version: z.number(),
  })
  .meta({ id: 'CampaignRecord' });
export type Campaign = z.output<typeof Campaign>;

/** One call to make: who, why, when, and how it has gone so far. */
export const Callback = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    reason: z.enum(CAMPAIGN_TYPES),
    accountId: z.string(),
    accountName: z.string().optional(),
    /** The account's tier when the callback was booked (the agent's whisper says it). */
    tier: z.string().optional(),
    contactId: z.string().optional(),
    contactName: z.string().optional(),
    phone: z.string().optional(),
    language: z.string(),
    timeZone: z.string(),
    /** Dial order inside a due minute: 0 first. */
    rank: z.number(),
    state: z.enum(CALLBACK_STATES),
    attempts: z.number(),
    maxAttempts: z.number(),
    retryDelayMinutes: z.number(),
    dailyCap: z.number(),
    window: WindowSchema,
    dueAt: z.string(),
    expiresAt: z.string().optional(),
    complaintId: z.string().optional(),
    complaintReference: z.string().optional(),
    waybill: z.string().optional(),
    connectContactId: z.string().optional(),
    dialedAt: z.string().optional(),
    leaseUntil: z.string().optional(),
    claimedBy: z.string().optional(),
    /**
     * Claims since it last moved on (released, dialed): each one past the first is a run that
     * died holding it. Past MAX_CLAIMS the callback is given up (callback.ts).
     */
    claims: z.number().optional(),
    disposition: z.string().optional(),
    disposedAt: z.string().optional(),
    notes: z.string().optional(),
    /** Why it ended unplaced, checked at the moment of the call. */
    skipReason: z.enum(SKIP_REASONS).optional(),
    createdAt: z.string(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'CallbackRecord' });
export type Callback = z.output<typeof Callback>;

export interface Target {
  account: AccountWithContacts;
  contact: Contact;
  phone: string;
  timeZone: string;
}

export interface Exclusion {
  accountId: string;
  contactId: string;
  reason: ExclusionReason;
}
