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
import { CallJournal } from '#shared/inbound/journal.ts';
import { applyJournalEvent } from '#shared/inbound/journal-events.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const campaigns = new Campaigns(db, env.TABLE_NAME);
const journal = new CallJournal(db, env.TABLE_NAME);

/**
 * Amazon Connect contact events from EventBridge → callback outcomes (outbound calls) and the
 * caller journal (inbound calls). A DynamoDB failure throws, so EventBridge's retry delivers the
 * event again; applying an event twice changes nothing.
 */
export const handler = middy(async (event: unknown): Promise<EventOutcome> => {
  const parsed = parse(event, EventBridgeEnvelope, ContactEventDetail, true);
  if (!parsed.success) return counted({ ignored: 'not an Amazon Connect contact event' });
  const detail = parsed.data;
  const outcome: EventOutcome =
    detail.initiationMethod === 'INBOUND'
      ? await applyJournalEvent(journal, detail)
      : await applyContactEvent(campaigns, detail);
  return counted(outcome);
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));

function counted(outcome: EventOutcome): EventOutcome {
  metrics.addMetric(
    'applied' in outcome ? 'ContactEventsApplied' : 'ContactEventsIgnored',
    MetricUnit.Count,
    1,
  );
  logger.info('contact event', { ...outcome });
  return outcome;
}
