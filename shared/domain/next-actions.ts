/**
 * Recommended next actions for the agent, from simple documented rules. Each rule reads the
 * card's facts and may add one action; the list is ordered most urgent first.
 *
 * | code | when |
 * |---|---|
 * | escalate-breached-sla | a key account has a complaint whose SLA is breached |
 * | explain-delay-offer-callback | a shipment is critically late: an exception, or 4 h+ late |
 * | explain-delay | any other late shipment |
 * | review-open-complaints | open complaints exist |
 * | take-ownership-repeat-caller | 3+ calls from the account in the last 24 h |
 * | confirm-account | the number belongs to several accounts |
 * | service-below-commitment | the 90-day on-time rate is below the contracted commitment |
 * | speak-english | the contact's language is English |
 * | no-outbound-call | the contact is on do-not-call: offer email or SMS, not a callback |
 */
export interface ActionFacts {
  tier: string;
  ambiguous: boolean;
  contactLanguage?: string;
  doNotCall?: boolean;
  onTimeCommitment: number;
  onTimeRate: number | null;
  openComplaints: { slaState: 'on-track' | 'at-risk' | 'breached' }[];
  delayedShipments: { waybill: string; minutesLate: number; exception: boolean }[];
  callsLast24h: number;
}

export interface NextAction {
  code: string;
  urgency: 'high' | 'medium' | 'low';
  zh: string;
  en: string;
}

const CRITICAL_MINUTES = 240;

export function nextActions(f: ActionFacts): NextAction[] {
  const out: NextAction[] = [];
  const breached = f.openComplaints.filter((c) => c.slaState === 'breached').length;
  if (f.tier === 'key' && breached > 0) {
    out.push({
      code: 'escalate-breached-sla',
      urgency: 'high',
      zh: `关键客户有 ${breached} 个投诉已超出时限：立即升级至客户经理`,
      en: `Key account with ${breached} breached complaint SLA(s): escalate to the account manager now`,
    });
  }
  const critical = f.delayedShipments.filter((s) => s.exception || s.minutesLate >= CRITICAL_MINUTES);
  if (critical.length > 0) {
    out.push({
      code: 'explain-delay-offer-callback',
      urgency: 'high',
      zh: `${critical.length} 票货物严重延误（${critical.map((s) => s.waybill).join('、')}）：说明原因与补救措施，并主动提出回电`,
      en: `${critical.length} critically late shipment(s) (${critical.map((s) => s.waybill).join(', ')}): explain the cause and remedy, and offer a callback`,
    });
  } else if (f.delayedShipments.length > 0) {
    out.push({
      code: 'explain-delay',
      urgency: 'medium',
      zh: `${f.delayedShipments.length} 票货物延误：告知最新预计送达时间`,
      en: `${f.delayedShipments.length} late shipment(s): give the new ETA`,
    });
  }
  if (f.openComplaints.length > 0) {
    out.push({
      code: 'review-open-complaints',
      urgency: f.openComplaints.some((c) => c.slaState !== 'on-track') ? 'high' : 'medium',
      zh: `有 ${f.openComplaints.length} 个未结投诉：先确认处理进展，避免客户重复陈述`,
      en: `${f.openComplaints.length} open complaint(s): update the caller before they have to repeat themselves`,
    });
  }
  if (f.callsLast24h >= 3) {
    out.push({
      code: 'take-ownership-repeat-caller',
      urgency: 'high',
      zh: `该客户 24 小时内已来电 ${f.callsLast24h} 次：由您负责到底，不要转接`,
      en: `${f.callsLast24h} calls in 24 hours: own this case end to end, do not transfer`,
    });
  }
  if (f.ambiguous) {
    out.push({
      code: 'confirm-account',
      urgency: 'medium',
      zh: '该号码属于多个客户：请先确认来电代表哪家客户',
      en: 'This number belongs to several accounts: confirm which client the caller represents',
    });
  }
  if (f.onTimeRate !== null && f.onTimeRate < f.onTimeCommitment) {
    const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
    out.push({
      code: 'service-below-commitment',
      urgency: 'medium',
      zh: `近 90 天准时率 ${pct(f.onTimeRate)}，低于承诺的 ${pct(f.onTimeCommitment)}：主动致歉并告知客户经理`,
      en: `90-day on-time rate ${pct(f.onTimeRate)} is below the ${pct(f.onTimeCommitment)} commitment: acknowledge it and tell the account manager`,
    });
  }
  if (f.contactLanguage === 'en') {
    out.push({
      code: 'speak-english',
      urgency: 'low',
      zh: '联系人使用英语沟通',
      en: 'The contact prefers English',
    });
  }
  if (f.doNotCall) {
    out.push({
      code: 'no-outbound-call',
      urgency: 'low',
      zh: '联系人拒绝外呼：如需跟进请用短信或邮件',
      en: 'Contact is on do-not-call: follow up by SMS or email, not a callback',
    });
  }
  const order = { high: 0, medium: 1, low: 2 };
  return out.sort((a, b) => order[a.urgency] - order[b.urgency]);
}
