import type { Accounts } from '../accounts/service.ts';
import type { EmailSender } from '../notify/senders.ts';
import { langOf, t } from '../platform/messages/index.ts';
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
];

const cell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** The transport tracking report (运输跟踪报表) of an account's in-transit shipments, as CSV. */
export function trackingReportCsv(shipments: Shipment[], now: Date): string {
  const rows = shipments
    .map((s) => {
      const d = delayOf(s, now);
      const last = lastMilestone(s);
      return [
        s.waybill,
        s.origin,
        s.destination,
        s.status,
        last?.milestone,
        last?.location,
        last?.at,
        s.eta,
        s.promisedAt,
        d.delayed,
        d.minutesLate,
        d.exceptionReason ?? (d.delayed ? d.reason : ''),
        s.delay?.state ?? '',
      ];
    })
    .sort((a, b) => Number(b[9]) - Number(a[9]) || Number(b[10]) - Number(a[10]));
  // A BOM so spreadsheet software reads the Chinese place names as UTF-8.
  return `\uFEFF${[HEADER, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * Emails each account's in-transit report to the contacts who opted in (and consented to
 * email). Runs daily in AWS; the local stack runs it on demand.
 */
export async function sendDailyReports(
  accounts: Accounts,
  shipments: Shipments,
  email: EmailSender,
  now = new Date(),
  only?: string,
): Promise<number> {
  let sent = 0;
  const list = only ? [{ id: only }] : await accounts.list();
  for (const { id } of list) {
    const account = await accounts.get(id);
    if (!account) continue;
    const recipients = account.contacts.filter(
      (c) => c.notificationPreferences.dailyReport && c.consent.email && c.email,
    );
    if (recipients.length === 0) continue;
    const open = await shipments.listByAccount(id, 'open');
    const csv = trackingReportCsv(open, now);
    const delayed = open.filter((s) => delayOf(s, now).delayed).length;
    for (const c of recipients) {
      const subject = t(langOf(c.language), 'report.subject', {
        inTransit: open.length,
        delayed,
        accountName: account.name,
      });
      const rows = csv.replace('\uFEFF', '').trim().split('\r\n');
      const html = `<!doctype html><html><body style="font-family:sans-serif"><h2>${subject}</h2><table border="1" cellspacing="0" cellpadding="4">${rows
        .map(
          (r, i) =>
            `<tr>${r
              .split(',')
              .map((x) => (i === 0 ? `<th>${x}</th>` : `<td>${x}</td>`))
              .join('')}</tr>`,
        )
        .join('')}</table></body></html>`;
      await email.send({ to: c.email ?? '', subject, html, text: csv });
      sent++;
    }
  }
  return sent;
}
