/**
 * A recipient's mailbox, pure: what to send to one phone number or address now, given the alerts
 * waiting for it, what it was sent lately, and the contact as they stand at this moment.
 *
 * Every alert to a recipient waits in their mailbox until it goes out, whichever way it goes:
 * alone, in a digest, after quiet hours, after a failed send. The rules, checked at the moment of
 * sending (not when the delay was detected):
 * - the shipment as it stands now: an alert whose delay is over (cleared, or delivered) is dropped;
 * - consent and the channel preference as they stand now; an alert no longer wanted is dropped;
 * - quiet hours in the contact's time zone hold every message, digests included. Critical delays
 *   are the documented exception: they go out at night too (README, "Delay alerts");
 * - a sliding window per recipient: while the messages of the last `windowMinutes` plus those
 *   waiting stay within `threshold`, each alert goes out alone; beyond it, everything waiting
 *   goes out as one digest counted at send time (held `gatherSeconds` so a burst arrives whole),
 *   and what slips after it waits for one more digest ("N more") when the window since that
 *   digest has passed;
 * - a failed send is retried with a growing back-off, each alert at most `maxAttempts` times of its
 *   own, then dead-lettered; until the retry is due, nothing else goes to that address either (an
 *   alert arriving meanwhile waits for it, and then has its own tries).
 *
 * A mailbox belongs to an address, and an address may be a contact on several accounts (a
 * forwarder's desk): its alerts are worked per account and contact, each under its own name,
 * consent and quiet hours, while the address's window and retries are shared.
 */
import { type DelayDetected, severityRank } from '../shipments/delay.ts';
import type { DelaySeverity } from '../shipments/model.ts';
import type { Channel } from './policy.ts';

export interface MailboxPolicy {
  /** Messages a recipient may get in one window before alerts are digested. */
  threshold: number;
  windowMinutes: number;
  /** Failed sends of one alert (alone or in digests) before it is dead-lettered. */
  maxAttempts: number;
  /** The first retry's delay; each next failure to the address doubles it, up to `maxBackoffSeconds`. */
  baseBackoffSeconds: number;
  maxBackoffSeconds: number;
  /** A digest within this many hours makes the next one say "N more". */
  moreWithinHours: number;
  /** A first digest waits this long after the oldest alert in it, so a burst arrives whole. */
  gatherSeconds: number;
}

export const DEFAULT_MAILBOX_POLICY: MailboxPolicy = {
  threshold: 5,
  windowMinutes: 60,
  maxAttempts: 6,
  baseBackoffSeconds: 60,
  maxBackoffSeconds: 30 * 60,
  moreWithinHours: 24,
  gatherSeconds: 120,
};

/** An alert waiting in a mailbox, for one contact of one account. */
export interface PendingAlert {
  accountId: string;
  contactId: string;
  waybill: string;
  severity: DelaySeverity;
  event: DelayDetected;
  createdAt: string;
}

/** What the mailbox remembers between sends. */
export interface MailboxState {
  /** When each message of the recent past went out (alerts and digests alike). */
  recent: string[];
  /** When each account's last digest to this address went out (an address may serve several). */
  digests?: Record<string, string>;
  /** The last digest, of whichever account, as mailboxes stored it before `digests`. */
  lastDigestAt?: string;
  /** Failed sends to this address in a row: they set the back-off. */
  attempts: number;
  /**
   * Failed sends of each waiting alert (by `alertKey`): an alert is dead-lettered after its own
   * last attempt, so one that joins an outage late still gets every try. A mailbox stored before
   * this counted only `attempts`, which then stands for the alerts now being retried.
   */
  tries?: Record<string, number>;
  /** When the next try is due: nothing goes to this address before. */
  retryAt?: string;
  /**
   * The accounts whose alerts wait, until when and why (a digest window, or quiet hours): one more
   * alert for such an account cannot change that (unless it is critical, at night), so the notifier
   * need not work the mailbox for it (notifier.ts).
   */
  holds?: Record<string, Hold>;
}

/** The recipient as the registry has them now. */
export interface RecipientNow {
  /** The contact still wants this channel at this address for these severities. */
  wants: (severity: DelaySeverity) => boolean;
  /** When their quiet hours end, if `at` falls inside them; otherwise undefined. */
  quietUntil: (at: Date) => Date | undefined;
}

export type Message =
  | { kind: 'single'; alert: PendingAlert }
  | { kind: 'digest'; alerts: PendingAlert[]; count: number; more: boolean; reason?: string };

export type MailboxAction =
  | { do: 'nothing' }
  /**
   * Alerts that end unsent: the contact no longer wants them (consent withdrawn, channel dropped),
   * or their delay is over.
   */
  | { do: 'drop'; alerts: PendingAlert[]; why: DropReason }
  | { do: 'wait'; until: Date; why: WaitReason }
  | { do: 'send'; message: Message };

