import { ulid } from 'ulid';
import type { AccountWithContacts, Contact } from '../accounts/model.ts';
import type { Accounts } from '../accounts/service.ts';
import { ttlAfter } from '../platform/dynamo/claim.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { pool } from '../platform/pool.ts';
import type { DelayDetected } from '../shipments/delay.ts';
import { type DelaySeverity, isOpenAndDelayed, type Shipment } from '../shipments/model.ts';
import { type Log, logger, markDetail, type Senders, send } from './delivery.ts';
import {
  afterFailure,
  afterSent,
  alertKey,
  DEFAULT_MAILBOX_POLICY,
  type DropReason,
  type Hold,
  type MailboxPolicy,
  nextAction,
  type PendingAlert,
  type RecipientNow,
  type WaitReason,
} from './mailbox.ts';
import { type NotificationRecord, UnknownAccount } from './model.ts';
import { type Channel, type Delivery, recipients, sendTime } from './policy.ts';
import type { DestinationMark, NotificationRepo } from './repo.ts';

export { digestLink } from './delivery.ts';

export interface NotifierDeps extends Senders {
  accounts: Pick<Accounts, 'get'>;
  notifications: NotificationRepo;
  /**
   * The shipments: an alert whose delay is over when it is time to send (cleared, or delivered)
   * is dropped, and a shipment's delay moves from detected to notified once an alert went out.
   */
  shipments?: {
    current(waybill: string): Promise<Shipment | undefined>;
    markNotified(waybill: string, severity: string): Promise<void>;
  };
  /** Digest and retry settings (mailbox.ts); the two below are shorthands kept for callers. */
  policy?: Partial<MailboxPolicy>;
  digestThreshold?: number;
  digestWindowMinutes?: number;
  random?: () => number;
  /** Told of every message given up after its last attempt (the Lambda publishes a metric). */
  onDeadLetter?: (records: NotificationRecord[]) => void;
}

/**
 * How long one sender may hold a mailbox before another may take it over. Longer than the timeout
 * of every function that works mailboxes (the notifier, the deferred sender: test/infra), so a
 * pass never outlives its lease and a second sender never sends beside a live first one.
 */
export const MAILBOX_LEASE_SECONDS = 120;
/** Messages one pass sends from one mailbox at most (the rest stay due). */
const MAX_SENDS_PER_PASS = 25;

const policyOf = (deps: NotifierDeps): MailboxPolicy => ({
  ...DEFAULT_MAILBOX_POLICY,
  ...(deps.digestThreshold !== undefined ? { threshold: deps.digestThreshold } : {}),
  ...(deps.digestWindowMinutes !== undefined ? { windowMinutes: deps.digestWindowMinutes } : {}),
  ...deps.policy,
});

/** Why an alert waits, as its log line says. */
const WAITING: Record<WaitReason, string> = {
  'quiet-hours': 'quiet hours',
  'digest-window': 'digest window',
  retry: 'after a failed send to this address, at its retry',
};

/** How an alert dropped at the moment of sending ends on the log. */
const DROPPED: Record<DropReason, readonly [NotificationRecord['status'], string]> = {
  'delay-over': ['skipped-delay-over', 'the delay was over when it was time to send'],
  unwanted: ['skipped-no-consent', 'no longer wanted when it was time to send'],
  superseded: ['superseded', 'a newer alert for this shipment covered it (sent, or sent instead)'],
};

/**
 * A delay reaches the account's contacts: each consented channel of each contact gets the alert
 * in its mailbox (once, however often the event is redelivered), and each mailbox is worked at
 * once (mailbox.ts decides: alone, digest, wait for quiet hours or a retry). A send that fails
 * stays in the mailbox and is retried from the due index, so this throws only when the alert
 * could not be stored at all, or its account is unknown (`UnknownAccount`): the queue redelivers it.
 */
