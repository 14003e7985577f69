import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parse } from '@aws-lambda-powertools/parser';
import { DynamoDBStreamRecord } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { rescoreAccounts } from '#shared/accounts/churn-run.ts';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { CHURN_FACTS, factsOf, snapshotOf } from '#shared/analytics/facts.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const aggregates = new WeeklyAggregates(db, env.TABLE_NAME);
const accounts = new AccountRepo(db, env.TABLE_NAME);
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * One stream record: each fact its new image carries is counted once (a redelivery counts
 * nothing), and an account's profile sets its week's share of wallet. A failure fails this record
 * only; the stream retries it, bisecting the batch, then dead-letters it.
 */
async function record(r: DynamoDBRecord, touched: Set<string>) {
  const { dynamodb } = parse(r, undefined, DynamoDBStreamRecord);
  const image = dynamodb.NewImage;
  if (!image) return;
  let counted = 0;
  const at = dynamodb.ApproximateCreationDateTime;
  const writtenAt = at ? new Date(at * 1000).toISOString() : undefined;
  for (const fact of factsOf(image, writtenAt)) {
    if (!(await aggregates.count(fact))) continue;
    counted++;
    if (CHURN_FACTS.test(fact.id)) touched.add(fact.accountId);
  }
  const snapshot = snapshotOf(image);
  if (snapshot) await aggregates.snapshot(snapshot);
  if (counted) metrics.addMetric('FactsCounted', MetricUnit.Count, counted);
}

/**
 * The weekly aggregates, from the table's stream (filtered to the entities that carry facts); the
 * churn score of every account a relevant fact touched is recomputed at the end of the batch.
 */
export const handler = middy(async (event: DynamoDBStreamEvent, context: Context) => {
  metrics.addMetric('StreamRecords', MetricUnit.Count, event.Records.length);
  const touched = new Set<string>();
  // In stream order: two images of one account in a batch must land oldest first.
  const response = await processPartialResponse(event, (r: DynamoDBRecord) => record(r, touched), processor, {
    context,
    processInParallel: false,
  });
  if (touched.size) await rescoreAccounts(aggregates, accounts, [...touched]);
  return response;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
