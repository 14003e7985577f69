import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { SnsEventPublisher } from '#shared/adapters/events.ts';
import { runEscalation } from '#shared/complaints/escalation.ts';
import { loadEnv, TableEnv } from '#shared/config/env.ts';
import { logger, metrics } from '#shared/observability/index.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ComplaintStore } from '#shared/store/complaints.ts';

const env = loadEnv(z.extend(TableEnv, { ESCALATION_TOPIC_ARN: z.string().check(z.minLength(20)) }));
const store = new ComplaintStore(createDocumentClient(), env.TABLE_NAME);
const publisher = new SnsEventPublisher(new SNSClient({}), env.ESCALATION_TOPIC_ARN);

/** Runs every minute from EventBridge Scheduler: escalates at-risk and breached complaints. */
export const handler = middy(async () => {
  const run = await runEscalation(store, publisher);
  metrics.addMetric('EscalationItemsRead', MetricUnit.Count, run.read);
  metrics.addMetric('Escalations', MetricUnit.Count, run.published);
  metrics.addMetric('EscalationFailures', MetricUnit.Count, run.failures);
  if (run.failures > 0)
    logger.error('some escalations could not be published; they will be retried', { ...run });
  else logger.info('escalation run', { ...run });
  return run;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