export async function notifyDelay(
  deps: NotifierDeps,
  event: DelayDetected,
  now = new Date(),
): Promise<NotificationRecord[]> {
  const account = await deps.accounts.get(event.accountId);
  if (!account) throw new UnknownAccount(event.accountId, event.waybill);
  const log = logger(deps, account, now);
  const { deliveries, skipped } = recipients(account, event.severity);
  for (const s of skipped)
    await log.write(
      { ...s, recipient: '—' },
      [{ waybill: event.waybill, severity: event.severity }],
      'skipped-no-consent',
    );
  for (const d of deliveries) {
    const alert: PendingAlert = {
      accountId: account.id,
      contactId: d.contact.id,
      waybill: event.waybill,
      severity: event.severity,
      event,
      createdAt: now.toISOString(),
    };
    const fresh = await deps.notifications.enqueue(
      { channel: d.channel, recipient: d.recipient },
      alert,
      now,
    );
    if (!fresh) {
      await log.write(d, [alert], 'suppressed-duplicate');
      continue;
    }
    // In a burst the mailbox already waits for this account's digest (or for a retry): the alert
    // joins it, and the scheduled sender works the mailbox, due now, within the minute.
    const held = await deps.notifications.held(d.channel, d.recipient, alert, now);
    if (held) {
      await log.write(d, [alert], 'deferred', WAITING[held.why], held.until);
      continue;
    }
    const { waits } = await workMailbox(deps, d.channel, d.recipient, now, log);
    // A line about an older alert it superseded does not tell this one's fate.
    const told = log.records.some(
      (r) =>
        r.waybill === event.waybill &&
        r.channel === d.channel &&
        r.recipient === d.recipient &&
        r.status !== 'superseded',
    );
    const key = alertKey(alert);
    const wait = waits.find((w) => w.alerts.some((a) => alertKey(a) === key));
    if (wait && !told) await log.write(d, [alert], 'deferred', WAITING[wait.why], wait.until);
  }
  return log.records;
}

/**
 * Works every mailbox whose time has come (quiet hours over, a retry due, a digest window
 * passed): the scheduled sender's one job. Answers how many messages went out.
 */
export async function sendDue(
  deps: NotifierDeps,
  now = new Date(),
): Promise<{ mailboxes: number; sent: number }> {
  let sent = 0;
  const due = await deps.notifications.dueMailboxes(now);
  for (const m of due) {
    const log = logger(deps, undefined, now);
    await workMailbox(deps, m.channel, m.recipient, now, log);
    sent += log.records.filter((r) => r.status === 'sent' || r.status === 'digest-sent').length;
  }
  return { mailboxes: due.length, sent };
}

/** Alerts left waiting in a mailbox, and until when. */
interface Left {
  waits: { alerts: PendingAlert[]; until: string; why: WaitReason }[];
}

/** One contact's alerts in a mailbox, with the account and contact as the registry has them. */
interface Group {
  alerts: PendingAlert[];
  to: { channel: Channel; recipient: string; account?: AccountWithContacts; contact?: Contact };
}

