/**
 * Scores churn risk and acts on it: daily for the whole book (functions/churn-scorer), and for
 * the accounts an event touched (functions/analytics). The score is kept on the account's current
 * week (the cockpit and the card read it there); a high risk books one retention call per 30 days
 * through the standing "retention calls" campaign, for the account's team and manager.
 */
import { type AccountWeek, byAccount, type WeeklyAggregates, weekFacts } from '../analytics/aggregates.ts';
import { bookHistory, PORTFOLIO_WEEKS } from '../analytics/cockpit.ts';
import { addWeeks, weekOf, weeksEnding } from '../analytics/weeks.ts';
import { bookedWithin, bookingGuard, followUpTarget } from '../campaigns/follow-ups.ts';
import type { Campaigns } from '../campaigns/service.ts';
import { Claims } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { TransactionCancelled } from '../platform/dynamo/transact.ts';
import { inBoth } from '../platform/messages/index.ts';
import { pool } from '../platform/pool.ts';
import { CHURN_POLICY, type ChurnPolicy, type ChurnRisk, churnRisk, fillWeeks } from './churn.ts';
import { type Account, type AccountStatus, type AccountWithContacts, callZone } from './model.ts';
import { reasonsFor } from './visibility.ts';

export interface ChurnDeps {
  db: DocumentClient;
  tableName: string;
  aggregates: WeeklyAggregates;
  campaigns: Campaigns;
  accounts: { list(): Promise<Account[]>; get(id: string): Promise<AccountWithContacts | undefined> };
}

export interface ChurnRun {
  scored: number;
  byLevel: Record<ChurnRisk['level'], number>;
  /** Retention calls booked by this run; booked less than 30 days ago; no one to call. */
  booked: number;
  already: number;
  noTarget: number;
}

/**
 * The weeks a score reads: the complete weeks before the current one (a Monday's week has hardly
 * begun; reading it would make every account look as if its volume fell).
 */
export const scoredWeeks = (now: Date, policy: ChurnPolicy = CHURN_POLICY) =>
  weeksEnding(addWeeks(weekOf(now), -1), policy.recentWeeks + policy.baselineWeeks);

/** The weeks a run reads: the scored ones and the current one (today's events). */
export const readWeeks = (now: Date, policy: ChurnPolicy = CHURN_POLICY) => [
  ...scoredWeeks(now, policy),
  weekOf(now),
];

/**
 * An account's risk from its recorded weeks (any missing week read as empty): volume and rates
 * from the complete weeks; this week's complaints, breaches, follow-up scores and contacts count
 * with the last complete week, so that an event of today moves today's score.
 */
export function riskOf(mine: readonly AccountWeek[], now: Date, policy = CHURN_POLICY) {
  const weeks = scoredWeeks(now, policy);
  const current = weekOf(now);
  const facts = fillWeeks(
    mine.filter((w) => w.week !== current).map(weekFacts),
    weeks[0] ?? current,
    weeks.at(-1) ?? current,
  );
  const today = mine.find((w) => w.week === current);
  const last = facts.at(-1);
  if (today && last) {
    const c = today.counters;
    last.complaints += c.complaints;
    last.breaches += c.breaches;
    last.followUps += c.followUps;
    last.satisfactionSum += c.satisfactionSum;
    last.contacts += c.contacts;
  }
  return churnRisk(facts, policy);
}

/**
 * A retention callback's note: the score and its reasons as the agent who makes the call may read
 * them (the card's rule, reasonsFor: not the share-of-wallet one, which speaks of the economics).
 */
export function retentionNote(risk: Pick<ChurnRisk, 'score' | 'reasons'>, manager: string): string {
  const shown = reasonsFor('agent', risk.reasons);
  const reasons = {
    'zh-CN': shown.map((r) => r.text['zh-CN']).join('；'),
    en: shown.map((r) => r.text.en).join('; '),
  };
  return inBoth('churn.retention-note', { manager, score: risk.score, reasons });
}

