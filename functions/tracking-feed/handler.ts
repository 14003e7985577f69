import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { zodIssuesToFieldErrors } from '#shared/platform/errors.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { ingestFeed } from '#shared/shipments/ingest.ts';
import { Shipments } from '#shared/shipments/service.ts';

const env = loadEnv(TableEnv);
const shipments = new Shipments(tracedDocumentClient(), env.TABLE_NAME);
const processor = new BatchProcessor(EventType.SQS);

/**
 * A message body: a JSON array of events, `{events: [...]}`, or one event (an object); a booking
 * (`{"type": "ShipmentBooked", ...}`) may stand for an event anywhere, and is applied in its place;
 * each is validated on its own by the ingestion. A JSON syntax error is worded without the
 * excerpt of the body V8 puts in it (the body may hold a driver's number or a consignee's name).
 */
const FeedBody = z
  .string()
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text);
    } catch (err) {
      const why = (err as Error).message.replace(/, ".*$/s, '');
      ctx.addIssue({ code: 'custom', message: `the body is not valid JSON (${why})` });
      return z.NEVER;
    }
  })
  .pipe(
    z.union(
      [
        z.array(z.unknown()).min(1, 'the batch has no events'),
        z.object({ events: z.array(z.unknown()).min(1, 'the batch has no events') }),
        z.record(z.string(), z.unknown()),
      ],
      { error: 'the body is not a tracking event, an array of events or {"events": [...]}' },
    ),
  );

/** A message that cannot be applied as it is: it goes back to the queue, and on to the feed's DLQ. */
class RefusedMessage extends Error {}

/**
 * One message. Nothing is lost: a body that is not an event or a batch of events, or one with an
 * event or a booking refused (its reason, say an unknown waybill, may be fixed upstream), fails the message;
 * SQS redelivers it (the events applied meanwhile are duplicates then) and after its last receive
 * it waits in the feed's DLQ (alarm TrackingFeedDeadLetters). The log line names the message and
 * why, never the body. A failure to store fails the message the same way.
 */
async function record(r: SQSRecord) {
  const receives = Number(r.attributes.ApproximateReceiveCount);
  const refuse = (reason: unknown, rejected = 1) => {
    metrics.addMetric('TrackingMessagesRefused', MetricUnit.Count, 1);
    metrics.addMetric('TrackingEventsRejected', MetricUnit.Count, rejected);
    logger.warn('tracking feed: message refused; back to the queue, then the feed DLQ', {
      messageId: r.messageId,
      receives,
      reason,
    });
    return new RefusedMessage(`tracking feed message ${r.messageId} refused`);
  };
  const parsed = FeedBody.safeParse(r.body);
  if (!parsed.success) throw refuse(zodIssuesToFieldErrors(parsed.error.issues, ['body']));
  const body = parsed.data;
  const events = Array.isArray(body) ? body : Array.isArray(body.events) ? body.events : [body];
  const { report, booked } = await ingestFeed(shipments, events);
  metrics.addMetric('TrackingEventsApplied', MetricUnit.Count, report.applied);
  metrics.addMetric('ShipmentsBooked', MetricUnit.Count, booked);
  if (report.rejected.length) {
    const rejected = report.rejected.map(({ index, eventId, reason }) => ({ index, eventId, reason }));
    throw refuse(rejected, rejected.length);
  }
}

/** TMS tracking feeds over SQS, with partial batch failures (a batch failed whole answers so too). */
export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, record, processor, { context, throwOnFullBatchFailure: false }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