/** Why an alert ends unsent: no longer wanted, its delay over, or a newer alert covers it. */
export type DropReason = 'unwanted' | 'delay-over' | 'superseded';

export type WaitReason = 'quiet-hours' | 'digest-window' | 'retry';

export interface Hold {
  /** When the mailbox was last worked: a hold speaks only for the time between then and `until`. */
  since: string;
  until: string;
  why: 'quiet-hours' | 'digest-window';
}

const minutes = (n: number) => n * 60_000;

/** The messages of the window ending at `now`. */
export function recentWithin(state: MailboxState, now: Date, windowMinutes: number): string[] {
  const from = now.getTime() - minutes(windowMinutes);
  return state.recent.filter((t) => Date.parse(t) > from);
}

/** An alert that went out to the address (alone or in a digest): what it said, and when it was detected. */
export type SentAlert = Pick<PendingAlert, 'waybill' | 'severity'> & {
  event: Pick<DelayDetected, 'createdAt'>;
};

/** What stands at the moment of sending beside the mailbox's own memory. */
export interface AtSendTime {
  /** The waybills whose delay is over now (cleared, or the shipment delivered). */
  over?: ReadonlySet<string>;
  /** The alerts the address was sent and still holds (their items expire): they cover older ones. */
  sent?: readonly SentAlert[];
}

/** Whether `b` tells newer news of its shipment than `a`: detected later, or worse at the same moment. */
function newer(b: SentAlert, a: SentAlert): boolean {
  const tb = Date.parse(b.event.createdAt);
  const ta = Date.parse(a.event.createdAt);
  return tb > ta || (tb === ta && severityRank(b.severity) > severityRank(a.severity));
}

/**
 * The waiting alerts another alert for the same shipment covers: a newer one waiting beside it
 * (which goes out instead, with its own facts) or a newer one already sent (a critical delay sent
 * at night covers the major one held for quiet hours before it; so does an event delivered out of
 * order). What is left is at most one alert per waybill, its newest.
 */
export function superseded(pending: PendingAlert[], sent: readonly SentAlert[] = []): PendingAlert[] {
  return pending.filter((a) => [...pending, ...sent].some((b) => b.waybill === a.waybill && newer(b, a)));
}

/** The next thing to do with one contact's alerts in a mailbox, given what stands at send time. */
export function nextAction(
  pending: PendingAlert[],
  state: MailboxState,
  who: RecipientNow,
  now: Date,
  policy: MailboxPolicy = DEFAULT_MAILBOX_POLICY,
  { over = new Set(), sent = [] }: AtSendTime = {},
): MailboxAction {
  const ended = pending.filter((a) => over.has(a.waybill));
  if (ended.length > 0) return { do: 'drop', alerts: ended, why: 'delay-over' };
  const covered = superseded(pending, sent);
  if (covered.length > 0) return { do: 'drop', alerts: covered, why: 'superseded' };
  const unwanted = pending.filter((a) => !who.wants(a.severity));
  if (unwanted.length > 0) return { do: 'drop', alerts: unwanted, why: 'unwanted' };
  if (pending.length === 0) return { do: 'nothing' };
  if (state.retryAt && Date.parse(state.retryAt) > now.getTime())
    return { do: 'wait', until: new Date(state.retryAt), why: 'retry' };
  const byAge = [...pending].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  // In quiet hours only critical delays may go out (alone or digested); the rest wait for morning.
  const quietUntil = who.quietUntil(now);
  const sendable = quietUntil ? byAge.filter((a) => a.severity === 'critical') : byAge;
  if (quietUntil && sendable.length === 0) return { do: 'wait', until: quietUntil, why: 'quiet-hours' };
  const recent = recentWithin(state, now, policy.windowMinutes);
  if (recent.length + sendable.length <= policy.threshold) {
    return { do: 'send', message: { kind: 'single', alert: sendable[0] as PendingAlert } };
  }
  const lastDigest = lastDigestOf(state, (byAge[0] as PendingAlert).accountId);
  if (lastDigest) {
    const nextDigest = new Date(Date.parse(lastDigest) + minutes(policy.windowMinutes));
    if (nextDigest > now) return { do: 'wait', until: nextDigest, why: 'digest-window' };
  }
  const gathered = new Date(
    Date.parse((sendable[0] as PendingAlert).createdAt) + policy.gatherSeconds * 1000,
  );
  if (gathered > now) return { do: 'wait', until: gathered, why: 'digest-window' };
  // No burst came after all: a digest of one would read as a mistake, so it goes alone.
  if (sendable.length === 1)
    return { do: 'send', message: { kind: 'single', alert: sendable[0] as PendingAlert } };
  return { do: 'send', message: digestOf(sendable, lastDigest, now, policy) };
}