/** One pass over one mailbox, under its lease: send what may go now, settle what ended. */
async function workMailbox(
  deps: NotifierDeps,
  channel: Channel,
  recipient: string,
  now: Date,
  log: Log,
): Promise<Left> {
  const policy = policyOf(deps);
  const owner = ulid();
  const lease = keys.claim.mailbox(channel, recipient);
  const { claims } = deps.notifications;
  const took = await claims.take(lease, {
    owner,
    now,
    leaseSeconds: MAILBOX_LEASE_SECONDS,
    expiresAt: ttlAfter(now, 1),
  });
  // Another sender works it now; the alert just stored moved the mailbox's sequence, so that
  // sender leaves it due when it is done.
  if (!took.taken) return { waits: [] };
  const delayOver = delaysOver(deps, now);
  try {
    let mark: DestinationMark | undefined = await deps.notifications.destinationMark(channel, recipient);
    passes: for (let pass = 0; pass < MAX_SENDS_PER_PASS; pass++) {
      const box = await deps.notifications.loadMailbox(channel, recipient);
      if (!box) return { waits: [] };
      const groups = await byContact(deps, channel, recipient, box.pending);
      const over = await delayOver(box.pending);
      const waits: Left['waits'] = [];
      for (const { alerts, to } of groups) {
        if (mark && stillMarked(mark, to.account)) {
          await deps.notifications.settle(channel, recipient, alerts, mark.status, now);
          await log.write(to, alerts, mark.status, markDetail(mark));
          continue passes;
        }
        const who = recipientNow(to.account, to.contact, channel, recipient);
        const action = nextAction(alerts, box.state, who, now, policy, { over, sent: box.sent });
        if (action.do === 'nothing') continue;
        if (action.do === 'wait') {
          waits.push({ alerts, until: action.until.toISOString(), why: action.why });
          continue;
        }
        if (action.do === 'drop') {
          const [status, detail] = DROPPED[action.why];
          await deps.notifications.settle(channel, recipient, action.alerts, status, now);
          await log.write(to, action.alerts, status, detail);
          continue passes;
        }
        // Send: the account and contact exist, or `who` would not want anything.
        const { account, contact } = to;
        if (!account || !contact) continue;
        const message = action.message;
        const outcome = await send(deps, message, { channel, recipient, contact, account }, now);
        const sent = message.kind === 'single' ? [message.alert] : message.alerts;
        if (outcome.ok) {
          const digest = message.kind === 'digest';
          await deps.notifications.settle(channel, recipient, sent, digest ? 'in-digest' : 'sent', now);
          if (digest) {
            const [first, ...rest] = sent;
            await log.write(to, first ? [first] : [], 'digest-sent', `${message.count} shipments`);
            await log.write(to, rest, 'in-digest');
          } else await log.write(to, sent, 'sent');
          const state = afterSent(box.state, message, now, policy);
          await deps.notifications.saveMailbox(channel, recipient, state, box.seq, now);
          for (const a of sent) await deps.shipments?.markNotified(a.waybill, a.severity);
          continue passes;
        }
        if (outcome.mark) {
          mark = { ...outcome.mark, accountId: account.id, accountVersion: account.version };
          await deps.notifications.markDestination(channel, recipient, mark);
          continue passes;
        }
        const next = afterFailure(box.state, sent, now, policy, deps.random);
        if (next.spent.length > 0) {
          await deps.notifications.settle(channel, recipient, next.spent, 'dead-lettered', now);
          const why = `gave up after ${policy.maxAttempts} attempts: ${outcome.error}`;
          deps.onDeadLetter?.(await log.write(to, next.spent, 'dead-lettered', why));
        }
        const retryAt = next.retryAt.toISOString();
        for (const [tries, alerts] of byTries(next.retrying)) {
          const detail = `attempt ${tries} of ${policy.maxAttempts} failed: ${outcome.error}`;
          await log.write(to, alerts, 'retrying', detail, retryAt);
        }
        if (next.retrying.length === 0) {
          // Every alert sent is given up; any other waits for the retry (the next pass says so).
          await deps.notifications.saveMailbox(channel, recipient, next.state, box.seq, now);
          continue passes;
        }
        await deps.notifications.saveMailbox(channel, recipient, next.state, box.seq, next.retryAt);
        return { waits: [{ alerts: box.pending, until: retryAt, why: 'retry' }] };
      }
      // Nothing may go now: the mailbox is due again when its first wait ends (or leaves the index).
      const soonest = waits.map((w) => w.until).sort()[0];
      const holds: Record<string, Hold> = {};
      for (const { alerts, until, why } of waits)
        if (why !== 'retry')
          holds[(alerts[0] as PendingAlert).accountId] = { since: now.toISOString(), until, why };
      const { holds: _before, ...state } = box.state;
      await deps.notifications.saveMailbox(
        channel,
        recipient,
        Object.keys(holds).length > 0 ? { ...state, holds } : state,
        box.seq,
        soonest ? new Date(soonest) : undefined,
      );
      return { waits };
    }
    return { waits: [] };
  } finally {
    await claims.release(lease, owner);
  }
}

