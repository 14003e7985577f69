import { ulid } from 'ulid';
import type { AccountWithContacts, Contact } from '../accounts/model.ts';
import type { Accounts } from '../accounts/service.ts';
import { ttlAfter } from '../platform/dynamo/claim.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { langOf } from '../platform/messages/index.ts';
import type { DelayDetected } from '../shipments/delay.ts';
import type { DelaySeverity } from '../shipments/model.ts';
import {
  afterFailure,
  afterSent,
  DEFAULT_MAILBOX_POLICY,
  type MailboxPolicy,
  type Message,
  nextAction,
  type PendingAlert,
  type RecipientNow,
} from './mailbox.ts';
import type { NotificationRecord } from './model.ts';
import { type Channel, type Delivery, recipients, sendTime } from './policy.ts';
import type { DestinationMark, NotificationRepo } from './repo.ts';
import { BadDestination, type EmailSender, OptedOut, type SmsSender } from './senders.ts';
import { type DelayFacts, delayDigest, delayEmail, delaySms } from './templates.ts';

export interface NotifierDeps {
  accounts: Pick<Accounts, 'get'>;
  notifications: NotificationRepo;
  sms: SmsSender;
  email: EmailSender;
  /** When given, a shipment's delay moves from detected to notified once an alert went out. */
  shipments?: { markNotified(waybill: string, severity: string): Promise<void> };
  /**
   * Where a digest links to: an absolute URL (a client tracking page, or the desktop), with
   * `{accountId}` replaced, or `?account=<id>` added when it has no placeholder.
   */
  linkBase?: string;
  /** Digest and retry settings (mailbox.ts); the two below are shorthands kept for callers. */
  policy?: Partial<MailboxPolicy>;
  digestThreshold?: number;
  digestWindowMinutes?: number;
  random?: () => number;
  /** Told of every message given up after its last attempt (the Lambda publishes a metric). */
  onDeadLetter?: (records: NotificationRecord[]) => void;
}

/** How long one sender may hold a mailbox before another may take it over. */
const LEASE_SECONDS = 120;
/** Messages one pass sends from one mailbox at most (the rest stay due). */
const MAX_SENDS_PER_PASS = 25;

const policyOf = (deps: NotifierDeps): MailboxPolicy => ({
  ...DEFAULT_MAILBOX_POLICY,
  ...(deps.digestThreshold !== undefined ? { threshold: deps.digestThreshold } : {}),
  ...(deps.digestWindowMinutes !== undefined ? { windowMinutes: deps.digestWindowMinutes } : {}),
  ...deps.policy,
});

/** The digest's link for an account: absolute, never an internal API path. */
export function digestLink(base: string | undefined, accountId: string): string {
  const root = base ?? 'http://127.0.0.1:4310/';
  if (root.includes('{accountId}')) return root.replaceAll('{accountId}', encodeURIComponent(accountId));
  const url = new URL(root);
  url.searchParams.set('account', accountId);
  return url.toString();
}

/**
 * A delay reaches the account's contacts: each consented channel of each contact gets the alert
 * in its mailbox (once, however often the event is redelivered), and each mailbox is worked at
 * once (mailbox.ts decides: alone, digest, wait for quiet hours). A send that fails stays in the
 * mailbox and is retried from the due index, so this throws only when the alert could not be
 * stored at all (and the queue redelivers the event).
 */
