import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { Accounts } from '#shared/accounts/service.ts';
import { UnknownAccount } from '#shared/notify/model.ts';
import { notifyDelay } from '#shared/notify/notifier.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { SesEmailSender, SnsSmsSender } from '#shared/notify/senders.ts';
import { loadEnv, NotifierEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { readRecord, receiptOf } from '#shared/platform/sqs-record.ts';
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
const processor = new BatchProcessor(EventType.SQS);

/**
 * One DelayDetected: alerts to the account's contacts; a failure sends only this record back, and
 * after its last receive to the DLQ. Each failure is logged with the message id and its reason (a
 * body that fails the schema names the failing fields) and counted in NotificationFailures; an
 * unknown account (notifier.ts, UnknownAccount) is a warning of its own, in AlertsForUnknownAccount.
 */
async function record(r: SQSRecord) {
  // One DelayDetected as JSON (raw delivery from the topic); one that is not is logged and counted.
  const event = readRecord(r, DelayDetected, {
    consumer: 'notifier',
    what: 'a DelayDetected',
    failureMetric: 'NotificationFailures',
  });
  const receive = receiptOf(r);
  try {
    for (const n of await notifyDelay(deps, event))
      metrics.addMetric(`Notification_${n.status}`, MetricUnit.Count, 1);
  } catch (err) {
    if (err instanceof UnknownAccount) {
      metrics.addMetric('AlertsForUnknownAccount', MetricUnit.Count, 1);
      logger.warn('notifier: no such account (yet); redelivered, then kept in the DLQ', {
        ...receive,
        accountId: err.accountId,
        waybill: err.waybill,
      });
      throw err;
    }
    metrics.addMetric('NotificationFailures', MetricUnit.Count, 1);
    logger.error('notifier: record failed; it will be redelivered', { ...receive, error: err as Error });
    throw err;
  }
}

/** DelayDetected events from the topic's SQS queue (raw delivery), with partial batch failures. */
export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, record, processor, { context }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
