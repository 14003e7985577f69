import { pct } from './format.ts';
import { label } from './labels.ts';
import { msg } from './message.ts';

/** What agents, team leads and managers read: complaint history, escalations, next actions. */
export const SERVICE = {
  'complaint.history.created': msg<{ category: string; severity: string }>(
    (p) => `${label('category', p.category, 'zh-CN')} · ${label('severity', p.severity, 'zh-CN')}`,
    (p) => `${label('category', p.category, 'en')} · ${label('severity', p.severity, 'en')}`,
  ),
  'complaint.history.escalated': msg<{ level: number }>(
    (p) => `升级至 L${p.level} ${label('level', p.level, 'zh-CN')}`,
    (p) => label('level', p.level, 'en'),
  ),
  'complaint.history.escalationDeferred': msg(
    () => '升级通知未能发出，将自动重试',
    () => 'the escalation event could not be published; it will be retried',
  ),
  'complaint.history.followUp': msg<{ score: number; accepted: boolean }>(
    (p) => `回访：评分 ${p.score}/5，${p.accepted ? '客户认可处理结果' : '客户不认可处理结果'}`,
    (p) => `follow-up: score ${p.score}/5, ${p.accepted ? 'resolution accepted' : 'resolution rejected'}`,
  ),
  /** SNS subjects are ASCII: operators' English. */
  'complaint.escalated.subject': msg<{ reference: string; level: number }>(
    (p) => `Complaint ${p.reference} escalated to ${label('level', p.level, 'en')}`,
    (p) => `Complaint ${p.reference} escalated to ${label('level', p.level, 'en')}`,
  ),
  'callback.note.noPhone': msg(
    () => '没有登记电话号码',
    () => 'no phone number on file',
  ),
  'callback.note.noComplainantPhone': msg(
    () => '投诉联系人没有登记电话号码',
    () => 'no phone number on file for the complaining contact',
  ),
  'callback.note.campaignCancelled': msg(
    () => '活动已取消',
    () => 'campaign cancelled',
  ),
  'callback.note.complaintReopened': msg(
    () => '投诉已重新打开，本次满意度回访取消',
    () => 'complaint reopened; this satisfaction follow-up call is called off',
  ),
  'callback.note.campaignExpired': msg(
    () => '拨打前活动已过期',
    () => 'campaign expired before the call',
  ),
  'callback.note.skipped': msg<{ reason: string }>(
    (p) => `拨打前核对：${label('skipReason', p.reason, 'zh-CN')}，未拨打`,
    (p) => `checked before the call: ${label('skipReason', p.reason, 'en')}; not dialed`,
  ),
  'callback.note.windowClosed': msg<{ days: number }>(
    (p) => `呼叫时段在未来 ${p.days} 天内不再开放（开放日均为节假日），未拨打`,
    (p) =>
      `the calling window does not open again in the next ${p.days} days (every open day a holiday); not dialed`,
  ),
  'callback.note.outcomeUnknown': msg(
    () => '未收到通话结果，按未接通处理',
    () => 'no call outcome arrived; treated as unanswered',
  ),
  'callback.note.gaveUp': msg<{ count: number }>(
    (p) => `拨号在拨出前连续中断 ${p.count} 次，已停止自动重试：请人工跟进`,
    (p) =>
      `the dial broke off before the call ${p.count} times in a row; no more automatic retries: follow up by hand`,
  ),
  'callback.note.connectFailed': msg<{ count: number; detail: string }>(
    (p) => `Amazon Connect 连续 ${p.count} 次未能拨出（${p.detail}），已停止自动重试：请人工跟进`,
    (p) =>
      `Amazon Connect failed to place the call ${p.count} times in a row (${p.detail}); no more automatic retries: follow up by hand`,
  ),
  'callback.note.rejected': msg<{ detail: string }>(
    (p) => `号码被拒绝拨打：${p.detail}`,
    (p) => `the number was refused: ${p.detail}`,
  ),
  'callback.note.criticalDelay': msg<{ waybill: string }>(
    (p) => `运单 ${p.waybill} 严重延误`,
    (p) => `critical delay on waybill ${p.waybill}`,
  ),
  'callback.note.followUp': msg<{ days: number }>(
    (p) => `定期回访（每 ${p.days} 天）：了解满意度与改进意见，记录评分`,
    (p) =>
      `scheduled follow-up (every ${p.days} days): ask about satisfaction and improvements, record the score`,
  ),
  'action.escalate-breached-sla': msg<{ count: number }>(
    (p) => `关键客户有 ${p.count} 个投诉已超出时限：立即升级至客户经理`,
    (p) => `Key account with ${p.count} breached complaint SLA(s): escalate to the account manager now`,
  ),
  'action.explain-delay-offer-callback': msg<{ waybills: string[] }>(
    (p) =>
      `${p.waybills.length} 票货物严重延误（${p.waybills.join('、')}）：说明原因与补救措施，并主动提出回电`,
    (p) =>
      `${p.waybills.length} critically late shipment(s) (${p.waybills.join(', ')}): explain the cause and remedy, and offer a callback`,
  ),
  'action.explain-delay': msg<{ count: number }>(
    (p) => `${p.count} 票货物延误：告知最新预计送达时间`,
    (p) => `${p.count} late shipment(s): give the new ETA`,
  ),
  'action.review-open-complaints': msg<{ count: number }>(
    (p) => `有 ${p.count} 个未结投诉：先确认处理进展，避免客户重复陈述`,
    (p) => `${p.count} open complaint(s): update the caller before they have to repeat themselves`,
  ),
  'action.take-ownership-repeat-caller': msg<{ count: number }>(
    (p) => `该客户 24 小时内已来电 ${p.count} 次：由您负责到底，不要转接`,
    (p) => `${p.count} calls in 24 hours: own this case end to end, do not transfer`,
  ),
  'action.confirm-account': msg(
    () => '该号码属于多个客户：请先确认来电代表哪家客户',
    () => 'This number belongs to several accounts: confirm which client the caller represents',
  ),
  'action.confirm-contact': msg(
    () => '该号码由本客户的多位联系人共用（总机）：请先确认来电人是谁',
    () => 'Several contacts of this account share this number (a switchboard): confirm who is calling',
  ),
  'action.service-below-commitment': msg<{ rate: number; commitment: number }>(
    (p) => `近 90 天准时率 ${pct(p.rate)}，低于承诺的 ${pct(p.commitment)}：主动致歉并告知客户经理`,
    (p) =>
      `90-day on-time rate ${pct(p.rate)} is below the ${pct(p.commitment)} commitment: acknowledge it and tell the account manager`,
  ),
  'action.speak-english': msg(
    () => '联系人使用英语沟通',
    () => 'The contact prefers English',
  ),
  'action.no-outbound-call': msg(
    () => '联系人拒绝外呼：如需跟进请用短信或邮件',
    () => 'Contact is on do-not-call: follow up by SMS or email, not a callback',
  ),
};
