import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { SesEmailSender, SnsSmsSender } from '#shared/adapters/senders.ts';
import { loadEnv, NotifierEnv } from '#shared/config/env.ts';
import { type DelayDetected, notifyDelay } from '#shared/notify/notifier.ts';
import { logger, metrics } from '#shared/observability/index.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { NotificationStore } from '#shared/store/notifications.ts';
import { ShipmentStore } from '#shared/store/shipments.ts';

const env = loadEnv(NotifierEnv);
const db = createDocumentClient();
const deps = {
  accounts: new AccountStore(db, env.TABLE_NAME),
  notifications: new NotificationStore(db, env.TABLE_NAME),
  shipments: new ShipmentStore(db, env.TABLE_NAME),
  sms: new SnsSmsSender(new SNSClient({}), env.SMS_SENDER_ID),
  email: new SesEmailSender(new SESv2Client({}), env.SES_FROM, env.SES_CONFIGURATION_SET),
};

/**
 * DelayDetected events from the SNS topic's SQS queue (raw message delivery). Partial batch
 * failures: only the records that failed go back to the queue; redelivered ones are deduplicated.
 */
export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      const body = JSON.parse(record.body) as DelayDetected;
      if (body.type !== 'DelayDetected' || !body.waybill || !body.accountId) {
        logger.warn('notifier: not a DelayDetected event; dropped', { messageId: record.messageId });
        continue;
      }
      const records = await notifyDelay(deps, body);
      for (const r of records) metrics.addMetric(`Notification_${r.status}`, MetricUnit.Count, 1);
    } catch (err) {
      metrics.addMetric('NotificationFailures', MetricUnit.Count, 1);
      logger.error('notifier: record failed; it will be redelivered', {
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
