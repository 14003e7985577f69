/**
 * The names of domain values, in both languages: what a caller hears and a client or agent reads
 * for a complaint category, an exception reason, a milestone, a severity, an escalation level.
 * Part of the one message catalog (./index.ts); other modules read them through `label()`.
 */
export type Lang = 'zh-CN' | 'en';
export type Label = Record<Lang, string>;

const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });

export const LABELS = {
  category: {
    delay: L('运输延误', 'a delay'),
    damage: L('货物破损', 'damaged goods'),
    loss: L('货物丢失', 'lost goods'),
    'wrong-delivery': L('错送', 'a wrong delivery'),
    'short-shipment': L('短少', 'a short shipment'),
    billing: L('账单问题', 'billing'),
    'service-attitude': L('服务态度', 'service attitude'),
    other: L('其他问题', 'another matter'),
  },
  severity: {
    low: L('低', 'low'),
    medium: L('中', 'medium'),
    high: L('高', 'high'),
    critical: L('紧急', 'critical'),
  },
  reason: {
    weather: L('恶劣天气', 'bad weather'),
    accident: L('交通事故', 'a road accident'),
    'vehicle-breakdown': L('车辆故障', 'a vehicle breakdown'),
    'customs-hold': L('海关查验', 'a customs hold'),
    'address-issue': L('地址问题', 'an address issue'),
    damage: L('货物破损', 'damage to the goods'),
    loss: L('货物丢失', 'a loss'),
  },
  milestone: {
    'picked-up': L('已揽收', 'picked up'),
    departed: L('已发车', 'departed'),
    'arrived-at-hub': L('已到达转运中心', 'arrived at a hub'),
    customs: L('清关中', 'in customs'),
    'out-for-delivery': L('派送中', 'out for delivery'),
    delivered: L('已签收', 'delivered'),
    exception: L('运输异常', 'held up by an exception'),
  },
  /** Why a call was not placed when its moment came (campaigns/consent.ts, call-moment.ts). */
  skipReason: {
    'do-not-call': L('已设免打扰', 'do-not-call is set'),
    'no-consent': L('未授权来电', 'no consent to calls'),
    'account-lost': L('客户已流失', 'the account is lost'),
    'account-closed': L('客户已关闭', 'the account is closed'),
    'account-removed': L('客户已删除', 'the account was removed'),
    'contact-removed': L('联系人已删除', 'the contact was removed'),
    'number-removed': L('号码已删除', 'the number was removed'),
    'shipment-delivered': L('货物已签收，无需致电致歉', 'the shipment was delivered: no delay call needed'),
    'delay-cleared': L('延误已解除，无需致电', 'the delay was cleared: no delay call needed'),
    'no-phone': L('没有电话号码', 'no phone number'),
  },
  /** Complaint escalation levels: who an escalation goes to. */
  complaintStatus: {
    open: L('新建', 'open'),
    acknowledged: L('已受理', 'acknowledged'),
    'in-progress': L('处理中', 'in progress'),
    resolved: L('已解决', 'resolved'),
    closed: L('已关闭', 'closed'),
  },
  level: {
    '1': L('班组长', 'L1 team lead'),
    '2': L('大客户经理', 'L2 key-account manager'),
    '3': L('分公司经理', 'L3 branch manager'),
  },
  tier: {
    key: L('关键客户', 'key account'),
    'high-growth': L('高成长客户', 'high-growth prospect'),
    loyal: L('忠诚客户', 'loyal account'),
    'low-potential': L('低潜力客户', 'low-potential account'),
  },
  campaignType: {
    'account-review': L('大客户定期复盘', 'account review'),
    retention: L('客户挽留', 'retention'),
    'customer-callback': L('客户预约回电', 'customer-requested callback'),
    'complaint-follow-up': L('投诉回访', 'complaint follow-up'),
    'delay-call': L('延误主动致电', 'proactive delay call'),
  },
  campaignStatus: {
    draft: L('草稿', 'draft'),
    running: L('进行中', 'running'),
    paused: L('已暂停', 'paused'),
    cancelled: L('已取消', 'cancelled'),
    completed: L('已完成', 'completed'),
  },
  campaignAction: {
    start: L('启动', 'start'),
    pause: L('暂停', 'pause'),
    resume: L('恢复', 'resume'),
    cancel: L('取消', 'cancel'),
  },
} satisfies Record<string, Record<string, Label>>;

export type LabelKind = keyof typeof LABELS;

/** The name of a value in a language; an unknown value is shown as it is. */
export function label(kind: LabelKind, value: string | number | undefined, lang: Lang): string {
  if (value === undefined) return '';
  const table = LABELS[kind] as Record<string, Label>;
  return table[String(value)]?.[lang] ?? String(value);
}
