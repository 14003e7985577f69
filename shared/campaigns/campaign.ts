import { createHash } from 'node:crypto';
import { canonical } from '../accounts/registry.ts';
/** The campaign lifecycle and figures, pure. */
import {
  accept,
  type Decision,
  type FieldError,
  IllegalTransition,
  reject,
  ValidationError,
} from '../platform/errors.ts';
import { both, fieldError, type Lang } from '../platform/messages/index.ts';
import { nextOpening, WINDOW_HORIZON_DAYS } from '../platform/time.ts';
import type { Campaign, CampaignCounts, CampaignInput, CampaignStatus, Exclusion } from './model.ts';
import { isStanding } from './standing.ts';

export const EMPTY_COUNTS: CampaignCounts = {
  targets: 0,
  excluded: {},
  dialed: 0,
  reached: 0,
  completed: 0,
  failed: 0,
  expired: 0,
  cancelled: 0,
  skipped: 0,
  skippedBy: {},
  active: 0,
};

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

const CONTROL: Record<CampaignAction, Partial<Record<CampaignStatus, CampaignStatus>>> = {
  start: { draft: 'running' },
  pause: { running: 'paused' },
  resume: { paused: 'running' },
  cancel: { draft: 'cancelled', running: 'cancelled', paused: 'cancelled' },
};

/**
 * Start, pause, resume or cancel: the next status, or why not. A standing campaign is never
 * steered: callers, complaints and delays book calls into it, and were promised them.
 */
export function control(
  c: Pick<Campaign, 'id' | 'name' | 'status'>,
  action: CampaignAction,
): Decision<CampaignStatus> {
  if (isStanding(c.id)) return reject(illegal(both('campaign.standing', { name: c.name })));
  const to = CONTROL[action][c.status];
  return to ? accept(to) : reject(illegal(both('campaign.cannot', { action, status: c.status })));
}

/** A refused move, worded in both languages. */
function illegal(text: Record<Lang, string>): IllegalTransition {
  const err = new IllegalTransition(text.en);
  err.messageZh = text['zh-CN'];
  return err;
}

/**
 * What a new campaign is refused for beyond its schema, as of `now`: an expiry already past, a
 * calling window that does not open in the time the dialer looks ahead (in any of the targets'
 * zones), an audience with no one to call. Paths are the body's.
 */
export function creationProblems(
  input: Pick<CampaignInput, 'window' | 'expiresAt'>,
  zones: readonly string[],
  excluded: number,
  now: Date,
): FieldError[] {
  const problems: FieldError[] = [];
  if (input.expiresAt && Date.parse(input.expiresAt) <= now.getTime())
    problems.push(fieldError('body.expiresAt', 'campaign.expires-past'));
  if ([...new Set(zones)].some((zone) => !nextOpening(now, zone, input.window)))
    problems.push(fieldError('body.window', 'campaign.window.never-opens', { days: WINDOW_HORIZON_DAYS }));
  if (zones.length === 0)
    problems.push(fieldError('body.audience', 'campaign.audience-empty', { count: excluded }));
  return problems;
}

/** The refusal of a new campaign, or nothing. */
export function checkCreation(...args: Parameters<typeof creationProblems>): void {
  const problems = creationProblems(...args);
  if (problems.length > 0) throw new ValidationError(problems);
}

/** Targets that have ended one way or another. */
export const ended = (k: CampaignCounts) =>
  k.completed + k.failed + k.expired + k.cancelled + (k.skipped ?? 0);

/** Every target has ended one way or another. */
export function isDone(k: CampaignCounts): boolean {
  return k.targets > 0 && ended(k) >= k.targets;
}

export function countReasons(excluded: Exclusion[]): CampaignCounts['excluded'] {
  const out: CampaignCounts['excluded'] = {};
  for (const e of excluded) out[e.reason] = (out[e.reason] ?? 0) + 1;
  return out;
}

/**
 * A campaign's id from its creating request: the caller's key (Idempotency-Key) and the parsed
 * input, canonical (keys sorted). An identical retry's is the same; a retry with the same key but
 * an edited form makes another campaign, never adding to the callbacks a failed first attempt left.
 */
export const campaignIdFor = (requestKey: string, input: CampaignInput) =>
  `k${digest(`${requestKey}\n${canonical(input)}`, 25)}`;

/** A campaign callback's id, from its campaign and contact: a retried create puts the same item. */
export const callbackIdFor = (campaignId: string, t: { account: { id: string }; contact: { id: string } }) =>
  `${campaignId}-${digest(`${t.account.id}/${t.contact.id}`, 12)}`;

const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/** A campaign with its progress figures, as the API and the desktop show it. */
export function campaignView(c: Campaign) {
  const k = c.counts;
  return {
    ...c,
    reachRate: k.dialed > 0 ? Math.round((k.reached / k.dialed) * 1000) / 1000 : null,
    remaining: Math.max(0, k.targets - ended(k)),
  };
}