/** When this account's last digest to the address went out. */
const lastDigestOf = (state: MailboxState, accountId: string) =>
  state.digests?.[accountId] ?? state.lastDigestAt;

function digestOf(
  alerts: PendingAlert[],
  lastDigest: string | undefined,
  now: Date,
  policy: MailboxPolicy,
): Message {
  const waybills = new Set(alerts.map((a) => a.waybill));
  const reasons = new Set(alerts.map((a) => a.event.reason ?? ''));
  const reason = reasons.size === 1 ? [...reasons][0] : undefined;
  const more =
    lastDigest !== undefined && now.getTime() - Date.parse(lastDigest) < policy.moreWithinHours * 3_600_000;
  return { kind: 'digest', alerts, count: waybills.size, more, ...(reason ? { reason } : {}) };
}

/** The state after a message went out. */
export function afterSent(
  state: MailboxState,
  message: Message,
  now: Date,
  policy: MailboxPolicy,
): MailboxState {
  const at = now.toISOString();
  // Digests older than the "N more" horizon no longer matter.
  const horizon = now.getTime() - policy.moreWithinHours * 3_600_000;
  const digests = Object.fromEntries(
    Object.entries(state.digests ?? {}).filter(([, t]) => Date.parse(t) > horizon),
  );
  if (message.kind === 'digest') {
    const accountId = message.alerts[0]?.accountId;
    if (accountId) digests[accountId] = at;
  }
  const legacy =
    state.lastDigestAt && Date.parse(state.lastDigestAt) > horizon ? state.lastDigestAt : undefined;
  const tries = without(state.tries, message.kind === 'single' ? [message.alert] : message.alerts);
  return {
    recent: [...recentWithin(state, now, policy.windowMinutes), at],
    ...(Object.keys(digests).length > 0 ? { digests } : {}),
    ...(legacy ? { lastDigestAt: legacy } : {}),
    attempts: 0,
    ...(tries ? { tries } : {}),
  };
}

/** An alert's name in a mailbox (as its item's key): its waybill, severity and event. */
export const alertKey = (a: Pick<PendingAlert, 'waybill' | 'severity' | 'event'>) =>
  `${a.waybill}#${a.severity}#${a.event.createdAt}`;

/** The tries of the alerts not among `gone`, or undefined when none are left. */
function without(tries: Record<string, number> | undefined, gone: PendingAlert[]) {
  if (!tries) return undefined;
  const left = { ...tries };
  for (const a of gone) delete left[alertKey(a)];
  return Object.keys(left).length > 0 ? left : undefined;
}

/**
 * After a failed send of `sent`: each of its alerts has one more failed try, and those whose tries
 * are spent are dead-lettered (`spent`); the rest (`retrying`, with their tries) wait, like every
 * other alert to the address, until `retryAt`: a back-off that grows with the address's failures
 * in a row, with jitter from `random`, capped.
 */
export function afterFailure(
  state: MailboxState,
  sent: PendingAlert[],
  now: Date,
  policy: MailboxPolicy,
  random: () => number = Math.random,
): { state: MailboxState; retryAt: Date; spent: PendingAlert[]; retrying: [PendingAlert, number][] } {
  const attempts = state.attempts + 1;
  const tries = { ...state.tries };
  const spent: PendingAlert[] = [];
  const retrying: [PendingAlert, number][] = [];
  for (const a of sent) {
    const key = alertKey(a);
    // A mailbox stored before `tries` counted the alerts being retried as a whole.
    const n = (state.tries ? (tries[key] ?? 0) : state.attempts) + 1;
    if (n >= policy.maxAttempts) {
      spent.push(a);
      delete tries[key];
    } else {
      tries[key] = n;
      retrying.push([a, n]);
    }
  }
  const base = Math.min(
    policy.maxBackoffSeconds,
    policy.baseBackoffSeconds * 2 ** Math.min(attempts - 1, 30),
  );
  const seconds = base * (0.8 + 0.4 * random());
  const retryAt = new Date(now.getTime() + seconds * 1000);
  const { tries: _before, ...rest } = state;
  return {
    state: {
      ...rest,
      attempts,
      // Kept even when empty: it tells this state from one stored before `tries`.
      tries,
      retryAt: retryAt.toISOString(),
    },
    retryAt,
    spent,
    retrying,
  };
}

/** The id of a mailbox in the due index and the log. */
export const mailboxId = (channel: Channel, recipient: string) => `${channel}#${recipient}`;
