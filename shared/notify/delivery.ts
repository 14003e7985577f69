/**
 * Delivering one message of a mailbox and writing what became of each alert on the account's
 * notification log: the adapters the notifier (notifier.ts) works through.
 */
import { ulid } from 'ulid';
import { type AccountWithContacts, accountNameIn, type Contact, callZone } from '../accounts/model.ts';
import { type Lang, langOf } from '../platform/messages/index.ts';
import type { DelayDetected } from '../shipments/delay.ts';
import type { Message, PendingAlert } from './mailbox.ts';
import type { NotificationRecord } from './model.ts';
import { type Channel, recipients } from './policy.ts';
import type { DestinationMark, NotificationRepo } from './repo.ts';
import { BadDestination, type EmailSender, OptedOut, type SmsSender } from './senders.ts';
import { type DelayFacts, delayDigest, delayEmail, delaySms } from './templates.ts';

/** What a send needs: the senders, and where digests link to. */
export interface Senders {
  sms: SmsSender;
  email: EmailSender;
  linkBase?: string | undefined;
}

/** The digest's link for an account: absolute, never an internal API path. */
export function digestLink(base: string | undefined, accountId: string): string {
  const root = base ?? 'http://127.0.0.1:4310/';
  if (root.includes('{accountId}')) return root.replaceAll('{accountId}', encodeURIComponent(accountId));
  const url = new URL(root);
  url.searchParams.set('account', accountId);
  return url.toString();
}

export type SendOutcome =
  | { ok: true }
  | { ok: false; mark: DestinationMark }
  | { ok: false; mark?: undefined; error: string };

export async function send(
  deps: Senders,
  message: Message,
  to: { channel: Channel; recipient: string; contact: Contact; account: AccountWithContacts },
  now: Date,
): Promise<SendOutcome> {
  const lang = langOf(to.contact.language);
  try {
    if (message.kind === 'single') {
      const facts = factsFor(message.alert.event, to.account, to.contact, lang);
      if (to.channel === 'sms') await deps.sms.send({ to: to.recipient, text: delaySms(facts, lang) });
      else await deps.email.send({ to: to.recipient, ...delayEmail(facts, lang) });
    } else {
      const digest = delayDigest(
        {
          accountName: accountNameIn(to.account, lang),
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

export const markDetail = (m: DestinationMark) =>
  m.status === 'opted-out' ? `opted out: ${m.reason}` : `undeliverable: ${m.reason}`;

function factsFor(
  event: DelayDetected,
  account: AccountWithContacts,
  contact: Contact,
  lang: Lang,
): DelayFacts {
  const timeZone = recipients({ ...account, contacts: [contact] }, event.severity).deliveries[0]?.timeZone;
  return {
    waybill: event.waybill,
    accountName: accountNameIn(account, lang),
    severity: event.severity,
    eta: event.eta,
    minutesLate: event.minutesLate,
    timeZone: timeZone ?? callZone(contact, account.timeZone),
    ...(event.location ? { location: event.location } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
    ...(account.dedicatedRep ? { dedicatedContact: account.dedicatedRep } : {}),
  };
}

export interface Log {
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
export function logger(
  deps: { notifications: NotificationRepo },
  account: AccountWithContacts | undefined,
  now: Date,
): Log {
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
