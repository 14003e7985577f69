import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { ConnectClient } from '@aws-sdk/client-connect';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ConnectDialer } from '#shared/campaigns/connect-dialer.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { DialerEnv, loadEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(DialerEnv);
if (!env.CONNECT_QUEUE_ID && !env.CONNECT_SOURCE_PHONE_NUMBER) {
  throw new Error('Invalid configuration: set CONNECT_QUEUE_ID or CONNECT_SOURCE_PHONE_NUMBER');
}
const campaigns = new Campaigns(tracedDocumentClient(), env.TABLE_NAME);
const dialer = new ConnectDialer(new ConnectClient({ maxAttempts: 1 }), {
  instanceId: env.CONNECT_INSTANCE_ID,
  contactFlowId: env.CONNECT_CONTACT_FLOW_ID,
  ...(env.CONNECT_QUEUE_ID ? { queueId: env.CONNECT_QUEUE_ID } : {}),
  ...(env.CONNECT_SOURCE_PHONE_NUMBER ? { sourcePhoneNumber: env.CONNECT_SOURCE_PHONE_NUMBER } : {}),
});

/** Runs every minute from EventBridge Scheduler: dials due callbacks, paced to the Connect quota. */
export const handler = middy(async (_event: unknown, context: Context) => {
  const run = await runDialer(campaigns, dialer, {
    quotaPerSecond: env.DIAL_QUOTA_PER_SECOND,
    burst: env.DIAL_BURST,
    maxRunMs: Math.min(env.DIAL_RUN_MS, context.getRemainingTimeInMillis() - 5_000),
  });
  metrics.addMetric('Dials', MetricUnit.Count, run.dialed);
  metrics.addMetric('DialThrottled', MetricUnit.Count, run.throttled);
  metrics.addMetric('DialFailures', MetricUnit.Count, run.failed);
  if (run.stoppedByQuota) metrics.addMetric('DialQuotaStops', MetricUnit.Count, 1);
  logger.info('dialer run', { ...run });
  return run;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
