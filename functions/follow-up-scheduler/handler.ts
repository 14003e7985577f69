import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { scheduleFollowUps } from '#shared/campaigns/follow-ups.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const deps = {
  db,
  tableName: env.TABLE_NAME,
  campaigns: new Campaigns(db, env.TABLE_NAME),
  accounts: new AccountRepo(db, env.TABLE_NAME),
};

/**
 * Daily (EventBridge Scheduler): books each account's follow-up call (回访) for the period it is
 * in, key accounts monthly and the others quarterly; the dialer places them in calling windows.
 */
export const handler = middy(async () => {
  const run = await scheduleFollowUps(deps);
  metrics.addMetric('FollowUpsBooked', MetricUnit.Count, run.booked);
  metrics.addMetric('FollowUpsWithoutTarget', MetricUnit.Count, run.noTarget);
  logger.info('follow-up scheduler', { ...run });
  return run;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
