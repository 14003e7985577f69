import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { scoreBook } from '#shared/accounts/churn-run.ts';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const deps = {
  db,
  tableName: env.TABLE_NAME,
  aggregates: new WeeklyAggregates(db, env.TABLE_NAME),
  campaigns: new Campaigns(db, env.TABLE_NAME),
  accounts: new AccountRepo(db, env.TABLE_NAME),
};

/**
 * Daily (EventBridge Scheduler, 06:00 Shanghai): every active account's churn risk from its weekly
 * aggregates, kept on its current week; one retention call per 30 days (from the last one) for
 * each account at high risk.
 */
export const handler = middy(async () => {
  const run = await scoreBook(deps);
  metrics.addMetric('AccountsAtHighRisk', MetricUnit.Count, run.byLevel.high);
  metrics.addMetric('RetentionCallsBooked', MetricUnit.Count, run.booked);
  logger.info('churn scorer', { ...run });
  return run;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
