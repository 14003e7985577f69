/**
 * The callback lifecycle, pure: how a callback is made, what a dial attempt's outcome does to it
 * (the next state, the campaign's counters, a retry's due time), how it ends. The repository
 * applies an answer with writes conditional on the state and attempt it was decided from.
 */
import { inBoth } from '../platform/messages/index.ts';
import { nextInWindow, type WeeklyWindow } from '../platform/time.ts';
import type { Callback, CallbackState, CampaignType, CountDeltas, Target } from './model.ts';

/** States a callback waits in before it is dialed (it sits in the due index then). */
export const WAITING: CallbackState[] = ['scheduled', 'retry-scheduled'];

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

export interface OutcomeDecision {
  to: CallbackState;
  /** The states the outcome may follow; the write is conditional on them and on the attempt. */
  from: CallbackState[];
  counts: CountDeltas;
  /** A retry's due time. */
  dueAt?: string;
  /** The call is over for good: a customer's pending slot on the number is freed. */
  ends: boolean;
}

/**
 * What a dial attempt's outcome does: connected → connected; completed → completed (reached, if
 * the connect event was missed); no answer → a retry after the campaign's delay, in the window,
 * while attempts remain, else failed. Undefined when the outcome does not apply (a late or
 * duplicate event, another attempt's).
 */
export function outcomeOf(
  cb: Callback,
  outcome: Outcome,
  attempt: number,
  now: Date,
): OutcomeDecision | undefined {
  if (cb.attempts !== attempt) return undefined;
  let d: OutcomeDecision;
  if (outcome === 'connected') d = { to: 'connected', from: ['dialed'], counts: { reached: 1 }, ends: false };
  else if (outcome === 'completed') {
    d = {
      to: 'completed',
      from: ['dialed', 'connected'],
      counts: { completed: 1, active: -1, ...(cb.state === 'dialed' ? { reached: 1 } : {}) },
      ends: true,
    };
  } else if (cb.attempts < cb.maxAttempts) {
    const dueAt = nextInWindow(
      new Date(now.getTime() + cb.retryDelayMinutes * 60_000),
      cb.timeZone,
      cb.window,
    );
    d = {
      to: 'retry-scheduled',
      from: ['dialed'],
      counts: { active: -1 },
      dueAt: dueAt.toISOString(),
      ends: false,
    };
  } else d = { to: 'failed', from: ['dialed'], counts: { active: -1, failed: 1 }, ends: true };
  return d.from.includes(cb.state) ? d : undefined;
}

/** The waiting state a released callback goes back to. */
export function waitingState(cb: Pick<Callback, 'attempts'>): CallbackState {
  return cb.attempts > 0 ? 'retry-scheduled' : 'scheduled';
}

/** States in which the agent's disposition may be recorded. */
export const DISPOSABLE: CallbackState[] = ['connected', 'completed', 'dialed'];
