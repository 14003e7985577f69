import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parser } from '@aws-lambda-powertools/batch/parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
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
const processor = new BatchProcessor(EventType.SQS, {
  parser,
  innerSchema: IvrHandoffMessage,
  transformer: 'json',
});

async function record(r: { messageId: string; body: IvrHandoffMessage }) {
  const done = await completeHandoff(deps, r.body);
  metrics.addMetric('IvrHandoffsCompleted', MetricUnit.Count, 1);
  logger.info('ivr hand-off completed', {
    messageId: r.messageId,
    contactId: r.body.connectContactId,
    ...done,
  });
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
