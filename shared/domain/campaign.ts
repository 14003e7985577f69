import { z } from 'zod';
import { AccountId, type AccountWithContacts, type Contact, SEGMENTS } from './account.ts';
import { type CallingWindow, timeZoneForPhone } from './calling-window.ts';
import { QUADRANTS, TIERS } from './prioritization.ts';

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
export const EXCLUSION_REASONS = ['do-not-call', 'no-consent', 'no-phone'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

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
  .meta({
    id: 'CallingWindow',
    description: 'Evaluated in each contact’s own time zone; an end before the start spans midnight',
  });

export const Pacing = z
  .object({
    dialsPerMinute: z.number().int().min(1).max(600).default(30),
    maxConcurrent: z
      .number()
      .int()
      .min(1)
      .max(500)
      .default(10)
      .meta({ description: 'Agents available for the queue' }),
    quotaPerSecond: z
      .number()
      .min(0.1)
      .max(100)
      .default(2)
      .meta({ description: 'StartOutboundVoiceContact quota' }),
    burst: z.number().int().min(1).max(100).default(5),
  })
  .meta({ id: 'Pacing' });

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

export const CampaignInput = z
  .object({
    name: z.string().trim().min(1).max(120),
    type: z.enum(CAMPAIGN_TYPES),
    audience: Audience,
    window: WindowSchema.default({ days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '20:00', holidays: [] }),
    pacing: Pacing.default({ dialsPerMinute: 30, maxConcurrent: 10, quotaPerSecond: 2, burst: 5 }),
    retry: RetryPolicy.default({ delayMinutes: 30, maxAttempts: 3 }),
    dailyCapPerRecipient: z.number().int().min(1).max(10).default(2),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    startNow: z.boolean().default(false),
  })
  .meta({ id: 'CampaignInput' });
export type CampaignInput = z.output<typeof CampaignInput>;

export interface CampaignCounts {
  targets: number;
  excluded: Partial<Record<ExclusionReason, number>>;
  dialed: number;
  reached: number;
  completed: number;
  failed: number;
  expired: number;
  cancelled: number;
  /** Calls placed and not yet over (for maxConcurrent). */
  active: number;
}

export interface Campaign extends Omit<CampaignInput, 'startNow'> {
  id: string;
  status: CampaignStatus;
  counts: CampaignCounts;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

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

/** Whether an account matches a segment filter (an explicit account list always matches). */
export function matchesAudience(account: AccountWithContacts, a: Audience): boolean {
  if (a.accountIds?.includes(account.id)) return true;
  const hasFilter = Boolean(
    a.tiers?.length || a.segments?.length || a.regions?.length || a.quadrants?.length || a.tags?.length,
  );
  if (!hasFilter) return false;
  if (a.tiers?.length && !a.tiers.includes(account.derived.tier)) return false;
  if (a.segments?.length && !a.segments.includes(account.segment)) return false;
  if (a.quadrants?.length && !a.quadrants.includes(account.derived.reviewQuadrant)) return false;
  if (a.regions?.length && !account.regions.some((r) => a.regions?.includes(r))) return false;
  if (a.tags?.length && !account.tags.some((t) => a.tags?.includes(t))) return false;
  return true;
}

/**
 * The targets of a campaign and the contacts excluded, with the reason: do-not-call and contacts
 * without call consent are never dialed. Key accounts come first, then by priority score.
 */
export function selectTargets(
  accounts: AccountWithContacts[],
  a: Audience,
): { targets: Target[]; excluded: Exclusion[] } {
  const targets: Target[] = [];
  const excluded: Exclusion[] = [];
  const ordered = accounts
    .filter((acc) => matchesAudience(acc, a))
    .sort((x, y) => y.derived.priorityScore - x.derived.priorityScore);
  for (const account of ordered) {
    let taken = false;
    for (const contact of account.contacts) {
      if (a.onePerAccount && taken) break;
      const phone = contact.phones.find((p) => p.label === 'mobile')?.e164 ?? contact.phones[0]?.e164;
      const reason: ExclusionReason | undefined = contact.doNotCall
        ? 'do-not-call'
        : !contact.consent.calls
          ? 'no-consent'
          : !phone
            ? 'no-phone'
            : undefined;
      if (reason || !phone) {
        excluded.push({ accountId: account.id, contactId: contact.id, reason: reason ?? 'no-phone' });
        continue;
      }
      targets.push({
        account,
        contact,
        phone,
        timeZone: contact.timeZone ?? timeZoneForPhone(phone, account.timeZone),
      });
      taken = true;
    }
  }
  return { targets, excluded };
}

/** Dial order inside a due minute: 0 is dialed first (priority score 1000 → 0). */
export function dialRank(priorityScore: number): number {
  return Math.max(0, Math.min(999, 1000 - Math.round(priorityScore)));
}

/**
 * A token bucket: `rate` tokens a second, at most `burst` saved up. `take()` answers how many
 * milliseconds to wait before the next dial is allowed (0 = now) and books the token.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    const wait = ((1 - this.tokens) / this.rate) * 1000;
    this.tokens -= 1;
    return Math.ceil(wait);
  }
}

/** The window a callback is dialed in (copied from its campaign when it is created). */
export type { CallingWindow };
