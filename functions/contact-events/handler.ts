import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { applyContactEvent } from '#shared/campaigns/contact-events.ts';
import { loadEnv, TableEnv } from '#shared/config/env.ts';
import { logger, metrics } from '#shared/observability/index.ts';
import { CampaignStore } from '#shared/store/campaigns.ts';
import { createDocumentClient } from '#shared/store/client.ts';

const env = loadEnv(TableEnv);
const store = new CampaignStore(createDocumentClient(), env.TABLE_NAME);

/**
 * Amazon Connect contact events from EventBridge → callback outcomes. A DynamoDB failure throws,
 * so EventBridge's retry delivers the event again; applying an event twice changes nothing.
 */
export const handler = middy(async (event: unknown) => {
  const outcome = await applyContactEvent(store, event);
  metrics.addMetric(
    'applied' in outcome ? 'ContactEventsApplied' : 'ContactEventsIgnored',
    MetricUnit.Count,
    1,
  );
  logger.info('contact event', { ...outcome });
  return outcome;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
