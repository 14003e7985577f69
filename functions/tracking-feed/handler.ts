import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadEnv, TableEnv } from '#shared/config/env.ts';
import { logger, metrics } from '#shared/observability/index.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ShipmentStore } from '#shared/store/shipments.ts';
import { ingestBatch } from '#shared/tracking/ingest.ts';

const env = loadEnv(TableEnv);
const shipments = new ShipmentStore(createDocumentClient(), env.TABLE_NAME);

/**
 * TMS feeds over SQS: each message is one event or `{events: [...]}`. Bad events are rejected and
 * logged (retrying cannot fix them); a failure to store makes only that message come back.
 */
export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      logger.warn('tracking feed: message is not JSON; dropped', { messageId: record.messageId });
      metrics.addMetric('TrackingEventsRejected', MetricUnit.Count, 1);
      continue;
    }
    const events = Array.isArray((body as { events?: unknown })?.events)
      ? (body as { events: unknown[] }).events
      : [body];
    try {
      const report = await ingestBatch(shipments, events);
      metrics.addMetric('TrackingEventsApplied', MetricUnit.Count, report.applied);
      metrics.addMetric('TrackingEventsRejected', MetricUnit.Count, report.rejected.length);
      if (report.rejected.length)
        logger.warn('tracking feed: events rejected', {
          messageId: record.messageId,
          rejected: report.rejected,
        });
    } catch (err) {
      logger.error('tracking feed: message failed; it will be redelivered', {
        messageId: record.messageId,
        error: err as Error,
      });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
