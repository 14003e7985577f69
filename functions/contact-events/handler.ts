import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parse } from '@aws-lambda-powertools/parser';
import { EventBridgeEnvelope } from '@aws-lambda-powertools/parser/envelopes/eventbridge';
import middy from '@middy/core';
import {
  applyContactEvent,
  ContactEventDetail,
  type EventOutcome,
} from '#shared/campaigns/contact-events.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(TableEnv);
const campaigns = new Campaigns(tracedDocumentClient(), env.TABLE_NAME);

/**
 * Amazon Connect contact events from EventBridge → callback outcomes. A DynamoDB failure throws,
 * so EventBridge's retry delivers the event again; applying an event twice changes nothing.
 */
export const handler = middy(async (event: unknown): Promise<EventOutcome> => {
  const parsed = parse(event, EventBridgeEnvelope, ContactEventDetail, true);
  const outcome: EventOutcome = parsed.success
    ? await applyContactEvent(campaigns, parsed.data)
    : { ignored: 'not an Amazon Connect contact event' };
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
