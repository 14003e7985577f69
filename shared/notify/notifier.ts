import { ulid } from 'ulid';
import type { Accounts } from '../accounts/service.ts';
import { ttlAfter } from '../platform/dynamo/claim.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { langOf } from '../platform/messages/index.ts';
import type { DelayDetected } from '../shipments/delay.ts';
import type { NotificationRecord } from './model.ts';
import { type Delivery, digestWindowStart, recipients, sendTime } from './policy.ts';
import type { NotificationRepo } from './repo.ts';
import { type EmailSender, OptedOut, type SmsSender } from './senders.ts';
import { type DelayFacts, delayDigest, delayEmail, delaySms } from './templates.ts';

export interface NotifierDeps {
  accounts: Pick<Accounts, 'get'>;
  notifications: NotificationRepo;
  sms: SmsSender;
  email: EmailSender;
  /** When given, a shipment's delay moves from detected to notified once an alert went out. */
  shipments?: { markNotified(waybill: string, severity: string): Promise<void> };
  /** Where the digest links to (the agent desktop or a client portal). */
  digestLink?: string;
  /** More than this many of an account's shipments slipping in one window turn into a digest. */
  digestThreshold?: number;
  digestWindowMinutes?: number;
}

/** How long a sender may hold an alert's claim before another may take it over. */
const LEASE_SECONDS = 90;

/** The alert could not be sent now: another sender holds it, or the send failed. SQS redelivers. */
class NotSentYet extends Error {}

/**
 * Tells the account's contacts about a delay: one alert per shipment × severity × channel ×
 * recipient (a claim, so an SQS redelivery never sends twice, and a sender that died gives it up
 * when its lease runs out); non-critical alerts wait out the contact's quiet hours; an opted-out
 * number is recorded and not retried; every outcome is logged on the account. A failed send
 * throws after giving its claim back, so SQS redelivers it.
 */
