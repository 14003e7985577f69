/** Why a request about an account review or a delay is refused, field by field, in both languages. */
import { msg } from './message.ts';

const CONFLICTS_ZH: Record<string, string> = {
  'key-in-remove': '象限建议移出名单的重点客户',
  'remove-from-list': '建议移出名单却仍配有团队',
  'no-dedicated-team': '专属团队服务但未指定团队',
};

export const REFUSALS = {
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
  'delay.remedy-not-offered': msg<{ segment: string; remedies: string[] }>(
    (p) => `该行业（${p.segment}）的预案只提供：${p.remedies.join('、')}`,
    (p) => `the ${p.segment} playbook offers ${p.remedies.join(', ')}`,
  ),
};
