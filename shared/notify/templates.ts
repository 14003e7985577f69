import type { DelaySeverity } from '../domain/delay.ts';

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

const REASONS: Record<string, { zh: string; en: string }> = {
  weather: { zh: '恶劣天气', en: 'bad weather' },
  accident: { zh: '交通事故', en: 'a road accident' },
  'vehicle-breakdown': { zh: '车辆故障', en: 'a vehicle breakdown' },
  'customs-hold': { zh: '海关查验', en: 'a customs hold' },
  'address-issue': { zh: '地址问题', en: 'an address issue' },
  damage: { zh: '货物破损', en: 'damage' },
  loss: { zh: '货物丢失', en: 'a loss' },
};

const when = (iso: string, lang: 'zh-CN' | 'en', tz: string) =>
  new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: tz,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));

/**
 * The SMS: the facts that matter in one segment where it can (70 characters in Chinese, 160 in
 * GSM-7 English). The waybill, the new ETA and the reason; details are in the email.
 */
export function delaySms(f: DelayFacts, lang: 'zh-CN' | 'en'): string {
  const reason = f.reason ? REASONS[f.reason] : undefined;
  if (lang === 'en') {
    return `Keyline: waybill ${f.waybill} delayed${reason ? ` by ${reason.en}` : ''}. New ETA ${when(f.eta, 'en', f.timeZone)}. We are on it; your team will follow up.`;
  }
  return `【运输延误】运单${f.waybill}${reason ? `因${reason.zh}` : ''}延误，预计${when(f.eta, 'zh-CN', f.timeZone)}送达，专属团队正在处理。`;
}

/** SMS segments: 70 characters per segment for UCS-2 (Chinese), 160 for GSM-7. */
export function smsSegments(text: string): number {
  const gsm = /^[\x20-\x7E\n\r]*$/.test(text);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}

export function delayEmail(f: DelayFacts, lang: 'zh-CN' | 'en') {
  const reason = f.reason ? (REASONS[f.reason]?.[lang === 'en' ? 'en' : 'zh'] ?? f.reason) : undefined;
  const eta = when(f.eta, lang, f.timeZone);
  const hours = Math.round(f.minutesLate / 60);
  const esc = (s: string) =>
    s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
  const rows =
    lang === 'en'
      ? [
          ['Waybill', f.waybill],
          ['Where it is', f.location ?? '—'],
          ['New ETA', eta],
          ['Late by', `about ${hours} h`],
          ['Reason', reason ?? 'under investigation'],
          [
            'What we are doing',
            'Rerouting where possible and watching the shipment hour by hour; we will tell you as soon as it moves.',
          ],
          ['Your contact', f.dedicatedContact ?? 'your account team'],
        ]
      : [
          ['运单号', f.waybill],
          ['当前位置', f.location ?? '—'],
          ['最新预计送达', eta],
          ['预计延误', `约 ${hours} 小时`],
          ['原因', reason ?? '正在核实'],
          ['我们的处理', '尽可能改道运输并逐小时跟踪，货物一有进展立即通知您。'],
          ['专属联系人', f.dedicatedContact ?? '您的客户服务团队'],
        ];
  const subject =
    lang === 'en'
      ? `Delay notice: waybill ${f.waybill} (${f.accountName})`
      : `运输延误通知：运单 ${f.waybill}（${f.accountName}）`;
  const text = rows.map(([k, v]) => `${k}: ${v}`).join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif"><h2>${esc(subject)}</h2><table>${rows
    .map(
      ([k, v]) =>
        `<tr><th align="left" style="padding-right:12px">${esc(k ?? '')}</th><td>${esc(v ?? '')}</td></tr>`,
    )
    .join('')}</table></body></html>`;
  return { subject, text, html };
}

/** One message for many delayed shipments: the count, the cause and a link to the list. */
export function delayDigest(
  d: { accountName: string; count: number; reason?: string | undefined; link: string },
  lang: 'zh-CN' | 'en',
) {
  const reason = d.reason ? REASONS[d.reason] : undefined;
  if (lang === 'en') {
    const text = `${d.count} of your shipments are delayed${reason ? ` by ${reason.en}` : ''}. We are rerouting where we can. The list: ${d.link}`;
    return {
      sms: `Keyline: ${d.count} shipments delayed${reason ? ` (${reason.en})` : ''}. List: ${d.link}`,
      subject: `Delay digest: ${d.count} shipments (${d.accountName})`,
      text,
      html: `<p>${text}</p>`,
    };
  }
  const text = `您有 ${d.count} 票货物${reason ? `因${reason.zh}` : ''}延误，我们正在尽力改道运输。明细：${d.link}`;
  return {
    sms: `【运输延误汇总】${d.count}票货物${reason ? `因${reason.zh}` : ''}延误，明细：${d.link}`,
    subject: `运输延误汇总：${d.count} 票货物（${d.accountName}）`,
    text,
    html: `<p>${text}</p>`,
  };
}
