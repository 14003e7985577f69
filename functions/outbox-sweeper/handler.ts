import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { drainOutbox, OUTBOX_SWEEP, type OutboxDeadLetter } from '#shared/platform/dynamo/outbox.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { SnsEventPublisher } from '#shared/platform/events.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(z.extend(TableEnv, { DELAY_TOPIC_ARN: z.string().check(z.minLength(20)) }));
const db = tracedDocumentClient();
const publisher = new SnsEventPublisher(new SNSClient({}), env.DELAY_TOPIC_ARN);

/**
 * An entry given up after its last attempt: counted at once (the run may still fail after it), with
 * an alarm on OutboxDeadLettered; the entry stays in the table, in the outbox's dead-letter partition.
 */
const onDeadLetter = (entry: OutboxDeadLetter) => {
  metrics.addMetric('OutboxDeadLettered', MetricUnit.Count, 1);
  logger.error('outbox entry given up after its last publish attempt', { ...entry });
};

/**
 * The outbox sweeper (EventBridge Scheduler, every 5 minutes): publishes to the delay topic the
 * outbox entries the table stream gave up on (an SNS or KMS outage outlasting its retries), those
 * 10 minutes old or older, each published only while it is still in the table and then removed;
 * after its last attempt an entry is dead-lettered.
 */
export const handler = middy(async () => {
  const run = await drainOutbox(db, env.TABLE_NAME, publisher, {
    minAgeMs: OUTBOX_SWEEP.minAgeMs,
    maxAttempts: OUTBOX_SWEEP.maxAttempts,
    onDeadLetter,
  });
  // Anything published here is an entry the stream did not publish: worth a look even when it worked.
  metrics.addMetric('OutboxSwept', MetricUnit.Count, run.published);
  metrics.addMetric('OutboxSweepFailures', MetricUnit.Count, run.failed);
  if (run.published + run.failed + run.deadLettered > 0) logger.warn('outbox sweep', { ...run });
  else logger.info('outbox sweep', { ...run });
  return run;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
