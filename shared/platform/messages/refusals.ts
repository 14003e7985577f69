/**
 * Why a request about an account review, a complaint or a delay, or a tracking event, is refused,
 * field by field, in both languages.
 */
import { label } from './labels.ts';
import { msg } from './message.ts';

const CONFLICTS_ZH: Record<string, string> = {
  'key-in-remove': '象限建议移出名单的重点客户',
  'remove-from-list': '建议移出名单却仍配有团队',
  'no-dedicated-team': '专属团队服务但未指定团队',
};

export const REFUSALS = {
  'import.kept-do-not-call': msg<{ name: string }>(
    (p) => `${p.name} 已设为“勿呼叫”，导入文件不会取消：如需取消，请在工作台中操作`,
    (p) => `${p.name} is marked do-not-call, which an import never lifts: lift it in the desktop`,
  ),
  'import.number-moved': msg<{ name: string; id: string; to: string }>(
    (p) => `联系人 ${p.name}（${p.id}）不在此文件中，其号码已归 ${p.to}：由 ${p.to} 取代`,
    (p) =>
      `contact ${p.name} (${p.id}) is not in this file and their number is now ${p.to}'s: replaced by ${p.to}`,
  ),
  'import.too-many-contacts': msg<{ count: number; kept: number }>(
    (p) =>
      `加上文件未列出而保留的 ${p.kept} 位联系人，共 ${p.count} 位，超过 25 位：请在工作台中删除，或在文件中列出`,
    (p) =>
      `with the ${p.kept} contact(s) kept that the file leaves out, the account would have ${p.count}, over 25: remove some in the desktop or name them in the file`,
  ),
  'import.kept-contact': msg<{ name: string; id: string }>(
    (p) => `联系人 ${p.name}（${p.id}）不在此文件中，已保留：如已离职，请在工作台中删除`,
    (p) =>
      `contact ${p.name} (${p.id}) is not in this file and was kept: remove it in the desktop if they left`,
  ),
  'economics.clv-too-large': msg<{ max: string }>(
    (p) => `平均交易额 × 年交易次数 × 预期合作年限（客户终身价值）超过 ${p.max}：请检查各项数字`,
    (p) =>
      `average transaction value × yearly frequency × expected lifetime (the lifetime value) is over ${p.max}: check the figures`,
  ),
  'account.dedicated-team': msg<{ teams: string }>(
    (p) => `应为专属团队之一：${p.teams}`,
    (p) => `must be a dedicated team: ${p.teams}`,
  ),
  'account.phone-region': msg(
    () => '应为 libphonenumber-js 支持的 ISO 3166-1 两位地区代码，如 CN',
    () => 'must be an ISO 3166-1 alpha-2 region libphonenumber-js knows, such as CN',
  ),
  'account.time-zone': msg(
    () => '应为 IANA 时区，如 Asia/Shanghai',
    () => 'must be an IANA time zone such as Asia/Shanghai',
  ),
  'account.contacts-at-most': msg<{ max: number }>(
    (p) => `一个客户最多 ${p.max} 位联系人：请先删除不再需要的联系人`,
    (p) => `an account has at most ${p.max} contacts: remove one that is no longer needed first`,
  ),
  'account.contact-twice': msg<{ id: string }>(
    (p) => `联系人编号 ${p.id} 出现了两次`,
    (p) => `contact id ${p.id} appears twice`,
  ),
  'account.too-many-writes': msg<{ count: number; max: number }>(
    (p) => `联系人和电话号码需要 ${p.count} 次写入；一次原子写入最多 ${p.max} 次：请减少联系人或号码`,
    (p) => `contacts and phone numbers need ${p.count} writes; at most ${p.max} fit in one atomic write`,
  ),
  'phone.empty': msg(
    () => '电话号码为空',
    () => 'phone number is empty',
  ),
  'phone.characters': msg<{ raw: string }>(
    (p) => `"${p.raw}" 含有电话号码以外的字符`,
    (p) => `"${p.raw}" contains characters that are not part of a phone number`,
  ),
  'phone.invalid': msg<{ raw: string; region: string }>(
    (p) => `"${p.raw}" 不是有效的电话号码（按地区 ${p.region} 解读）`,
    (p) => `"${p.raw}" is not a valid phone number for region ${p.region}`,
  ),
  'phone.at-most-three': msg(
    () => '一位联系人最多 3 个电话号码：请先删除一个',
    () => 'a contact has at most 3 phone numbers; remove one first',
  ),
  'review.accept-as-is': msg(
    () => '接受即按建议执行；如需改动请选择“修改”',
    () => 'accepting takes the proposal as it is; amend to change it',
  ),
  'review.amend-changes-nothing': msg(
    () => '修改须改变等级、服务模式或团队',
    () => 'an amendment changes the tier, the service mode or the team',
  ),
  'review.amend-needs-reason': msg(
    () => '修改须填写理由',
    () => 'an amendment needs its reason',
  ),
  'review.conflicts-need-reason': msg<{ conflicts: string[] }>(
    (p) => `建议存在冲突（${p.conflicts.map((c) => CONFLICTS_ZH[c] ?? c).join('、')}）：请填写仍然接受的理由`,
    (p) => `the proposal has conflicts (${p.conflicts.join(', ')}): say why it stands`,
  ),
  'review.dedicated-needs-team': msg<{ teams: string[] }>(
    (p) => `专属团队服务须指定团队：${p.teams.join('、')}`,
    (p) => `a dedicated service needs its team: one of ${p.teams.join(', ')}`,
  ),
  'review.team-only-dedicated': msg(
    () => '只有专属团队服务才指定团队',
    () => 'only a dedicated service has a team',
  ),
  'audience.quadrants-managers-only': msg(
    () => '按监控象限（利润）选客户仅限大客户经理',
    () => 'choosing accounts by monitoring quadrant (their margins) is for key-account managers only',
  ),
  'complaint.account-unknown': msg<{ accountId: string }>(
    (p) => `客户 ${p.accountId} 不存在`,
    (p) => `account ${p.accountId} does not exist`,
  ),
  'complaint.contact-not-on-account': msg<{ contactId: string; accountId: string }>(
    (p) => `联系人 ${p.contactId} 不属于客户 ${p.accountId}`,
    (p) => `contact ${p.contactId} is not on account ${p.accountId}`,
  ),
  'complaint.cannot-move': msg<{ reference: string; from: string; to: string }>(
    (p) =>
      `投诉 ${p.reference} 当前为“${label('complaintStatus', p.from, 'zh-CN')}”，不能改为“${label('complaintStatus', p.to, 'zh-CN')}”`,
    (p) => `Cannot move complaint ${p.reference} from ${p.from} to ${p.to}`,
  ),
  'complaint.reopen-window': msg<{ reference: string; minutes: number }>(
    (p) => `投诉 ${p.reference} 只能在解决后 ${p.minutes} 分钟内重新打开`,
    (p) => `Complaint ${p.reference} can be reopened only within ${p.minutes} minutes of its resolution`,
  ),
  'complaint.follow-up-not-resolved': msg<{ reference: string; status: string }>(
    (p) =>
      `投诉 ${p.reference} 当前为“${label('complaintStatus', p.status, 'zh-CN')}”：回访结果只能记录在已解决、或已关闭但回访尚未记录的投诉上`,
    (p) =>
      `Complaint ${p.reference} is ${p.status}; a follow-up is recorded on a resolved complaint, or a closed one whose follow-up is still to come`,
  ),
  'complaint.waybill-not-own': msg<{ waybill: string }>(
    (p) => `${p.waybill} 不是该客户的运单`,
    (p) => `${p.waybill} is not a shipment of this account`,
  ),
  'delay.remedy-not-offered': msg<{ segment: string; remedies: string[] }>(
    (p) => `该行业（${p.segment}）的预案只提供：${p.remedies.join('、')}`,
    (p) => `the ${p.segment} playbook offers ${p.remedies.join(', ')}`,
  ),
  'delay.remedy-missing': msg(
    () => '请说明安排了哪种补救措施',
    () => 'say which remedy was arranged',
  ),
  'booking.account-unknown': msg<{ accountId: string }>(
    (p) => `客户 ${p.accountId} 不存在：请先在客户档案中建立该客户`,
    (p) => `account ${p.accountId} does not exist: create it in the registry first`,
  ),
  'booking.service-line-unknown': msg<{ id: string; lines: string[] }>(
    (p) =>
      `该客户没有产品线 ${p.id}${p.lines.length ? `；可用：${p.lines.join('、')}` : '；该客户未设置产品线'}`,
    (p) =>
      `the account has no service line ${p.id}${p.lines.length ? `; its lines: ${p.lines.join(', ')}` : '; it has none'}`,
  ),
  'booking.delivered': msg<{ waybill: string }>(
    (p) => `运单 ${p.waybill} 已签收，不能再修改下单信息`,
    (p) => `waybill ${p.waybill} is delivered: its booking can no longer change`,
  ),
  'booking.at-ahead': msg<{ at: string; minutes: number; receivedAt: string; max: number }>(
    (p) =>
      `下单时间 ${p.at} 比接收时间（${p.receivedAt}）晚 ${p.minutes} 分钟；最多可超前 ${p.max} 分钟（请检查 TMS 的时钟和时区）`,
    (p) =>
      `${p.at} is ${p.minutes} minutes after the time it was received (${p.receivedAt}); a booking may be dated at most ${p.max} minutes ahead (check the TMS's clock and time zone)`,
  ),
  'booking.at-too-old': msg<{ at: string; days: number; receivedAt: string; max: number }>(
    (p) =>
      `下单时间 ${p.at} 比接收时间（${p.receivedAt}）早 ${p.days} 天；最多可追溯 ${p.max} 天（请检查年份）`,
    (p) =>
      `${p.at} is ${p.days} days before the time it was received (${p.receivedAt}); a booking may be dated at most ${p.max} days back (check the year)`,
  ),
  'booking.time-too-far': msg<{
    field: 'promisedAt' | 'eta';
    value: string;
    days: number;
    at: string;
    max: number;
  }>(
    (p) =>
      `${p.field === 'eta' ? '预计到达时间' : '承诺送达时间'} ${p.value} 比下单时间（${p.at}）晚 ${p.days} 天；最多可晚 ${p.max} 天（请检查年份）`,
    (p) =>
      `${p.value} is ${p.days} days after the booking (${p.at}); a ${p.field === 'eta' ? 'ETA' : 'promise'} may be at most ${p.max} days after it (check the year)`,
  ),
  'booking.time-before': msg<{
    field: 'promisedAt' | 'eta';
    value: string;
    hours: number;
    at: string;
    max: number;
  }>(
    (p) =>
      `${p.field === 'eta' ? '预计到达时间' : '承诺送达时间'} ${p.value} 比下单时间（${p.at}）早 ${p.hours} 小时；最多可早 ${p.max} 小时（请检查日期）`,
    (p) =>
      `${p.value} is ${p.hours} hours before the booking (${p.at}); a ${p.field === 'eta' ? 'ETA' : 'promise'} may be at most ${p.max} hours before it (check the date)`,
  ),
  'tracking.unknown-waybill': msg<{ waybill: string }>(
    (p) => `运单 ${p.waybill} 不是已知的货件`,
    (p) => `waybill ${p.waybill} is not a known shipment`,
  ),
  'tracking.other-account': msg<{ waybill: string }>(
    (p) => `运单 ${p.waybill} 属于其他客户`,
    (p) => `waybill ${p.waybill} belongs to another account`,
  ),
  'tracking.at-ahead': msg<{ at: string; minutes: number; receivedAt: string; max: number }>(
    (p) =>
      `${p.at} 比接收时间（${p.receivedAt}）晚 ${p.minutes} 分钟；扫描时间最多可超前 ${p.max} 分钟（请检查扫描设备或 TMS 的时钟和时区）`,
    (p) =>
      `${p.at} is ${p.minutes} minutes after the time it was received (${p.receivedAt}); a scan may be dated at most ${p.max} minutes ahead (check the scanner's or the TMS's clock and time zone)`,
  ),
  'tracking.at-too-old': msg<{ at: string; days: number; receivedAt: string; max: number }>(
    (p) =>
      `${p.at} 比接收时间（${p.receivedAt}）早 ${p.days} 天；扫描时间最多可追溯 ${p.max} 天（请检查年份）`,
    (p) =>
      `${p.at} is ${p.days} days before the time it was received (${p.receivedAt}); a scan may be dated at most ${p.max} days back (check the year)`,
  ),
  'tracking.eta-too-far': msg<{ eta: string; days: number; at: string; max: number }>(
    (p) =>
      `承运商预计到达时间 ${p.eta} 比扫描时间（${p.at}）晚 ${p.days} 天；最多可晚 ${p.max} 天（请检查年份）`,
    (p) =>
      `${p.eta} is ${p.days} days after the scan (${p.at}); a carrier ETA may be at most ${p.max} days after its scan (check the year)`,
  ),
  'tracking.eta-before-scan': msg<{ eta: string; hours: number; at: string; max: number }>(
    (p) =>
      `承运商预计到达时间 ${p.eta} 比扫描时间（${p.at}）早 ${p.hours} 小时；最多可早 ${p.max} 小时（请检查日期）`,
    (p) =>
      `${p.eta} is ${p.hours} hours before the scan (${p.at}); a carrier ETA may be at most ${p.max} hours before its scan (check the date)`,
  ),
  'tracking.exception-reason': msg(
    () => '异常事件必须注明原因',
    () => 'an exception needs a reason',
  ),
  'tracking.delivery-not-delivered': msg(
    () => '只有“已签收”事件可以说明货物送达情况',
    () => 'only a delivered event says how the goods arrived',
  ),
  'request.not-json': msg(
    () => '请求正文不是有效的 JSON',
    () => 'body is not valid JSON',
  ),
  'request.idempotency-key': msg(
    () => '请使用 8–128 个字母、数字或 _ . : -',
    () => 'use 8–128 letters, digits or _ . : -',
  ),
  'campaign.standing': msg<{ name: string }>(
    (p) =>
      `“${p.name}”是常设活动，由系统为来电客户、投诉和延误预约回电，不能暂停、恢复或取消：客户已被告知会接到回电`,
    (p) =>
      `${p.name} is a standing campaign: the system books its calls for callers, complaints and delays, so it cannot be paused, resumed or cancelled (callers were promised these calls)`,
  ),
  'campaign.cannot': msg<{ action: string; status: string }>(
    (p) =>
      `活动当前为“${label('campaignStatus', p.status, 'zh-CN')}”，不能${label('campaignAction', p.action, 'zh-CN')}`,
    (p) =>
      `cannot ${label('campaignAction', p.action, 'en')} a campaign that is ${label('campaignStatus', p.status, 'en')}`,
  ),
  'campaign.window.same-start-end': msg(
    () => '结束时间不能与开始时间相同：跨越午夜的时段请把结束时间设得早于开始时间',
    () => 'must differ from the start (a window spanning midnight ends earlier than it starts)',
  ),
  'campaign.window.never-opens': msg<{ days: number }>(
    (p) => `该呼叫时段在未来 ${p.days} 天内从不开放（开放日均为节假日）：请调整星期或节假日`,
    (p) =>
      `the calling window does not open in the next ${p.days} days (every open day is a holiday): change its days or holidays`,
  ),
  'campaign.expires-past': msg(
    () => '已是过去的时间：过期时间须晚于现在',
    () => 'is already past: a campaign expires later than now',
  ),
  'campaign.audience-empty': msg<{ count: number }>(
    (p) => `该受众中没有可拨打的联系人（已排除 ${p.count} 位）：请先预览受众`,
    (p) => `the audience has no contact to call (${p.count} excluded): preview it first`,
  ),
  'campaign.pacing.deployment': msg<{ column: string }>(
    (p) =>
      `${p.column} 不能按活动设置：外呼配额由部署统一设定（DIAL_QUOTA_PER_SECOND、DIAL_BURST）；本活动的节奏请用 dialsPerMinute 与 maxConcurrent`,
    (p) =>
      `${p.column} is not set per campaign: the outbound-call quota is the deployment's (DIAL_QUOTA_PER_SECOND, DIAL_BURST); pace a campaign with dialsPerMinute and maxConcurrent`,
  ),
  'page.next-invalid': msg(
    () => '翻页标记无效：请使用上一页响应中的 next 原样传回',
    () => 'is not a page token of this list: pass back the next of the previous page as it was',
  ),
};
