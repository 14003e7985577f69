import { ulid } from 'ulid';
import { type EmailSender, OptedOut, type SmsSender } from '../adapters/senders.ts';
import type { AccountWithContacts, Contact } from '../domain/account.ts';
import { inWindow, nextInWindow, timeZoneForPhone } from '../domain/calling-window.ts';
import type { DelaySeverity } from '../domain/delay.ts';
import type { AccountStore } from '../store/accounts.ts';
import type { NotificationRecord, NotificationStore } from '../store/notifications.ts';
import { type DelayFacts, delayDigest, delayEmail, delaySms } from './templates.ts';

/** The DelayDetected event as it travels through SNS and SQS. */
export interface DelayDetected {
  type: 'DelayDetected';
  waybill: string;
  accountId: string;
  tier: string;
  severity: DelaySeverity;
  trigger: string;
  reason?: string;
  minutesLate: number;
  eta: string;
  location?: string;
  createdAt: string;
}

export interface NotifierDeps {
  accounts: AccountStore;
  notifications: NotificationStore;
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

interface Delivery {
  channel: 'sms' | 'email';
  recipient: string;
  contact: Contact;
  timeZone: string;
}

/** Who hears about a delay, and how: each contact's channels for that severity, where consented. */
export function recipients(
  account: AccountWithContacts,
  severity: DelaySeverity,
): { deliveries: Delivery[]; skipped: { contact: Contact; channel: 'sms' | 'email' }[] } {
  const deliveries: Delivery[] = [];
  const skipped: { contact: Contact; channel: 'sms' | 'email' }[] = [];
  for (const contact of account.contacts) {
    const channels = contact.notificationPreferences.channels[severity];
    const mobile = contact.phones.find((p) => p.label === 'mobile')?.e164;
    const timeZone =
      contact.timeZone ?? (mobile ? timeZoneForPhone(mobile, account.timeZone) : account.timeZone);
    if (channels.includes('sms') && mobile) {
      if (contact.consent.sms) deliveries.push({ channel: 'sms', recipient: mobile, contact, timeZone });
      else skipped.push({ contact, channel: 'sms' });
    }
    if (channels.includes('email') && contact.email) {
      if (contact.consent.email)
        deliveries.push({ channel: 'email', recipient: contact.email, contact, timeZone });
      else skipped.push({ contact, channel: 'email' });
    }
  }
  return { deliveries, skipped };
}

/** Whether `at` falls in the contact's quiet hours (a window that may span midnight). */
export function inQuietHours(contact: Contact, timeZone: string, at: Date): boolean {
  const q = contact.notificationPreferences.quietHours;
  if (!q) return false;
  return inWindow(at, timeZone, { days: [1, 2, 3, 4, 5, 6, 7], start: q.start, end: q.end });
}

/**
 * Tells the account's contacts about a delay: one notification per shipment × severity × channel
 * × recipient (a conditional write, so an SQS redelivery never sends twice); non-critical alerts
 * wait out the contact's quiet hours; an opted-out number is recorded and not retried. Every
 * outcome is logged on the account. A failed send throws after giving its claim back, so SQS
 * redelivers it.
 */
export async function notifyDelay(
  deps: NotifierDeps,
  event: DelayDetected,
  now = new Date(),
  options: { only?: Delivery[]; ignoreQuietHours?: boolean } = {},
): Promise<NotificationRecord[]> {
  const account = await deps.accounts.get(event.accountId);
  if (!account) return [];
  const { deliveries, skipped } = recipients(account, event.severity);
  const records: NotificationRecord[] = [];
  const record = async (
    d: { channel: 'sms' | 'email'; recipient: string; contact: Contact },
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
  if (!options.only) for (const s of skipped) await record({ ...s, recipient: '—' }, 'skipped-no-consent');
  // Digest: when many of the account's shipments slip in one window (a snowstorm closes a
  // highway), each recipient gets one digest instead of dozens of alerts.
  const threshold = deps.digestThreshold ?? 5;
  const windowMs = (deps.digestWindowMinutes ?? 60) * 60_000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs).toISOString();
  const count = options.only
    ? 0
    : await deps.notifications.countDelay(account.id, windowStart, event.waybill, now);
  if (count > threshold) {
    for (const d of deliveries) {
      if (!(await deps.notifications.claimDigest(account.id, windowStart, d.channel, d.recipient, now))) {
        await record(d, 'in-digest', `part of the digest for ${windowStart}`);
        continue;
      }
      const lang = d.contact.language === 'en' ? 'en' : 'zh-CN';
      const digest = delayDigest(
        {
          accountName: account.name,
          count,
          reason: event.reason,
          link: `${deps.digestLink ?? ''}/accounts/${account.id}/shipments`,
        },
        lang,
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
        await record(d, 'digest-sent', `${count} shipments`);
      } catch (err) {
        await record(d, err instanceof OptedOut ? 'opted-out' : 'failed', (err as Error).message);
      }
    }
    if (records.some((r) => r.status === 'digest-sent' || r.status === 'in-digest'))
      await deps.shipments?.markNotified(event.waybill, event.severity);
    return records;
  }
  let failure: unknown;
  for (const d of options.only ?? deliveries) {
    if (
      !options.ignoreQuietHours &&
      event.severity !== 'critical' &&
      inQuietHours(d.contact, d.timeZone, now)
    ) {
      const q = d.contact.notificationPreferences.quietHours;
      const sendAt = q
        ? nextInWindow(now, d.timeZone, {
            days: [1, 2, 3, 4, 5, 6, 7],
            start: q.end,
            end: q.start,
          }).toISOString()
        : now.toISOString();
      await deps.notifications.defer(
        `${event.waybill}#${event.severity}#${d.channel}#${d.recipient}`,
        sendAt,
        { event, channel: d.channel, recipient: d.recipient, contactId: d.contact.id },
      );
      await record(d, 'deferred', 'quiet hours', sendAt);
      continue;
    }
    if (!(await deps.notifications.claim(event.waybill, event.severity, d.channel, d.recipient, now))) {
      await record(d, 'suppressed-duplicate');
      continue;
    }
    if (d.channel === 'sms' && (await deps.notifications.isOptedOut(d.recipient))) {
      await record(d, 'opted-out', 'number opted out of SMS earlier');
      continue;
    }
    const lang = d.contact.language === 'en' ? 'en' : 'zh-CN';
    const facts: DelayFacts = {
      waybill: event.waybill,
      accountName: account.name,
      severity: event.severity,
      eta: event.eta,
      minutesLate: event.minutesLate,
      timeZone: d.timeZone,
      ...(event.location ? { location: event.location } : {}),
      ...(event.reason ? { reason: event.reason } : {}),
      ...(account.dedicatedRep ? { dedicatedContact: account.dedicatedRep } : {}),
    };
    try {
      if (d.channel === 'sms') await deps.sms.send({ to: d.recipient, text: delaySms(facts, lang) });
      else await deps.email.send({ to: d.recipient, ...delayEmail(facts, lang) });
      await deps.notifications.markSent(event.waybill, event.severity, d.channel, d.recipient);
      await record(d, 'sent');
    } catch (err) {
      if (err instanceof OptedOut) {
        await deps.notifications.recordOptOut(d.recipient, now);
        await record(d, 'opted-out', err.message);
        continue;
      }
      await deps.notifications.unclaim(event.waybill, event.severity, d.channel, d.recipient);
      await record(d, 'failed', (err as Error).message);
      failure = err;
    }
  }
  if (records.some((r) => r.status === 'sent' || r.status === 'digest-sent' || r.status === 'in-digest')) {
    await deps.shipments?.markNotified(event.waybill, event.severity);
  }
  if (failure) throw failure;
  return records;
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