export async function notifyDelay(
  deps: NotifierDeps,
  event: DelayDetected,
  now = new Date(),
): Promise<NotificationRecord[]> {
  const account = await deps.accounts.get(event.accountId);
  if (!account) return [];
  const log = logger(deps, account, now);
  const { deliveries, skipped } = recipients(account, event.severity);
  for (const s of skipped)
    await log.write(
      { ...s, recipient: '—' },
      [{ waybill: event.waybill, severity: event.severity }],
      'skipped-no-consent',
    );
  const alert: PendingAlert = {
    waybill: event.waybill,
    severity: event.severity,
    event,
    createdAt: now.toISOString(),
  };
  for (const d of deliveries) {
    const fresh = await deps.notifications.enqueue(
      { channel: d.channel, recipient: d.recipient, accountId: account.id, contactId: d.contact.id },
      alert,
      now,
    );
    if (!fresh) {
      await log.write(d, [alert], 'suppressed-duplicate');
      continue;
    }
    const left = await workMailbox(deps, d.channel, d.recipient, now, log);
    if (left.waitingUntil && left.why !== 'retry' && left.pending.some((a) => a.waybill === event.waybill))
      await log.write(
        d,
        [alert],
        'deferred',
        left.why === 'quiet-hours' ? 'quiet hours' : 'digest window',
        left.waitingUntil,
      );
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

interface Left {
  pending: PendingAlert[];
  waitingUntil?: string;
  why?: 'quiet-hours' | 'digest-window' | 'retry';
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
    leaseSeconds: LEASE_SECONDS,
    expiresAt: ttlAfter(now, 1),
  });
  // Another sender works it now; the alert just stored moved the mailbox's sequence, so that
  // sender leaves it due when it is done.
  if (!took.taken) return { pending: [] };
  try {
    let mark: DestinationMark | undefined = await deps.notifications.destinationMark(channel, recipient);
    for (let pass = 0; pass < MAX_SENDS_PER_PASS; pass++) {
      const box = await deps.notifications.loadMailbox(channel, recipient);
      if (!box) return { pending: [] };
      const account = await deps.accounts.get(box.accountId);
      const contact = account?.contacts.find((c) => c.id === box.contactId);
      const to = { channel, recipient, contact, account };
      if (mark && box.pending.length > 0) {
        await deps.notifications.settle(channel, recipient, box.pending, mark.status, now);
        await log.write(to, box.pending, mark.status, markDetail(mark));
        await deps.notifications.saveMailbox(channel, recipient, box.state, box.seq, undefined);
        return { pending: [] };
      }
      const who = recipientNow(account, contact, channel, recipient);
      const action = nextAction(box.pending, box.state, who, now, policy);
      if (action.do === 'nothing') {
        await deps.notifications.saveMailbox(channel, recipient, box.state, box.seq, undefined);
        return { pending: [] };
      }
      if (action.do === 'drop') {
        await deps.notifications.settle(channel, recipient, action.alerts, 'skipped-no-consent', now);
        await log.write(to, action.alerts, 'skipped-no-consent', 'no longer wanted when it was time to send');
        continue;
      }
      if (action.do === 'wait') {
        await deps.notifications.saveMailbox(channel, recipient, box.state, box.seq, action.until);
        return { pending: box.pending, waitingUntil: action.until.toISOString(), why: action.why };
      }
      // Send: the account and contact exist, or `who` would not want anything.
      if (!account || !contact) return { pending: box.pending };
      const message = action.message;
      const outcome = await send(deps, message, { channel, recipient, contact, account }, now);
      const alerts = message.kind === 'single' ? [message.alert] : message.alerts;
      if (outcome.ok) {
        await deps.notifications.settle(
          channel,
          recipient,
          alerts,
          message.kind === 'digest' ? 'in-digest' : 'sent',
          now,
        );
        if (message.kind === 'digest') {
          const [first, ...rest] = alerts;
          await log.write(to, first ? [first] : [], 'digest-sent', `${message.count} shipments`);
          await log.write(to, rest, 'in-digest');
        } else await log.write(to, alerts, 'sent');
        await deps.notifications.saveMailbox(
          channel,
          recipient,
          afterSent(box.state, action.message, now, policy),
          box.seq,
          now,
        );
        for (const a of alerts) await deps.shipments?.markNotified(a.waybill, a.severity);
        continue;
      }
      if (outcome.mark) {
        mark = outcome.mark;
        await deps.notifications.markDestination(channel, recipient, mark);
        continue;
      }
      const next = afterFailure(box.state, now, policy, deps.random);
      if (next.deadLetter) {
        await deps.notifications.settle(channel, recipient, alerts, 'dead-lettered', now);
        const records = await log.write(
          to,
          alerts,
          'dead-lettered',
          `gave up after ${policy.maxAttempts} attempts: ${outcome.error}`,
        );
        deps.onDeadLetter?.(records);
        await deps.notifications.saveMailbox(channel, recipient, next.state, box.seq, now);
        continue;
      }
      await log.write(
        to,
        alerts,
        'retrying',
        `attempt ${next.state.attempts} failed: ${outcome.error}`,
        next.retryAt?.toISOString(),
      );
      await deps.notifications.saveMailbox(channel, recipient, next.state, box.seq, next.retryAt);
      return {
        pending: box.pending,
        ...(next.retryAt ? { waitingUntil: next.retryAt.toISOString() } : {}),
        why: 'retry',
      };
    }
    return { pending: [] };
  } finally {
    await claims.release(lease, owner);
  }
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

type SendOutcome =
  | { ok: true }
  | { ok: false; mark: DestinationMark }
  | { ok: false; mark?: undefined; error: string };

async function send(
  deps: NotifierDeps,
  message: Message,
  to: { channel: Channel; recipient: string; contact: Contact; account: AccountWithContacts },
  now: Date,
): Promise<SendOutcome> {
  const lang = langOf(to.contact.language);
  try {
    if (message.kind === 'single') {
      const facts = factsFor(message.alert.event, to.account, to.contact);
      if (to.channel === 'sms') await deps.sms.send({ to: to.recipient, text: delaySms(facts, lang) });
      else await deps.email.send({ to: to.recipient, ...delayEmail(facts, lang) });
    } else {
      const digest = delayDigest(
        {
          accountName: to.account.name,
          count: message.count,
          more: message.more,
          reason: message.reason,
          link: digestLink(deps.linkBase, to.account.id),
        },
        lang,
      );
      if (to.channel === 'sms') await deps.sms.send({ to: to.recipient, text: digest.sms });
      else
        await deps.email.send({
          to: to.recipient,
          subject: digest.subject,
          html: digest.html,
          text: digest.text,
        });
    }
    return { ok: true };
  } catch (err) {
    const since = now.toISOString();
    if (err instanceof OptedOut)
      return { ok: false, mark: { status: 'opted-out', reason: err.message, since } };
    if (err instanceof BadDestination)
      return { ok: false, mark: { status: 'undeliverable', reason: err.message, since } };
    return { ok: false, error: (err as Error).message };
  }
}

const markDetail = (m: DestinationMark) =>
  m.status === 'opted-out' ? `opted out: ${m.reason}` : `undeliverable: ${m.reason}`;

function factsFor(event: DelayDetected, account: AccountWithContacts, contact: Contact): DelayFacts {
  const timeZone = recipients({ ...account, contacts: [contact] }, event.severity).deliveries[0]?.timeZone;
  return {
    waybill: event.waybill,
    accountName: account.name,
    severity: event.severity,
    eta: event.eta,
    minutesLate: event.minutesLate,
    timeZone: timeZone ?? contact.timeZone ?? account.timeZone,
    ...(event.location ? { location: event.location } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
    ...(account.dedicatedRep ? { dedicatedContact: account.dedicatedRep } : {}),
  };
}

interface Log {
  records: NotificationRecord[];
  write(
    to: {
      channel: Channel;
      recipient: string;
      contact?: Contact | undefined;
      account?: AccountWithContacts | undefined;
    },
    alerts: Pick<PendingAlert, 'waybill' | 'severity'>[],
    status: NotificationRecord['status'],
    detail?: string,
    sendAt?: string,
  ): Promise<NotificationRecord[]>;
}

/** Each outcome on the account's notification log (what the card shows), one line per alert. */
function logger(deps: NotifierDeps, account: AccountWithContacts | undefined, now: Date): Log {
  const records: NotificationRecord[] = [];
  return {
    records,
    async write(to, alerts, status, detail, sendAt) {
      const accountId = to.account?.id ?? account?.id;
      if (!accountId) return [];
      const written: NotificationRecord[] = [];
      for (const a of alerts) {
        const r: NotificationRecord = {
          id: ulid(),
          at: now.toISOString(),
          accountId,
          waybill: a.waybill,
          severity: a.severity,
          channel: to.channel,
          recipient: to.recipient,
          contactName: to.contact?.name ?? '—',
          status,
          ...(detail ? { detail } : {}),
          ...(sendAt ? { sendAt } : {}),
        };
        await deps.notifications.log(r);
        written.push(r);
      }
      records.push(...written);
      return written;
    },
  };
}
