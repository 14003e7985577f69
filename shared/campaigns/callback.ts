/**
 * The callback lifecycle, pure: how a callback is made, what a dial attempt's outcome does to it
 * (the next state, the campaign's counters, a retry's due time), how it ends. The repository
 * applies an answer with writes conditional on the state and attempt it was decided from.
 */
import { inBoth } from '../platform/messages/index.ts';
import { nextInWindow, nextOpening, type WeeklyWindow, WINDOW_HORIZON_DAYS } from '../platform/time.ts';
import type { SkipReason } from './consent.ts';
import type { Callback, CallbackState, CampaignType, CountDeltas, Target } from './model.ts';

/** States a callback waits in before it is dialed (it sits in the due index then). */
export const WAITING: CallbackState[] = ['scheduled', 'retry-scheduled'];

/**
 * Claims in a row a callback may take without moving on (released, dialed) before it is given up:
 * each one past the first is a run that died holding it (a dial that keeps crashing), or a dial
 * Connect failed on without saying why (a release after such an error keeps the count, see
 * afterDialError). The claim or the error past the bound ends it `failed`, with a note, where the
 * campaign's progress and an alarm show it.
 */
export const MAX_CLAIMS = 5;

/** Whether a callback just claimed has been claimed too often without moving on. */
export const claimedTooOften = (cb: Pick<Callback, 'claims'>): boolean => (cb.claims ?? 0) > MAX_CLAIMS;

/**
 * A callback just claimed: worked on (its number to call), or ended at once: given up after runs
 * kept dying holding it (a dead letter an operator is told of), past its campaign's expiry, or
 * without a number.
 */
export function onClaim(
  cb: Pick<Callback, 'claims' | 'expiresAt' | 'phone'>,
  now: Date,
): { phone: string } | { end: 'failed' | 'expired'; note: string; deadLetter?: true } {
  if (claimedTooOften(cb))
    return {
      end: 'failed',
      note: inBoth('callback.note.gaveUp', { count: (cb.claims ?? 1) - 1 }),
      deadLetter: true,
    };
  if (cb.expiresAt && Date.parse(cb.expiresAt) < now.getTime())
    return { end: 'expired', note: inBoth('callback.note.campaignExpired') };
  return cb.phone ? { phone: cb.phone } : { end: 'failed', note: inBoth('callback.note.noPhone') };
}

/** Dial order inside a due minute: 0 is dialed first (priority score 1000 → 0). */
export function dialRank(priorityScore: number): number {
  return Math.max(0, Math.min(999, 1000 - Math.round(priorityScore)));
}

/** What a callback inherits from its campaign (an agent's campaign or a standing one). */
export interface CallbackPolicy {
  id: string;
  type: CampaignType;
  window: WeeklyWindow;
  retry: { delayMinutes: number; maxAttempts: number };
  dailyCapPerRecipient: number;
  expiresAt?: string;
}

/** Who is called, and the extras that travel with the call. */
export interface CallbackSubject {
  accountId: string;
  accountName?: string;
  /** The account's tier when booked: the agent's whisper says it. */
  tier?: string;
  contactId?: string;
  contactName?: string;
  phone?: string;
  language: string;
  timeZone: string;
  rank: number;
  /** When to call; the campaign window's next opening from now when absent. */
  dueAt?: string;
  complaintId?: string;
  complaintReference?: string;
  waybill?: string;
  notes?: string;
}

/** A new callback in a campaign. Without a number it is failed from the start, and says why. */
export function newCallback(c: CallbackPolicy, s: CallbackSubject, now: Date, id: string): Callback {
  const { dueAt, notes, ...who } = s;
  return {
    ...who,
    id,
    campaignId: c.id,
    reason: c.type,
    state: s.phone ? 'scheduled' : 'failed',
    attempts: 0,
    maxAttempts: c.retry.maxAttempts,
    retryDelayMinutes: c.retry.delayMinutes,
    dailyCap: c.dailyCapPerRecipient,
    window: { holidays: [], ...c.window },
    dueAt: dueAt ?? nextInWindow(now, s.timeZone, c.window).toISOString(),
    ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}),
    ...(s.phone ? (notes ? { notes } : {}) : { notes: notes ?? inBoth('callback.note.noPhone') }),
    createdAt: now.toISOString(),
  };
}

