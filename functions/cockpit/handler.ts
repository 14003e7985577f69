import { AccountRepo } from '#shared/accounts/repo.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import {
  type BookHistory,
  MONTH_WEEKS,
  PORTFOLIO_WEEKS,
  portfolio,
  serviceAnalytics,
} from '#shared/analytics/cockpit.ts';
import { addWeeks, weekOf, weeksEnding } from '#shared/analytics/weeks.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { endpoint, httpHandler } from '#shared/platform/http/handler.ts';
import { cockpitRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const accounts = new AccountRepo(db, env.TABLE_NAME);
const aggregates = new WeeklyAggregates(db, env.TABLE_NAME);

/**
 * The key-account cockpit: a bounded number of requests whatever the book's size, the book by
 * segment (one Query each) and the aggregates by week (one Query each), never a scan.
 */
export const handler = httpHandler([
  endpoint(r.portfolio, async () => {
    const now = new Date();
    // The half year as the daily scorer kept it this week: then this month's weeks suffice.
    const kept = await aggregates.bookHistory<BookHistory>();
    const fresh = kept?.week === weekOf(now) ? kept.history : undefined;
    const weeks = weeksEnding(weekOf(now), fresh ? MONTH_WEEKS : PORTFOLIO_WEEKS + 1);
    const [book, byWeek] = await Promise.all([accounts.list(), aggregates.weeks(weeks)]);
    return { statusCode: 200, body: portfolio(book, [...byWeek.values()].flat(), now, fresh) };
  }),
  endpoint(r.service, async ({ query }) => {
    const weeks = weeksEnding(addWeeks(weekOf(new Date()), -1), query.weeks);
    const [book, byWeek] = await Promise.all([accounts.list(), aggregates.weeks(weeks)]);
    return { statusCode: 200, body: serviceAnalytics(book, byWeek, weeks) };
  }),
]);
