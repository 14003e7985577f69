/**
 * Scores churn risk and acts on it: daily for the whole book (functions/churn-scorer), and for
 * the accounts an event touched (functions/analytics). The score is kept on the account's current
 * week (the cockpit and the card read it there); a high risk books one retention call per period
 * through the standing "retention calls" campaign, for the account's team and manager.
 */
import { type AccountWeek, type WeeklyAggregates, weekFacts } from '../analytics/aggregates.ts';
import { addWeeks, weekOf, weeksEnding } from '../analytics/weeks.ts';
import { followUpPeriod, followUpTarget } from '../campaigns/follow-ups.ts';
import type { Campaigns } from '../campaigns/service.ts';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { TransactionCancelled } from '../platform/dynamo/transact.ts';
import { inBoth } from '../platform/messages/index.ts';
import { pool } from '../platform/pool.ts';
import { CHURN_POLICY, type ChurnPolicy, type ChurnRisk, churnRisk, fillWeeks } from './churn.ts';
import type { Account, AccountWithContacts } from './model.ts';

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
  /** Retention calls booked by this run; already booked this period; no one to call. */
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

/** An account's risk from its recorded weeks (any missing week read as empty). */
export function riskOf(
  accountId: string,
  recorded: readonly AccountWeek[],
  weeks: readonly string[],
  policy = CHURN_POLICY,
) {
  const first = weeks[0] ?? '';
  const last = weeks.at(-1) ?? '';
  const mine = recorded.filter((w) => w.accountId === accountId).map(weekFacts);
  return churnRisk(fillWeeks(mine, first, last), policy);
}

async function scoreAndAct(
  deps: ChurnDeps,
  accounts: readonly Account[],
  recorded: readonly AccountWeek[],
  weeks: readonly string[],
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
  await pool(
    accounts.filter((a) => a.status === 'active'),
    8,
    async (a) => {
      const risk = riskOf(a.id, recorded, weeks, policy);
      await deps.aggregates.recordChurn(week, a.id, {
        score: risk.score,
        level: risk.level,
        reasons: risk.reasons,
      });
      run.scored++;
      run.byLevel[risk.level]++;
      if (risk.level !== 'high') return;
      const days = policy.retentionEveryDays;
      const key = keys.claim.retention(a.id, days, followUpPeriod(now, days));
      if (await claims.read(key)) {
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
        { account, ...target, timeZone: target.contact.timeZone ?? account.timeZone },
        now,
      );
      const reasons = {
        'zh-CN': risk.reasons.map((r) => r.text['zh-CN']).join('；'),
        en: risk.reasons.map((r) => r.text.en).join('; '),
      };
      try {
        await deps.campaigns.callbacks.book(
          {
            ...callback,
            notes: inBoth('churn.retention-note', {
              manager: account.accountManager,
              score: risk.score,
              reasons,
            }),
          },
          claims.guard('retention', key, { callbackId: callback.id }, ttlAfter(now, days + 1)),
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

/** The daily run: every active account, from one Query per week of the book. */
export async function scoreBook(deps: ChurnDeps, now = new Date(), policy = CHURN_POLICY): Promise<ChurnRun> {
  const weeks = scoredWeeks(now, policy);
  const [book, byWeek] = await Promise.all([deps.accounts.list(), deps.aggregates.weeks(weeks)]);
  return scoreAndAct(deps, book, [...byWeek.values()].flat(), weeks, now, policy);
}

/**
 * The accounts an event touched (a complaint, a breach, a late delivery, a follow-up score): their
 * scores recomputed from their weeks, read by key. Only the daily run books retention calls, so
 * the stream consumer needs nothing but the aggregates.
 */
export async function rescoreAccounts(
  aggregates: WeeklyAggregates,
  accountIds: readonly string[],
  now = new Date(),
  policy = CHURN_POLICY,
): Promise<number> {
  const weeks = scoredWeeks(now, policy);
  const recorded = await aggregates.accountWeeks(accountIds, weeks);
  // The score is today's: it is kept on the current week.
  const week = weekOf(now);
  await pool(accountIds, 8, async (id) => {
    const risk = riskOf(id, recorded, weeks, policy);
    await aggregates.recordChurn(week, id, { score: risk.score, level: risk.level, reasons: risk.reasons });
  });
  return accountIds.length;
}
