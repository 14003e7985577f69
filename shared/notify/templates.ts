/**
 * The delay alerts as sent: texts from the message catalog, laid out per channel (one SMS
 * segment, an HTML and a text e-mail).
 */
import { formatTime, type Lang, type MessageKey, t } from '../platform/messages/index.ts';
import type { DelaySeverity } from '../shipments/model.ts';

export interface DelayFacts {
  waybill: string;
  accountName: string;
  severity: DelaySeverity;
  location?: string;
  eta: string;
  reason?: string;
  minutesLate: number;
  dedicatedContact?: string;
  timeZone: string;
}

/** The SMS: waybill, the new ETA and the reason, in one segment where it can. */
export function delaySms(f: DelayFacts, lang: Lang): string {
  return t(lang, 'alert.sms', {
    waybill: f.waybill,
    eta: formatTime(f.eta, lang, f.timeZone, 'short'),
    ...(f.reason ? { reason: f.reason } : {}),
  });
}

/** SMS segments: 70 characters per segment for UCS-2 (Chinese), 160 for GSM-7. */
export function smsSegments(text: string): number {
  const gsm = /^[\x20-\x7E\n\r]*$/.test(text);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

export function delayEmail(f: DelayFacts, lang: Lang) {
  const rows: [MessageKey, string][] = [
    ['alert.email.waybill', f.waybill],
    ['alert.email.location', f.location ?? '—'],
    ['alert.email.eta', formatTime(f.eta, lang, f.timeZone, 'short-zoned')],
    ['alert.email.lateBy', t(lang, 'alert.email.lateByValue', { hours: Math.round(f.minutesLate / 60) })],
    ['alert.email.reason', t(lang, 'alert.email.reasonValue', f.reason ? { reason: f.reason } : {})],
    ['alert.email.action', t(lang, 'alert.email.actionValue')],
    [
      'alert.email.contact',
      t(lang, 'alert.email.contactValue', f.dedicatedContact ? { contact: f.dedicatedContact } : {}),
    ],
  ];
  const labelled = rows.map(([k, v]) => [t(lang, k as 'alert.email.waybill'), v] as const);
  const subject = t(lang, 'alert.email.subject', { waybill: f.waybill, accountName: f.accountName });
  const text = labelled.map(([k, v]) => `${k}: ${v}`).join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif"><h2>${esc(subject)}</h2><table>${labelled
    .map(([k, v]) => `<tr><th align="left" style="padding-right:12px">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')}</table></body></html>`;
  return { subject, text, html };
}

/** One message for many delayed shipments: the count, the cause and a link to the list. */
export function delayDigest(
  d: { accountName: string; count: number; more?: boolean; reason?: string | undefined; link: string },
  lang: Lang,
) {
  const p = {
    count: d.count,
    more: d.more ?? false,
    link: d.link,
    ...(d.reason ? { reason: d.reason } : {}),
  };
  const text = t(lang, 'alert.digest.text', p);
  return {
    sms: t(lang, 'alert.digest.sms', p),
    subject: t(lang, 'alert.digest.subject', {
      count: d.count,
      more: d.more ?? false,
      accountName: d.accountName,
    }),
    text,
    html: `<p>${esc(text)}</p>`,
  };
}
