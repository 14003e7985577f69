import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DEMO_ACCOUNTS } from '#local/demo/accounts.ts';
import { AccountInput, buildAccount } from '#shared/accounts/model.ts';
import { AccountEntity, AccountRepo } from '#shared/accounts/repo.ts';
import { emptyAccountWeek, WeeklyAggregates, weekItem } from '#shared/analytics/aggregates.ts';
import {
  type BookHistory,
  bookHistory,
  MONTH_WEEKS,
  PORTFOLIO_WEEKS,
  portfolio,
  serviceAnalytics,
} from '#shared/analytics/cockpit.ts';
import { addWeeks, weekOf, weeksEnding } from '#shared/analytics/weeks.ts';
import { batchPut } from '#shared/platform/dynamo/batch.ts';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { type BenchContext, counted, freshTable, median, option, round } from './lib.ts';

/** A generated book of `n` accounts (the demo's, cycled) and 27 weeks of their aggregates. */
async function book(db: DocumentClient, table: string, n: number, now: Date) {
  const weeks = weeksEnding(weekOf(now), PORTFOLIO_WEEKS + 1);
  const accounts = Array.from({ length: n }, (_, i) => {
    const { id, ...raw } = DEMO_ACCOUNTS[i % DEMO_ACCOUNTS.length] as (typeof DEMO_ACCOUNTS)[number];
    const input = AccountInput.parse({ ...raw, name: `${raw.name} ${i}`, status: 'active' });
    const { contacts: _c, version: _v, ...fields } = input;
    return buildAccount(`${id}-${i}`, fields, 1, now, undefined);
  });
  await batchPut(
    db,
    table,
    accounts.map((a) => ({ ...AccountEntity.toItem(a), contacts: [] })),
    8,
  );
  const items = accounts.flatMap((a, ai) =>
    weeks.map((week, wi) => {
      const w = emptyAccountWeek(a.id, week);
      const c = w.counters;
      c.shipments = 10 + ((ai + wi) % 7);
      c.delivered = c.shipments;
      c.onTime = c.delivered - ((ai * wi) % 2);
      c.perfect = c.onTime;
      c.inboundCalls = 1 + (ai % 4);
      c.contacts = c.inboundCalls;
      w.dims.hour = { '10': c.inboundCalls };
      w.dims.from = { 'CN-mobile': c.inboundCalls };
      w.shareOfWallet = a.economics.shareOfWallet;
      w.tier = a.derived.tier;
      w.churn = { score: (ai * 7 + wi) % 60, level: 'low', reasons: [] };
      return weekItem(w);
    }),
  );
  await batchPut(db, table, items, 8);
  return accounts.map((a) => a.id);
}

/**
 * The cockpit on a generated book: the requests and time its two views take (the portfolio reads
 * 27 weeks, the service view 12), beside a baseline that reads per account — one Query of each
 * account's partition, the least any view computed account by account needs. Run at two book
 * sizes, to show the cockpit's count stays flat as the book grows while the baseline's grows
 * with it.
 */
export async function cockpitBench(ctx: BenchContext) {
  const sizes = [option(ctx.args, 'cockpit-small', 500), option(ctx.args, 'cockpit-accounts', 2_500)];
  const runs = option(ctx.args, 'cockpit-runs', 5);
  const now = new Date();
  const out: Record<string, unknown> = {};
  for (const size of sizes) {
    const table = await freshTable(ctx, `bench-cockpit-${size}`);
    const db = createDocumentClient();
    const ids = await book(db, table, size, now);
    const count = counted(db);
    const accounts = new AccountRepo(db, table);
    const aggregates = new WeeklyAggregates(db, table);
    const measure = async (fn: () => Promise<unknown>) => {
      const times: number[] = [];
      let requests = 0;
      for (let r = 0; r < runs; r++) {
        count.requests = 0;
        const t = performance.now();
        await fn();
        times.push(performance.now() - t);
        requests = count.requests;
      }
      return { ms: round(median(times), 1), requests };
    };
    // Without the kept half year (before the first daily run): 27 weeks read and backtested.
    const recomputed = await measure(async () => {
      const weeks = weeksEnding(weekOf(now), PORTFOLIO_WEEKS + 1);
      const [b, byWeek] = await Promise.all([accounts.list(), aggregates.weeks(weeks)]);
      const p = portfolio(b, [...byWeek.values()].flat(), now);
      if (p.accounts.length !== size) throw new Error(`portfolio placed ${p.accounts.length} of ${size}`);
    });
    // As the daily scorer leaves it: the half year kept, this month's weeks read.
    {
      const weeks = weeksEnding(weekOf(now), PORTFOLIO_WEEKS + 1);
      const [b, byWeek] = await Promise.all([accounts.list(), aggregates.weeks(weeks)]);
      await aggregates.putBookHistory(weekOf(now), bookHistory(b, [...byWeek.values()].flat(), now));
    }
    const portfolioRun = await measure(async () => {
      const kept = await aggregates.bookHistory<BookHistory>();
      if (!kept) throw new Error('no kept half year');
      const [b, byWeek] = await Promise.all([
        accounts.list(),
        aggregates.weeks(weeksEnding(weekOf(now), MONTH_WEEKS)),
      ]);
      const p = portfolio(b, [...byWeek.values()].flat(), now, kept.history);
      if (p.accounts.length !== size) throw new Error(`portfolio placed ${p.accounts.length} of ${size}`);
    });
    const serviceRun = await measure(async () => {
      const weeks = weeksEnding(addWeeks(weekOf(now), -1), 12);
      const [b, byWeek] = await Promise.all([accounts.list(), aggregates.weeks(weeks)]);
      serviceAnalytics(b, byWeek, weeks);
    });
    const baseline = await measure(async () => {
      const pool = [...ids];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let id = pool.pop(); id; id = pool.pop()) {
            await db.send(
              new QueryCommand({
                TableName: table,
                KeyConditionExpression: 'pk = :pk',
                ExpressionAttributeValues: { ':pk': keys.account.partition(id) },
              }),
            );
          }
        }),
      );
    });
    out[`book${size}`] = {
      accounts: size,
      accountWeeks: size * (PORTFOLIO_WEEKS + 1),
      portfolio: portfolioRun,
      portfolioRecomputed: recomputed,
      service: serviceRun,
      baselinePerAccount: baseline,
      portfolioRequestsVsBaseline: round(portfolioRun.requests / baseline.requests),
      portfolioTimeVsBaseline: round(portfolioRun.ms / baseline.ms),
    };
    db.destroy();
    console.log(
      `cockpit, ${size} accounts: portfolio ${portfolioRun.requests} requests in ${portfolioRun.ms} ms (recomputing the half year: ${recomputed.requests} in ${recomputed.ms} ms), service ${serviceRun.requests} in ${serviceRun.ms} ms; one Query per account: ${baseline.requests} in ${baseline.ms} ms`,
    );
  }
  return out;
}