/** The alerts being retried, by how many tries each has had. */
function byTries(retrying: [PendingAlert, number][]): Map<number, PendingAlert[]> {
  const by = new Map<number, PendingAlert[]>();
  for (const [a, n] of retrying) by.set(n, [...(by.get(n) ?? []), a]);
  return by;
}

/**
 * A bad destination stays skipped until it is corrected: the account whose send learned it edited
 * since (a corrected number, or an agent re-saving the contact after checking it) gets one more
 * try, and a refusal marks it again. Other accounts at the same address keep skipping it.
 */
function stillMarked(mark: DestinationMark, account: AccountWithContacts | undefined): boolean {
  return !(account && mark.accountId === account.id && account.version > (mark.accountVersion ?? 0));
}

/**
 * A mailbox's alerts by the contact they are for, oldest first, each with its account and contact
 * read now: an address may be a contact on several accounts, and each alert goes out under its own.
 */
async function byContact(
  deps: NotifierDeps,
  channel: Channel,
  recipient: string,
  pending: PendingAlert[],
): Promise<Group[]> {
  const groups = new Map<string, PendingAlert[]>();
  const byAge = [...pending].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const a of byAge) {
    const key = `${a.accountId}\u0000${a.contactId}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const accounts = new Map<string, Promise<AccountWithContacts | undefined>>();
  return Promise.all(
    [...groups.values()].map(async (alerts) => {
      const { accountId, contactId } = alerts[0] as PendingAlert;
      if (!accounts.has(accountId)) accounts.set(accountId, deps.accounts.get(accountId));
      const account = await accounts.get(accountId);
      // An alert from before alerts named their contact: the account's contact at this address.
      const contact = account?.contacts.find((c) =>
        contactId
          ? c.id === contactId
          : channel === 'email'
            ? c.email === recipient
            : c.phones.some((p) => p.e164 === recipient),
      );
      return {
        alerts,
        to: { channel, recipient, ...(account ? { account } : {}), ...(contact ? { contact } : {}) },
      };
    }),
  );
}

/**
 * Which of a mailbox's alerts are about a delay that is over now (cleared, or the shipment
 * delivered), read from the shipments at the moment of sending (consistently). Each shipment is read once per
 * mailbox pass; a shipment not found counts as still delayed.
 */
function delaysOver(deps: NotifierDeps, now: Date) {
  const known = new Map<string, boolean>();
  return async (pending: PendingAlert[]): Promise<Set<string>> => {
    const { shipments } = deps;
    if (!shipments) return new Set();
    const unknown = [...new Set(pending.map((a) => a.waybill))].filter((w) => !known.has(w));
    await pool(unknown, 8, async (waybill) => {
      const s = await shipments.current(waybill);
      known.set(waybill, s !== undefined && !isOpenAndDelayed(s, now));
    });
    return new Set(pending.filter((a) => known.get(a.waybill)).map((a) => a.waybill));
  };
}

/** The contact as the registry has them now, for this mailbox's channel and address. */
function recipientNow(
  account: AccountWithContacts | undefined,
  contact: Contact | undefined,
  channel: Channel,
  recipient: string,
): RecipientNow {
  const deliveryFor = (severity: DelaySeverity): Delivery | undefined =>
    account && contact
      ? recipients({ ...account, contacts: [contact] }, severity).deliveries.find(
          (d) => d.channel === channel && d.recipient === recipient,
        )
      : undefined;
  return {
    wants: (severity) => deliveryFor(severity) !== undefined,
    quietUntil: (at) => {
      const d = deliveryFor('minor') ?? deliveryFor('major');
      if (!d) return undefined;
      const next = sendTime(d, 'minor', at);
      return next > at ? next : undefined;
    },
  };
}