/** A campaign target as a callback: the account's priority sets the dial rank. */
export function callbackFor(c: CallbackPolicy, t: Target, now: Date, id: string, rank?: number): Callback {
  return newCallback(
    c,
    {
      accountId: t.account.id,
      accountName: t.account.name,
      tier: t.account.derived.tier,
      contactId: t.contact.id,
      contactName: t.contact.name,
      phone: t.phone,
      language: t.contact.language,
      timeZone: t.timeZone,
      rank: rank ?? dialRank(t.account.derived.priorityScore),
    },
    now,
    id,
  );
}

export type Outcome = 'connected' | 'completed' | 'no-answer';

/** States a callback ends in: none of them holds the number's pending slot. */
export const TERMINAL: CallbackState[] = ['completed', 'failed', 'expired', 'cancelled', 'skipped'];

/** A placed call's outcome is checked with Connect this long after the dial if no event came… */
export const CHECK_AFTER_DIAL_MINUTES = 10;
/** …and this long after an agent joined (a long call). */
export const CHECK_AFTER_CONNECT_MINUTES = 120;
/** When Connect cannot say (an unknown contact), a call this old is treated as unanswered. */
export const GIVE_UP_AFTER_MINUTES = 6 * 60;

const minutesAfter = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000).toISOString();

/**
 * A dial Connect failed with an error it did not explain (InvalidRequest, ResourceNotFound, an
 * InternalService its retries did not clear): the callback did not move on, so its claims keep
 * counting, and it waits longer each time (1, 2, 4, 8 minutes). The try that reaches MAX_CLAIMS
 * gives it up.
 */
export function afterDialError(
  cb: Pick<Callback, 'claims'>,
  now: Date,
): { giveUp: true } | { dueAt: string } {
  const tries = cb.claims ?? 1;
  return tries >= MAX_CLAIMS ? { giveUp: true } : { dueAt: minutesAfter(now, 2 ** (tries - 1)) };
}

export interface OutcomeDecision {
  to: CallbackState;
  /** The states the outcome may follow; the write is conditional on them and on the attempt. */
  from: CallbackState[];
  counts: CountDeltas;
  /** A retry's due time. */
  dueAt?: string;
  /** When the outcome of a call still in progress is checked next. */
  checkAt?: string;
  /** The call is over for good: a customer's pending slot on the number is freed. */
  ends: boolean;
  /** Why, when the callback ends other than by the call itself (its window never opens again). */
  note?: string;
}

/**
 * What a dial attempt's outcome does: connected → connected (checked again later if no end
 * comes); completed → completed (reached, if the connect event was missed); no answer → a retry
 * after the campaign's delay, in the window, while attempts remain, else failed. Undefined when
 * the outcome does not apply (a late or duplicate event, another attempt's).
 */
export function outcomeOf(
  cb: Callback,
  outcome: Outcome,
  attempt: number,
  now: Date,
): OutcomeDecision | undefined {
  if (cb.attempts !== attempt) return undefined;
  let d: OutcomeDecision;
  if (outcome === 'connected') {
    d = {
      to: 'connected',
      from: ['dialed'],
      counts: { reached: 1 },
      checkAt: minutesAfter(now, CHECK_AFTER_CONNECT_MINUTES),
      ends: false,
    };
  } else if (outcome === 'completed') {
    d = {
      to: 'completed',
      from: ['dialed', 'connected'],
      counts: { completed: 1, active: -1, ...(cb.state === 'dialed' ? { reached: 1 } : {}) },
      ends: true,
    };
  } else if (cb.attempts < cb.maxAttempts) {
    const dueAt = nextOpening(
      new Date(now.getTime() + cb.retryDelayMinutes * 60_000),
      cb.timeZone,
      cb.window,
    );
    d = dueAt
      ? {
          to: 'retry-scheduled',
          from: ['dialed'],
          counts: { active: -1 },
          dueAt: dueAt.toISOString(),
          ends: false,
        }
      : // A window that never opens again (every open day a holiday): ended, saying why.
        {
          to: 'failed',
          from: ['dialed'],
          counts: { active: -1, failed: 1 },
          ends: true,
          note: inBoth('callback.note.windowClosed', { days: WINDOW_HORIZON_DAYS }),
        };
  } else d = { to: 'failed', from: ['dialed'], counts: { active: -1, failed: 1 }, ends: true };
  return d.from.includes(cb.state) ? d : undefined;
}

