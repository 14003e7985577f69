import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { SnsEventPublisher } from '#shared/adapters/events.ts';
import { loadEnv, TableEnv } from '#shared/config/env.ts';
import { publishOutboxItem } from '#shared/notify/outbox.ts';
import { logger, metrics } from '#shared/observability/index.ts';
import { createDocumentClient } from '#shared/store/client.ts';

const env = loadEnv(z.extend(TableEnv, { DELAY_TOPIC_ARN: z.string().check(z.minLength(20)) }));
const db = createDocumentClient();
const publisher = new SnsEventPublisher(new SNSClient({}), env.DELAY_TOPIC_ARN);

/**
 * Outbox entries from the table's stream (filtered to new Outbox items): publish each
 * DelayDetected to SNS, then remove it. Failed records are retried by the stream.
 */
export const handler = middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    try {
      await publishOutboxItem(db, env.TABLE_NAME, publisher, image);
    } catch (err) {
      logger.error('delay publisher: record failed', { error: err as Error });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures: failures };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
