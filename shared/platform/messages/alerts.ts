import { label } from './labels.ts';
import { msg } from './message.ts';

/** What a client's contacts read: delay SMS, e-mails, digests and the daily report, both languages. */
export const ALERTS = {
  /** One SMS segment where it can: 70 characters in Chinese, 160 in GSM-7 English. */
  'alert.sms': msg<{ waybill: string; reason?: string; eta: string }>(
    (p) =>
      `【运输延误】运单${p.waybill}${p.reason ? `因${label('reason', p.reason, 'zh-CN')}` : ''}延误，预计${p.eta}送达，专属团队正在处理。`,
    (p) =>
      `Keyline: waybill ${p.waybill} delayed${p.reason ? ` by ${label('reason', p.reason, 'en')}` : ''}. New ETA ${p.eta}. We are on it; your team will follow up.`,
  ),
  'alert.email.subject': msg<{ waybill: string; accountName: string }>(
    (p) => `运输延误通知：运单 ${p.waybill}（${p.accountName}）`,
    (p) => `Delay notice: waybill ${p.waybill} (${p.accountName})`,
  ),
  'alert.email.waybill': msg(
    () => '运单号',
    () => 'Waybill',
  ),
  'alert.email.location': msg(
    () => '当前位置',
    () => 'Where it is',
  ),
  'alert.email.eta': msg(
    () => '最新预计送达',
    () => 'New ETA',
  ),
  'alert.email.lateBy': msg(
    () => '预计延误',
    () => 'Late by',
  ),
  'alert.email.lateByValue': msg<{ hours: number }>(
    (p) => `约 ${p.hours} 小时`,
    (p) => `about ${p.hours} h`,
  ),
  'alert.email.reason': msg(
    () => '原因',
    () => 'Reason',
  ),
  'alert.email.reasonValue': msg<{ reason?: string }>(
    (p) => (p.reason ? label('reason', p.reason, 'zh-CN') : '正在核实'),
    (p) => (p.reason ? label('reason', p.reason, 'en') : 'under investigation'),
  ),
  'alert.email.action': msg(
    () => '我们的处理',
    () => 'What we are doing',
  ),
  'alert.email.actionValue': msg(
    () => '尽可能改道运输并逐小时跟踪，货物一有进展立即通知您。',
    () =>
      'Rerouting where possible and watching the shipment hour by hour; we will tell you as soon as it moves.',
  ),
  'alert.email.contact': msg(
    () => '专属联系人',
    () => 'Your contact',
  ),
  'alert.email.contactValue': msg<{ contact?: string }>(
    (p) => p.contact ?? '您的客户服务团队',
    (p) => p.contact ?? 'your account team',
  ),
  'alert.digest.sms': msg<{ count: number; more: boolean; reason?: string; link: string }>(
    (p) =>
      `【运输延误汇总】${p.more ? '自上次通知后又有' : ''}${p.count}票货物${p.reason ? `因${label('reason', p.reason, 'zh-CN')}` : ''}延误，明细：${p.link}`,
    (p) =>
      `Keyline: ${p.count} ${p.more ? 'more shipments delayed since our last message' : 'shipments delayed'}${p.reason ? ` (${label('reason', p.reason, 'en')})` : ''}. List: ${p.link}`,
  ),
  'alert.digest.subject': msg<{ count: number; more: boolean; accountName: string }>(
    (p) => `运输延误汇总：${p.more ? '又有 ' : ''}${p.count} 票货物（${p.accountName}）`,
    (p) => `Delay digest: ${p.count} ${p.more ? 'more ' : ''}shipments (${p.accountName})`,
  ),
  'alert.digest.text': msg<{ count: number; more: boolean; reason?: string; link: string }>(
    (p) =>
      `${p.more ? '自上次通知后，又有' : '您有'} ${p.count} 票货物${p.reason ? `因${label('reason', p.reason, 'zh-CN')}` : ''}延误，我们正在尽力改道运输。明细：${p.link}`,
    (p) =>
      `${p.count} ${p.more ? 'more of your shipments have been delayed since our last message' : 'of your shipments are delayed'}${p.reason ? ` by ${label('reason', p.reason, 'en')}` : ''}. We are rerouting where we can. The list: ${p.link}`,
  ),
  'report.column': msg<{ column: string }>(
    (p) => REPORT_COLUMNS[p.column]?.[0] ?? p.column,
    (p) => REPORT_COLUMNS[p.column]?.[1] ?? p.column,
  ),
  'report.subject': msg<{ inTransit: number; delayed: number; accountName: string }>(
    (p) => `运输跟踪报表：在途 ${p.inTransit} 票，延误 ${p.delayed} 票（${p.accountName}）`,
    (p) => `Transport tracking report: ${p.inTransit} in transit, ${p.delayed} delayed (${p.accountName})`,
  ),
};

/** The tracking report's columns as a reader sees them (the CSV keeps its machine names). */
const REPORT_COLUMNS: Record<string, [string, string]> = {
  waybill: ['运单号', 'Waybill'],
  origin: ['始发地', 'Origin'],
  destination: ['目的地', 'Destination'],
  status: ['状态', 'Status'],
  last_milestone: ['最近节点', 'Last milestone'],
  last_location: ['最近位置', 'Last location'],
  last_scan_at: ['最近扫描时间', 'Last scan'],
  eta: ['预计送达', 'ETA'],
  promised_at: ['承诺送达', 'Promised'],
  delayed: ['是否延误', 'Delayed'],
  minutes_late: ['延误分钟', 'Minutes late'],
  delay_reason: ['延误原因', 'Delay reason'],
  delay_state: ['延误处理状态', 'Delay handling'],
  service_line: ['产品线', 'Product line'],
  service_priority: ['订单服务优先级', 'Order service priority'],
  remedy: ['补救措施', 'Remedy'],
};