/**
 * A complaint's follow-up call (回访) whose outcome the agent recorded on the complaint, often
 * while still on the call: it ends completed from where it stands, its counts moved as the call's
 * own completion would (a placed call leaves the campaign's active calls). One waiting was made
 * some other way (the agent phoned). One already ended keeps its state, and one being dialed at
 * this moment is left to its call, whose events complete it: either way, undefined.
 */
export function completionOf(cb: Callback): OutcomeDecision | undefined {
  if (cb.state === 'dialed' || cb.state === 'connected')
    return {
      to: 'completed',
      from: [cb.state],
      counts: { completed: 1, active: -1, ...(cb.state === 'dialed' ? { reached: 1 } : {}) },
      ends: true,
    };
  if (WAITING.includes(cb.state))
    return { to: 'completed', from: [cb.state], counts: { completed: 1 }, ends: true };
  return undefined;
}

/** What Amazon Connect says of a placed call when asked (DescribeContact). */
export type CallStatus =
  | { kind: 'in-progress'; agentConnected: boolean }
  | { kind: 'ended'; agentConnected: boolean }
  | { kind: 'unknown' };

/**
 * A placed call whose outcome never arrived (a lost contact event): what Connect's answer means.
 * An ended call gets its outcome; one still in progress is checked again later (and counted as
 * reached once an agent joined); when Connect cannot say, a call old enough is treated as
 * unanswered, which retries by the campaign's policy, so no callback and no count is left behind.
 */
export function reconcileOf(
  cb: Callback,
  status: CallStatus,
  now: Date,
): { outcome: Outcome } | { recheckAt: string } {
  if (status.kind === 'ended') return { outcome: status.agentConnected ? 'completed' : 'no-answer' };
  if (status.kind === 'in-progress') {
    if (status.agentConnected && cb.state === 'dialed') return { outcome: 'connected' };
    return { recheckAt: minutesAfter(now, CHECK_AFTER_DIAL_MINUTES) };
  }
  const age = cb.dialedAt ? now.getTime() - Date.parse(cb.dialedAt) : Number.POSITIVE_INFINITY;
  if (age >= GIVE_UP_AFTER_MINUTES * 60_000)
    return { outcome: cb.state === 'connected' ? 'completed' : 'no-answer' };
  return { recheckAt: minutesAfter(now, CHECK_AFTER_DIAL_MINUTES) };
}

/** A callback ending without a call: the counters it moves. */
export function endingCounts(
  to: 'failed' | 'expired' | 'cancelled' | 'skipped',
  skipReason?: SkipReason,
): CountDeltas {
  if (to === 'skipped') return { skipped: 1, ...(skipReason ? { skippedBy: { [skipReason]: 1 } } : {}) };
  return { [to]: 1 };
}

/**
 * The time to promise a caller for a pending callback: its due time, or "shortly" when that
 * time has passed (it is being dialed, or waits for its campaign to resume): never a time past.
 */
export function promisedTime(cb: Pick<Callback, 'dueAt'>, now: Date): string | 'shortly' {
  return Date.parse(cb.dueAt) > now.getTime() ? cb.dueAt : 'shortly';
}

/** The waiting state a released callback goes back to. */
export function waitingState(cb: Pick<Callback, 'attempts'>): CallbackState {
  return cb.attempts > 0 ? 'retry-scheduled' : 'scheduled';
}

/** States in which the agent's disposition may be recorded. */
export const DISPOSABLE: CallbackState[] = ['connected', 'completed', 'dialed'];
