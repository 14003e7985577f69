import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parse } from '@aws-lambda-powertools/parser';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { ingestBatch } from '#shared/shipments/ingest.ts';
import { Shipments } from '#shared/shipments/service.ts';

const env = loadEnv(TableEnv);
const shipments = new Shipments(tracedDocumentClient(), env.TABLE_NAME);
const processor = new BatchProcessor(EventType.SQS);
/** A message is one event or `{events: [...]}`; each event is validated on its own by the ingestion. */
const FeedMessage = SqsRecordSchema.extend({
  body: JSONStringified(
    z.union([z.object({ events: z.array(z.unknown()) }), z.record(z.string(), z.unknown())]),
  ),
});

/**
 * One message. Bad events are rejected and logged (retrying cannot fix them); a failure to store
 * sends only this message back.
 */
async function record(r: SQSRecord) {
  const parsed = parse(r, undefined, FeedMessage, true);
  const body = parsed.success ? parsed.data.body : undefined;
  const events = body && Array.isArray(body.events) ? body.events : body ? [body] : [];
  if (!parsed.success) logger.warn('tracking feed: message is not JSON; dropped', { messageId: r.messageId });
  const report = await ingestBatch(shipments, events);
  metrics.addMetric('TrackingEventsApplied', MetricUnit.Count, report.applied);
  metrics.addMetric(
    'TrackingEventsRejected',
    MetricUnit.Count,
    report.rejected.length + (parsed.success ? 0 : 1),
  );
  if (report.rejected.length)
    logger.warn('tracking feed: events rejected', { messageId: r.messageId, rejected: report.rejected });
}

/** TMS tracking feeds over SQS, with partial batch failures. */
export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, record, processor, { context }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
