import {
  delayOf,
  type ExceptionReason,
  lastMilestone,
  type Milestone,
  type Shipment,
} from '../domain/shipment.ts';

export type PromptLanguage = 'zh-CN' | 'en';

const MILESTONE_TEXT: Record<Milestone, Record<PromptLanguage, string>> = {
  'picked-up': { 'zh-CN': '已揽收', en: 'picked up' },
  departed: { 'zh-CN': '已发车', en: 'departed' },
  'arrived-at-hub': { 'zh-CN': '已到达转运中心', en: 'arrived at a hub' },
  customs: { 'zh-CN': '清关中', en: 'in customs' },
  'out-for-delivery': { 'zh-CN': '派送中', en: 'out for delivery' },
  delivered: { 'zh-CN': '已签收', en: 'delivered' },
  exception: { 'zh-CN': '运输异常', en: 'held up by an exception' },
};

const REASON_TEXT: Record<ExceptionReason, Record<PromptLanguage, string>> = {
  accident: { 'zh-CN': '交通事故', en: 'a road accident' },
  weather: { 'zh-CN': '恶劣天气', en: 'bad weather' },
  'vehicle-breakdown': { 'zh-CN': '车辆故障', en: 'a vehicle breakdown' },
  'customs-hold': { 'zh-CN': '海关查验', en: 'a customs hold' },
  'address-issue': { 'zh-CN': '地址问题', en: 'an address issue' },
  damage: { 'zh-CN': '货物破损', en: 'damage to the goods' },
  loss: { 'zh-CN': '货物丢失', en: 'a loss' },
};

export interface TrackingAnswer {
  found: boolean;
  owner: boolean;
  status: string;
  lastMilestone: string;
  lastLocation: string;
  eta: string;
  delayed: boolean;
  minutesLate: number;
  prompt: string;
}

function when(iso: string, language: PromptLanguage, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-US' : 'zh-CN', {
    timeZone,
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    ...(language === 'en' ? { minute: '2-digit' } : {}),
  }).format(new Date(iso));
}

/** Digits read one by one, so Polly says "7 1 0 …" rather than a seven-billion number. */
export const spellDigits = (s: string) => s.split('').join(' ');

/**
 * What the IVR tells a caller about a waybill, for Polly to speak. The calling account's own
 * shipment gets the last scan, its place and the ETA; anyone else hears the status only.
 */
export function trackingAnswer(
  waybill: string,
  shipment: Shipment | undefined,
  opts: { owner: boolean; language: PromptLanguage; now: Date; timeZone?: string },
): TrackingAnswer {
  const { language: lang, owner } = opts;
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  const spoken = spellDigits(waybill);
  if (!shipment) {
    return {
      found: false,
      owner: false,
      status: '',
      lastMilestone: '',
      lastLocation: '',
      eta: '',
      delayed: false,
      minutesLate: 0,
      prompt:
        lang === 'en'
          ? `Sorry, we could not find waybill ${spoken}. Please check the number, or hold for an agent.`
          : `抱歉，没有查到运单 ${spoken}。请核对单号，或稍候转人工服务。`,
    };
  }
  const last = lastMilestone(shipment);
  const delay = delayOf(shipment, opts.now);
  const delivered = shipment.status === 'delivered';
  const statusText = delivered
    ? MILESTONE_TEXT.delivered[lang]
    : delay.delayed
      ? lang === 'en'
        ? 'in transit and running late'
        : '运输中，已延误'
      : lang === 'en'
        ? 'in transit'
        : '运输中';
  const base = {
    found: true,
    owner,
    status: delivered ? 'delivered' : delay.delayed ? 'delayed' : 'in-transit',
    delayed: delay.delayed,
    minutesLate: delay.minutesLate,
  };
  if (!owner) {
    return {
      ...base,
      lastMilestone: '',
      lastLocation: '',
      eta: '',
      prompt:
        lang === 'en'
          ? `Waybill ${spoken} is ${statusText}. For details, please call from a number registered to the shipper's account, or hold for an agent.`
          : `运单 ${spoken} 当前状态：${statusText}。如需详细信息，请使用发货客户登记的电话致电，或稍候转人工服务。`,
    };
  }
  const lastText = last ? MILESTONE_TEXT[last.milestone][lang] : '';
  const reason = last?.reason ? REASON_TEXT[last.reason][lang] : '';
  let prompt: string;
  if (lang === 'en') {
    prompt = `Waybill ${spoken} is ${statusText}.`;
    if (last) prompt += ` Latest scan: ${lastText}${reason ? ` due to ${reason}` : ''}, at ${last.location}.`;
    prompt += delivered ? '' : ` Expected delivery: ${when(shipment.eta, lang, tz)}.`;
    if (delay.delayed && !delivered)
      prompt += ' We are sorry for the delay; your account team has been alerted.';
  } else {
    prompt = `运单 ${spoken} 当前状态：${statusText}。`;
    if (last) prompt += `最新动态：${last.location}，${lastText}${reason ? `，原因：${reason}` : ''}。`;
    prompt += delivered ? '' : `预计送达时间：${when(shipment.eta, lang, tz)}。`;
    if (delay.delayed && !delivered) prompt += '给您带来不便，我们深表歉意，您的专属服务团队已跟进处理。';
  }
  return {
    ...base,
    lastMilestone: last?.milestone ?? '',
    lastLocation: last?.location ?? '',
    eta: delivered ? (shipment.delivery?.deliveredAt ?? shipment.eta) : shipment.eta,
    prompt,
  };
}
