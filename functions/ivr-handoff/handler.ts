import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { complaintPolicyFromEnv } from '#shared/complaints/config.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { completeHandoff, IvrHandoffMessage } from '#shared/inbound/handoff-worker.ts';
import { Confirmations } from '#shared/notify/confirmations.ts';
import { SnsSmsSender } from '#shared/notify/senders.ts';
import { IvrHandoffEnv, loadEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { readRecord, receiptOf } from '#shared/platform/sqs-record.ts';

const env = loadEnv(IvrHandoffEnv);
const db = tracedDocumentClient();
const campaigns = new Campaigns(db, env.TABLE_NAME);
const deps = {
  accounts: new AccountRepo(db, env.TABLE_NAME),
  campaigns,
  complaints: new Complaints(db, env.TABLE_NAME, campaigns, complaintPolicyFromEnv()),
  confirmations: new Confirmations(
    db,
    env.TABLE_NAME,
    new SnsSmsSender(new SNSClient({}), env.SMS_SENDER_ID),
  ),
};
const processor = new BatchProcessor(EventType.SQS);

/** One hand-off; a body that is not one, or a failure, is logged with its message id and counted. */
async function record(r: SQSRecord) {
  const body = readRecord(r, IvrHandoffMessage, {
    consumer: 'ivr hand-off',
    what: 'an IVR hand-off',
    failureMetric: 'IvrHandoffFailures',
  });
  try {
    const done = await completeHandoff(deps, body);
    metrics.addMetric('IvrHandoffsCompleted', MetricUnit.Count, 1);
    logger.info('ivr hand-off completed', { ...receiptOf(r), contactId: body.connectContactId, ...done });
  } catch (err) {
    metrics.addMetric('IvrHandoffFailures', MetricUnit.Count, 1);
    logger.error('ivr hand-off failed; it will be redelivered', {
      ...receiptOf(r),
      contactId: body.connectContactId,
      error: err as Error,
    });
    throw err;
  }
}

/**
 * IVR requests the call could not confirm in time: finished here and confirmed by SMS. A failed
 * record alone goes back to the queue; after its retries it lands in the dead-letter queue.
 */
export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, record, processor, { context }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
