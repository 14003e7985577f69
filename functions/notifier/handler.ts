import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parser } from '@aws-lambda-powertools/batch/parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
import { Accounts } from '#shared/accounts/service.ts';
import { notifyDelay } from '#shared/notify/notifier.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { SesEmailSender, SnsSmsSender } from '#shared/notify/senders.ts';
import { loadEnv, NotifierEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { DelayDetected } from '#shared/shipments/delay.ts';
import { Shipments } from '#shared/shipments/service.ts';

const env = loadEnv(NotifierEnv);
const db = tracedDocumentClient();
const deps = {
  accounts: new Accounts(db, env.TABLE_NAME),
  notifications: new NotificationRepo(db, env.TABLE_NAME),
  shipments: new Shipments(db, env.TABLE_NAME),
  sms: new SnsSmsSender(new SNSClient({}), env.SMS_SENDER_ID),
  email: new SesEmailSender(new SESv2Client({}), env.SES_FROM, env.SES_CONFIGURATION_SET),
  linkBase: env.ALERT_LINK_BASE,
  onDeadLetter: (records: { length: number }) => {
    metrics.addMetric('AlertsDeadLettered', MetricUnit.Count, records.length);
  },
};
const processor = new BatchProcessor(EventType.SQS, {
  parser,
  innerSchema: DelayDetected,
  transformer: 'json',
});

/** One DelayDetected: alerts to the account's contacts; a failure sends only this record back. */
async function record(r: { messageId: string; body: DelayDetected }) {
  try {
    for (const n of await notifyDelay(deps, r.body))
      metrics.addMetric(`Notification_${n.status}`, MetricUnit.Count, 1);
  } catch (err) {
    metrics.addMetric('NotificationFailures', MetricUnit.Count, 1);
    logger.error('notifier: record failed; it will be redelivered', {
      messageId: r.messageId,
      error: err as Error,
    });
    throw err;
  }
}

/** DelayDetected events from the topic's SQS queue (raw delivery), with partial batch failures. */
export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, record, processor, { context }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