async function scoreAndAct(
  deps: ChurnDeps,
  accounts: readonly Account[],
  recorded: readonly AccountWeek[],
  now: Date,
  policy: ChurnPolicy,
): Promise<ChurnRun> {
  const run: ChurnRun = {
    scored: 0,
    byLevel: { low: 0, medium: 0, high: 0 },
    booked: 0,
    already: 0,
    noTarget: 0,
  };
  const claims = new Claims(deps.db, deps.tableName);
  // The score is today's: it is kept on the current week.
  const week = weekOf(now);
  const weeksOf = byAccount(recorded);
  await pool(
    accounts.filter((a) => a.status === 'active'),
    8,
    async (a) => {
      const risk = riskOf(weeksOf.get(a.id) ?? [], now, policy);
      await deps.aggregates.recordChurn(
        week,
        a.id,
        { score: risk.score, level: risk.level, reasons: risk.reasons },
        {
          shareOfWallet: a.economics.shareOfWallet,
          tier: a.derived.tier,
          quadrant: a.derived.reviewQuadrant,
          status: a.status,
        },
      );
      run.scored++;
      run.byLevel[risk.level]++;
      if (risk.level !== 'high') return;
      const days = policy.retentionEveryDays;
      if (await bookedWithin(claims, 'retention', a.id, now, days)) {
        run.already++;
        return;
      }
      const account = await deps.accounts.get(a.id);
      const target = account && followUpTarget(account);
      if (!account || !target) {
        run.noTarget++;
        return;
      }
      const callback = await deps.campaigns.standingTargetCallback(
        'retention-calls',
        { account, ...target, timeZone: callZone(target.contact, account.timeZone, target.phone) },
        now,
      );
      try {
        await deps.campaigns.callbacks.book(
          { ...callback, notes: retentionNote(risk, account.accountManager) },
          bookingGuard(claims, 'retention', a.id, { callbackId: callback.id, now, days }),
        );
        run.booked++;
      } catch (err) {
        if (!(err instanceof TransactionCancelled && err.failedOn('retention'))) throw err;
        run.already++;
      }
    },
  );
  return run;
}

/**
 * The daily run: every active account, from one Query per week of the book; then the book's half
 * year (risk trend and backtest) is computed once and kept for the portfolio.
 */
export async function scoreBook(deps: ChurnDeps, now = new Date(), policy = CHURN_POLICY): Promise<ChurnRun> {
  const halfYear = weeksEnding(weekOf(now), PORTFOLIO_WEEKS + 1);
  const [book, byWeek] = await Promise.all([deps.accounts.list(), deps.aggregates.weeks(halfYear)]);
  const recorded = [...byWeek.values()].flat();
  const run = await scoreAndAct(deps, book, recorded, now, policy);
  const history = bookHistory(book, recorded, now);
  // Today's point of the trend is this run's.
  const today = history.riskTrend.at(-1);
  if (today) Object.assign(today, { high: run.byLevel.high, medium: run.byLevel.medium });
  await deps.aggregates.putBookHistory(weekOf(now), history, now);
  return run;
}

/**
 * The accounts an event touched (a complaint, a breach, a late delivery, a follow-up score): their
 * scores recomputed from their weeks, read by key. Only the daily run books retention calls, so
 * the stream consumer needs nothing but the aggregates and the accounts' statuses: as in the daily
 * run, only an active account is scored (a lost one's straggling delivery is counted, not scored).
 */
export async function rescoreAccounts(
  aggregates: WeeklyAggregates,
  accounts: { statuses(ids: readonly string[]): Promise<Map<string, AccountStatus>> },
  accountIds: readonly string[],
  now = new Date(),
  policy = CHURN_POLICY,
): Promise<number> {
  const [statuses, weeks] = await Promise.all([
    accounts.statuses(accountIds),
    aggregates.accountWeeks(accountIds, readWeeks(now, policy)),
  ]);
  const active = accountIds.filter((id) => statuses.get(id) === 'active');
  const recorded = byAccount(weeks);
  // The score is today's: it is kept on the current week.
  const week = weekOf(now);
  let scored = 0;
  await pool(active, 8, async (id) => {
    const mine = recorded.get(id) ?? [];
    const risk = riskOf(mine, now, policy);
    await aggregates.recordChurn(week, id, { score: risk.score, level: risk.level, reasons: risk.reasons });
    scored++;
  });
  return scored;
}
