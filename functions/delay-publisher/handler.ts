import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parse } from '@aws-lambda-powertools/parser';
import { DynamoDBStreamRecord } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { isOutboxItem, publishOutboxItem } from '#shared/platform/dynamo/outbox.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { SnsEventPublisher } from '#shared/platform/events.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(z.extend(TableEnv, { DELAY_TOPIC_ARN: z.string().check(z.minLength(20)) }));
const publisher = new SnsEventPublisher(new SNSClient({}), env.DELAY_TOPIC_ARN);
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** One stream record: an outbox entry is published to SNS, then removed. A failure is retried by the stream. */
async function record(r: DynamoDBRecord) {
  const { dynamodb } = parse(r, undefined, DynamoDBStreamRecord);
  if (!isOutboxItem(dynamodb.NewImage)) return;
  await publishOutboxItem(tracedDocumentClient(), env.TABLE_NAME, publisher, dynamodb.NewImage ?? {});
}

/** The outbox, from the table's stream (filtered to new Outbox items): DelayDetected to SNS. */
export const handler = middy((event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, record, processor, { context }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
