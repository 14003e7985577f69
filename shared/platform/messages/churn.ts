import { pct } from './format.ts';
import { msg } from './message.ts';

/** The churn score's reasons (shared/accounts/churn.ts), as a manager and an agent read them. */
export const CHURN = {
  'churn.retention-note': msg<{ manager: string; score: number; reasons: { 'zh-CN': string; en: string } }>(
    (p) => `流失风险 ${p.score}/100，挽留回访（客户经理：${p.manager}）：${p.reasons['zh-CN']}`,
    (p) => `Churn risk ${p.score}/100, retention call (account manager: ${p.manager}): ${p.reasons.en}`,
  ),
  'churn.volume': msg<{ drop: number; baseline: number; recent: number }>(
    (p) => `发货量比自身基线下降 ${pct(p.drop)}（每周 ${p.baseline} 票 → ${p.recent} 票）`,
    (p) => `Shipments down ${pct(p.drop)} against its own baseline (${p.baseline} → ${p.recent} a week)`,
  ),
  'churn.on-time': msg<{ from: number; to: number }>(
    (p) => `准时率下降：${pct(p.from)} → ${pct(p.to)}`,
    (p) => `On-time rate falling: ${pct(p.from)} → ${pct(p.to)}`,
  ),
  'churn.perfect-order': msg<{ from: number; to: number }>(
    (p) => `完美订单率下降：${pct(p.from)} → ${pct(p.to)}`,
    (p) => `Perfect-order rate falling: ${pct(p.from)} → ${pct(p.to)}`,
  ),
  'churn.complaints': msg<{ complaints: number; breaches: number; weeks: number }>(
    (p) => `近 ${p.weeks} 周投诉 ${p.complaints} 次，其中超时限 ${p.breaches} 次`,
    (p) => `${p.complaints} complaint(s) in ${p.weeks} weeks, ${p.breaches} past their SLA`,
  ),
  'churn.follow-up': msg<{ average: number; count: number }>(
    (p) => `回访满意度偏低：平均 ${p.average}/5（${p.count} 次）`,
    (p) => `Low follow-up satisfaction: ${p.average}/5 on average (${p.count} call(s))`,
  ),
  'churn.share-of-wallet': msg(
    () => '客户正把物流业务转给别家：我们的份额在下降',
    () => 'It is moving business elsewhere: our share of its logistics is falling',
  ),
  'churn.silence': msg<{ weeks: number }>(
    (p) => `已 ${p.weeks} 周没有任何联系（来电、外呼、回访）`,
    (p) => `No contact for ${p.weeks} weeks (calls in or out, follow-ups)`,
  ),
};

/** The weekly digest to each key-account manager. */
export const DIGEST = {
  'digest.subject': msg<{ week: string; atRisk: number }>(
    (p) => `大客户周报 ${p.week}：${p.atRisk} 个客户新进入高流失风险`,
    (p) => `Key accounts, week ${p.week}: ${p.atRisk} newly at high churn risk`,
  ),
  'digest.at-risk': msg(
    () => '新进入高流失风险',
    () => 'Newly at high churn risk',
  ),
  'digest.moves': msg(
    () => '层级、象限与风险变动(近四周)',
    () => 'Tier, quadrant and risk moves (last four weeks)',
  ),
  'digest.kind-tier': msg(
    () => '层级',
    () => 'tier',
  ),
  'digest.kind-quadrant': msg(
    () => '象限',
    () => 'quadrant',
  ),
  'digest.kind-risk': msg(
    () => '流失风险',
    () => 'churn risk',
  ),
  'digest.breaches': msg(
    () => '上周超时限的投诉',
    () => 'Complaints past their SLA last week',
  ),
  'digest.breach-line': msg<{ count: number }>(
    (p) => `${p.count} 次`,
    (p) => `${p.count}`,
  ),
  'digest.credit': msg(
    () => '资信调查到期(30 天内或已逾期)',
    () => 'Credit reviews due (within 30 days, or overdue)',
  ),
  'digest.credit-line': msg<{ due: string; overdue: boolean }>(
    (p) => (p.overdue ? `已于 ${p.due} 到期` : `${p.due} 到期`),
    (p) => (p.overdue ? `overdue since ${p.due}` : `due ${p.due}`),
  ),
  'digest.none': msg(
    () => '无',
    () => 'None',
  ),
  'digest.open': msg(
    () => '打开驾驶舱',
    () => 'Open the cockpit',
  ),
};
