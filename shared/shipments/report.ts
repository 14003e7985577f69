import { stringify } from 'csv-stringify/sync';
import { ulid } from 'ulid';
import type { Contact } from '../accounts/model.ts';
import { accountNameIn } from '../accounts/model.ts';
import type { Accounts } from '../accounts/service.ts';
import type { NotificationRecord } from '../notify/model.ts';
import type { NotificationRepo } from '../notify/repo.ts';
import { BadDestination, type EmailSender, OptedOut } from '../notify/senders.ts';
import { type Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { escapeHtml, type Lang, langOf, t } from '../platform/messages/index.ts';
import { logger } from '../platform/observability/index.ts';
import { maskEmail } from '../platform/observability/mask.ts';
import { localDate } from '../platform/time.ts';
import { delayOf, lastMilestone, type Shipment } from './model.ts';
import type { Shipments } from './service.ts';

const HEADER = [
  'waybill',
  'origin',
  'destination',
  'status',
  'last_milestone',
  'last_location',
  'last_scan_at',
  'eta',
  'promised_at',
  'delayed',
  'minutes_late',
  'delay_reason',
  'delay_state',
  'service_line',
  'service_priority',
  'remedy',
];

type Cell = string | number | boolean;

/**
 * The report's rows (without the header): delayed shipments first, then by the line's order
 * service priority (seed 002), then the latest first.
 */
export function trackingReportRows(shipments: Shipment[], now: Date): Cell[][] {
  return shipments
    .map((s) => ({ s, d: delayOf(s, now), last: lastMilestone(s) }))
    .sort(
      (a, b) =>
        Number(b.d.delayed) - Number(a.d.delayed) ||
        (a.s.serviceLine?.rank ?? 99) - (b.s.serviceLine?.rank ?? 99) ||
        b.d.minutesLate - a.d.minutesLate,
    )
    .map(({ s, d, last }): Cell[] => [
      s.waybill,
      s.origin,
      s.destination,
      s.status,
      last?.milestone ?? '',
      last?.location ?? '',
      last?.at ?? '',
      s.eta,
      s.promisedAt,
      d.delayed,
      d.minutesLate,
      d.exceptionReason ?? (d.delayed ? (d.reason ?? '') : ''),
      s.delay?.state ?? '',
      s.serviceLine?.name ?? '',
      s.serviceLine?.rank ?? '',
      s.delay?.state !== 'cleared' ? (s.delay?.remedy?.code ?? '') : '',
    ]);
}

/** A BOM so spreadsheet software reads the Chinese place names as UTF-8; true/false spelled out. */
const CSV_OPTIONS = { bom: true, record_delimiter: '\r\n', cast: { boolean: (v: boolean) => String(v) } };

/** The transport tracking report (运输跟踪报表) of an account's in-transit shipments, as CSV. */
export function trackingReportCsv(shipments: Shipment[], now: Date): string {
  return stringify([HEADER, ...trackingReportRows(shipments, now)], CSV_OPTIONS);
}

const esc = escapeHtml;

/** The report as an HTML table for the e-mail body: headers in the reader's language, every cell escaped. */
export function trackingReportHtml(subject: string, rows: Cell[][], lang: Lang): string {
  const head = HEADER.map((h) => `<th>${esc(t(lang, 'report.column', { column: h }))}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<!doctype html><html><body style="font-family:sans-serif"><h2>${esc(subject)}</h2><table border="1" cellspacing="0" cellpadding="4"><tr>${head}</tr>${body}</table></body></html>`;
}

export interface ReportRun {
  sent: number;
  /** Sent (or refused) before today, by an earlier run: not sent again. */
  already: number;
  /** SES refused the address (suppression list: bounced or complained): skipped for today. */
  refused: number;
  /** Failed otherwise (SES unavailable, throttled): released, so a retried run sends them. */
  failed: number;
}

export interface ReportDeps {
  accounts: Accounts;
  shipments: Shipments;
  email: EmailSender;
  claims: Claims;
  /** The account's notification log, which the agent's card shows: each report's outcome is a line. */
  notifications: Pick<NotificationRepo, 'log'>;
}

/**
 * Emails each account's in-transit report to the contacts who opted in (and consented to
 * email), each once a day: a claim per contact and day (Shanghai date) is taken before the send and
 * completed after it, so a retried run sends only what failed. An address the sender refuses
 * (OptedOut, BadDestination) is counted, logged masked, and does not stop the run. Each outcome is a
 * line on the account's notification log, so an agent asked "where is my report?" sees it. Runs
 * daily in AWS (a run with failures fails, for the schedule's retry); the local stack runs it on
 * demand.
 */
export async function sendDailyReports(
  { accounts, shipments, email, claims, notifications }: ReportDeps,
  now = new Date(),
  only?: string,
): Promise<ReportRun> {
  const run: ReportRun = { sent: 0, already: 0, refused: 0, failed: 0 };
  const day = localDate(now, 'Asia/Shanghai');
  const owner = `report-${now.getTime()}`;
  const list = only ? [{ id: only }] : await accounts.list();
  for (const { id } of list) {
    const account = await accounts.get(id);
    if (!account) continue;
    const recipients = account.contacts.filter(
      (c) => c.notificationPreferences.dailyReport && c.consent.email && c.email,
    );
    if (recipients.length === 0) continue;
    const open = await shipments.listByAccount(id, 'open');
    const rows = trackingReportRows(open, now);
    const csv = stringify([HEADER, ...rows], CSV_OPTIONS);
    const delayed = open.filter((s) => delayOf(s, now).delayed).length;
    const log = (c: Contact, status: NotificationRecord['status'], detail?: string) =>
      notifications
        .log({
          id: ulid(),
          at: now.toISOString(),
          accountId: id,
          kind: 'daily-report',
          waybill: '',
          severity: '',
          channel: 'email',
          recipient: c.email ?? '',
          contactName: c.name,
          status,
          ...(detail ? { detail } : {}),
        })
        // The log is what the card shows, not the report: a failure to write it is logged, and the
        // report's outcome (sent, or released for the retry) stands.
        .catch((err: unknown) =>
          logger.warn('daily report: the notification log line was not written', {
            accountId: id,
            contactId: c.id,
            status,
            error: err as Error,
          }),
        );
    for (const c of recipients) {
      const key = keys.claim.dailyReport(id, c.id, day);
      const claim = await claims.take(key, { owner, now, leaseSeconds: 300, expiresAt: ttlAfter(now, 3) });
      if (!claim.taken) {
        run.already++;
        continue;
      }
      const lang = langOf(c.language);
      const subject = t(lang, 'report.subject', {
        inTransit: open.length,
        delayed,
        accountName: accountNameIn(account, lang),
      });
      const html = trackingReportHtml(subject, rows, lang);
      try {
        await email.send({ to: c.email ?? '', subject, html, text: csv });
      } catch (err) {
        if (err instanceof OptedOut || err instanceof BadDestination) {
          // It would be refused again today: the claim is completed with why.
          const refused = err instanceof OptedOut ? 'opted-out' : 'bad-destination';
          logger.warn('daily report: the address is refused', {
            accountId: id,
            contactId: c.id,
            to: maskEmail(c.email ?? ''),
            refused,
            reason: err.message,
          });
          run.refused++;
          await claims.complete(key, owner, { refused }).catch(() => undefined);
          await log(c, refused === 'opted-out' ? 'opted-out' : 'undeliverable', err.message);
          continue;
        }
        logger.warn('daily report: the send failed', {
          accountId: id,
          contactId: c.id,
          to: maskEmail(c.email ?? ''),
          error: err as Error,
        });
        await claims.release(key, owner);
        run.failed++;
        await log(c, 'failed', (err as Error).message);
        continue;
      }
      run.sent++;
      await log(c, 'sent');
      // Sent: a failure to mark it so leaves the claim held until its lease runs out, never released
      // for a retry to send it again at once.
      await claims.complete(key, owner).catch(() => undefined);
    }
  }
  return run;
}