export async function notifyDelay(
  deps: NotifierDeps,
  event: DelayDetected,
  now = new Date(),
  options: { only?: Delivery[]; ignoreQuietHours?: boolean } = {},
): Promise<NotificationRecord[]> {
  const account = await deps.accounts.get(event.accountId);
  if (!account) return [];
  const owner = ulid();
  const { claims } = deps.notifications;
  const { deliveries, skipped } = recipients(account, event.severity);
  const records: NotificationRecord[] = [];
  const record = async (
    d: Pick<Delivery, 'channel' | 'recipient' | 'contact'>,
    status: NotificationRecord['status'],
    detail?: string,
    sendAt?: string,
  ) => {
    const r: NotificationRecord = {
      id: ulid(),
      at: now.toISOString(),
      accountId: account.id,
      waybill: event.waybill,
      severity: event.severity,
      channel: d.channel,
      recipient: d.recipient,
      contactName: d.contact.name,
      status,
      ...(detail ? { detail } : {}),
      ...(sendAt ? { sendAt } : {}),
    };
    await deps.notifications.log(r);
    records.push(r);
  };
  const wentOut = () =>
    records.some((r) => r.status === 'sent' || r.status === 'digest-sent' || r.status === 'in-digest');
  if (!options.only) for (const s of skipped) await record({ ...s, recipient: '—' }, 'skipped-no-consent');

  // Digest: when many of the account's shipments slip in one window (a snowstorm closes a
  // highway), each recipient gets one digest instead of dozens of alerts.
  const windowStart = digestWindowStart(now, deps.digestWindowMinutes ?? 60);
  const count = options.only
    ? 0
    : await deps.notifications.countDelay(account.id, windowStart, event.waybill, now);
  if (count > (deps.digestThreshold ?? 5)) {
    for (const d of deliveries) {
      const key = keys.claim.digest(account.id, windowStart, d.channel, d.recipient);
      const claim = await claims.take(key, {
        owner,
        now,
        leaseSeconds: LEASE_SECONDS,
        expiresAt: ttlAfter(now, 2),
      });
      if (!claim.taken) {
        await record(d, 'in-digest', `part of the digest for ${windowStart}`);
        continue;
      }
      const digest = delayDigest(
        {
          accountName: account.name,
          count,
          reason: event.reason,
          link: `${deps.digestLink ?? ''}/accounts/${account.id}/shipments`,
        },
        langOf(d.contact.language),
      );
      try {
        if (d.channel === 'sms') await deps.sms.send({ to: d.recipient, text: digest.sms });
        else
          await deps.email.send({
            to: d.recipient,
            subject: digest.subject,
            html: digest.html,
            text: digest.text,
          });
        await claims.complete(key, owner);
        await record(d, 'digest-sent', `${count} shipments`);
      } catch (err) {
        if (err instanceof OptedOut) await claims.complete(key, owner);
        else await claims.release(key, owner);
        await record(d, err instanceof OptedOut ? 'opted-out' : 'failed', (err as Error).message);
      }
    }
    if (wentOut()) await deps.shipments?.markNotified(event.waybill, event.severity);
    return records;
  }

  let failure: unknown;
  for (const d of options.only ?? deliveries) {
    const at = options.ignoreQuietHours ? now : sendTime(d, event.severity, now);
    if (at > now) {
      const sendAt = at.toISOString();
      await deps.notifications.defer(
        keys.notification.deferredId(event.waybill, event.severity, d.channel, d.recipient),
        sendAt,
        {
          event,
          channel: d.channel,
          recipient: d.recipient,
          contactId: d.contact.id,
        },
      );
      await record(d, 'deferred', 'quiet hours', sendAt);
      continue;
    }
    const key = keys.claim.notification(event.waybill, event.severity, d.channel, d.recipient);
    const claim = await claims.take(key, {
      owner,
      now,
      leaseSeconds: LEASE_SECONDS,
      expiresAt: ttlAfter(now, 30),
    });
    if (!claim.taken) {
      if (claim.state === 'done') await record(d, 'suppressed-duplicate');
      else failure ??= new NotSentYet(`another sender holds the alert to ${d.channel} ${d.recipient}`);
      continue;
    }
    if (d.channel === 'sms' && (await deps.notifications.isOptedOut(d.recipient))) {
      await claims.complete(key, owner);
      await record(d, 'opted-out', 'number opted out of SMS earlier');
      continue;
    }
    try {
      const facts = factsFor(event, account.name, d, account.dedicatedRep);
      const lang = langOf(d.contact.language);
      if (d.channel === 'sms') await deps.sms.send({ to: d.recipient, text: delaySms(facts, lang) });
      else await deps.email.send({ to: d.recipient, ...delayEmail(facts, lang) });
      await claims.complete(key, owner);
      await record(d, 'sent');
    } catch (err) {
      if (err instanceof OptedOut) {
        await claims.complete(key, owner);
        await deps.notifications.recordOptOut(d.recipient, now);
        await record(d, 'opted-out', err.message);
        continue;
      }
      await claims.release(key, owner);
      await record(d, 'failed', (err as Error).message);
      failure = err;
    }
  }
  if (wentOut()) await deps.shipments?.markNotified(event.waybill, event.severity);
  if (failure) throw failure;
  return records;
}

function factsFor(
  event: DelayDetected,
  accountName: string,
  d: Delivery,
  rep: string | undefined,
): DelayFacts {
  return {
    waybill: event.waybill,
    accountName,
    severity: event.severity,
    eta: event.eta,
    minutesLate: event.minutesLate,
    timeZone: d.timeZone,
    ...(event.location ? { location: event.location } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
    ...(rep ? { dedicatedContact: rep } : {}),
  };
}

/** Sends the notifications that waited out quiet hours. */
export async function sendDeferred(deps: NotifierDeps, now = new Date()): Promise<number> {
  let sent = 0;
  for (const item of await deps.notifications.dueDeferred(now)) {
    if (!(await deps.notifications.takeDeferred(item.id))) continue;
    const { event, channel, recipient, contactId } = item.payload as {
      event: DelayDetected;
      channel: 'sms' | 'email';
      recipient: string;
      contactId: string;
    };
    const account = await deps.accounts.get(event.accountId);
    const contact = account?.contacts.find((c) => c.id === contactId);
    if (!contact) continue;
    const timeZone = contact.timeZone ?? account?.timeZone ?? 'Asia/Shanghai';
    // Sent now: it already waited for the quiet hours to end.
    const records = await notifyDelay(deps, event, now, {
      only: [{ channel, recipient, contact, timeZone }],
      ignoreQuietHours: true,
    }).catch(() => []);
    sent += records.filter((r) => r.status === 'sent').length;
  }
  return sent;
}
