import type { ComplaintCategory, ComplaintInput } from '../domain/complaint.ts';
import type { ComplaintSeverity } from '../domain/sla.ts';
import { spellDigits } from './tracking-prompt.ts';

/** The IVR menu: the digit a caller presses for each category. */
export const IVR_CATEGORY_DIGITS: Record<string, ComplaintCategory> = {
  '1': 'delay',
  '2': 'damage',
  '3': 'loss',
  '4': 'wrong-delivery',
  '5': 'short-shipment',
  '6': 'billing',
  '7': 'service-attitude',
  '9': 'other',
};

const CATEGORY_TEXT: Record<ComplaintCategory, { zh: string; en: string }> = {
  delay: { zh: '运输延误', en: 'a delay' },
  damage: { zh: '货物破损', en: 'damaged goods' },
  loss: { zh: '货物丢失', en: 'lost goods' },
  'wrong-delivery': { zh: '错送', en: 'a wrong delivery' },
  'short-shipment': { zh: '短少', en: 'a short shipment' },
  billing: { zh: '账单问题', en: 'billing' },
  'service-attitude': { zh: '服务态度', en: 'service attitude' },
  other: { zh: '其他问题', en: 'another matter' },
};

/** Severity of a complaint filed from the IVR, where nobody is there to judge it. */
export function ivrSeverity(category: ComplaintCategory, tier: string): ComplaintSeverity {
  if (category === 'loss') return tier === 'key' ? 'critical' : 'high';
  if (category === 'damage') return 'high';
  if (category === 'delay' || category === 'wrong-delivery' || category === 'short-shipment')
    return tier === 'key' ? 'high' : 'medium';
  return 'low';
}

export function ivrDescription(
  category: ComplaintCategory,
  waybill: string | undefined,
): ComplaintInput['description'] {
  return `IVR complaint: ${CATEGORY_TEXT[category].en}${waybill ? ` (waybill ${waybill})` : ''}. 电话语音投诉：${CATEGORY_TEXT[category].zh}${waybill ? `（运单 ${waybill}）` : ''}。`;
}

function when(iso: string, language: 'zh-CN' | 'en', timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-US' : 'zh-CN', {
    timeZone,
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** What the caller hears once the complaint is recorded: the reference and the acknowledge-by time. */
export function complaintRecordedPrompt(
  reference: string,
  category: ComplaintCategory,
  ackDueAt: string,
  language: 'zh-CN' | 'en',
  timeZone: string,
): string {
  const ref = spellDigits(reference);
  return language === 'en'
    ? `Thank you. Your complaint about ${CATEGORY_TEXT[category].en} is recorded. Your reference number is ${ref}. We will get back to you by ${when(ackDueAt, language, timeZone)}.`
    : `谢谢您。您关于${CATEGORY_TEXT[category].zh}的投诉已登记，投诉编号 ${ref}。我们将在 ${when(ackDueAt, language, timeZone)} 之前与您联系。`;
}
