import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { ConnectClient } from '@aws-sdk/client-connect';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { ConnectDialer } from '#shared/campaigns/connect-dialer.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import type { Callback } from '#shared/campaigns/model.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { DialerEnv, loadEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(DialerEnv);
if (!env.CONNECT_QUEUE_ID && !env.CONNECT_SOURCE_PHONE_NUMBER) {
  throw new Error('Invalid configuration: set CONNECT_QUEUE_ID or CONNECT_SOURCE_PHONE_NUMBER');
}
const db = tracedDocumentClient();
const campaigns = new Campaigns(db, env.TABLE_NAME);
const accounts = new AccountRepo(db, env.TABLE_NAME);
// A 5xx or a timeout is retried by the SDK with the same ClientToken: never a second call.
const dialer = new ConnectDialer(new ConnectClient({ maxAttempts: 3 }), {
  instanceId: env.CONNECT_INSTANCE_ID,
  contactFlowId: env.CONNECT_CONTACT_FLOW_ID,
  ...(env.CONNECT_QUEUE_ID ? { queueId: env.CONNECT_QUEUE_ID } : {}),
  ...(env.CONNECT_SOURCE_PHONE_NUMBER ? { sourcePhoneNumber: env.CONNECT_SOURCE_PHONE_NUMBER } : {}),
});

/**
 * A callback given up after tries that went nowhere (runs dying holding it, or a Connect error it
 * kept failing with): counted at once (the run may still fail after it), with an alarm on
 * DialsDeadLettered; the callback itself ends `failed` with a note.
 */
const onDeadLetter = (c: Callback, reason: string) => {
  metrics.addMetric('DialsDeadLettered', MetricUnit.Count, 1);
  logger.error('callback given up: its dial kept going nowhere', {
    callbackId: c.id,
    campaignId: c.campaignId,
    accountId: c.accountId,
    claims: c.claims,
    reason,
  });
};

/**
 * A call placed whose record could not be written: its claim expires and a later run dials the
 * same attempt (the same ClientToken), with an alarm on DialsUnrecorded.
 */
const onUnrecorded = (c: Callback, contactId: string, err: unknown) => {
  metrics.addMetric('DialsUnrecorded', MetricUnit.Count, 1);
  logger.error('call placed but not recorded: left to its claim’s expiry', {
    callbackId: c.id,
    campaignId: c.campaignId,
    connectContactId: contactId,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  });
};

/**
 * Runs every minute from EventBridge Scheduler (one at a time: reserved concurrency 1 and a lease):
 * settles calls whose outcome was lost, then dials due callbacks, paced to the Connect quota.
 */
export const handler = middy(async (_event: unknown, context: Context) => {
  const run = await runDialer(
    { campaigns, accounts, dialer, onDeadLetter, onUnrecorded },
    {
      quotaPerSecond: env.DIAL_QUOTA_PER_SECOND,
      burst: env.DIAL_BURST,
      maxRunMs: Math.min(env.DIAL_RUN_MS, context.getRemainingTimeInMillis() - 5_000),
    },
  );
  metrics.addMetric('Dials', MetricUnit.Count, run.dialed);
  metrics.addMetric('DialThrottled', MetricUnit.Count, run.throttled);
  metrics.addMetric('DialFailures', MetricUnit.Count, run.failed);
  metrics.addMetric('DialErrors', MetricUnit.Count, run.errors);
  metrics.addMetric('DialsSkipped', MetricUnit.Count, run.skipped);
  metrics.addMetric('CallsReconciled', MetricUnit.Count, run.reconciled);
  if (run.stoppedByQuota) metrics.addMetric('DialQuotaStops', MetricUnit.Count, 1);
  logger.info('dialer run', { ...run });
  return run;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
