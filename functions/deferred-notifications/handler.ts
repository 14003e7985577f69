import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { Accounts } from '#shared/accounts/service.ts';
import type { NotificationRecord } from '#shared/notify/model.ts';
import { sendDue } from '#shared/notify/notifier.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { SesEmailSender, SnsSmsSender } from '#shared/notify/senders.ts';
import { loadEnv, NotifierEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
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
  onDeadLetter: (records: NotificationRecord[]) => {
    metrics.addMetric('AlertsDeadLettered', MetricUnit.Count, records.length);
    logger.error('alerts dead-lettered after their last attempt', { records });
  },
};

/**
 * Every minute: works the mailboxes whose time has come (quiet hours over, a retry due, a digest
 * window passed). A message given up after its last attempt is counted in AlertsDeadLettered,
 * which an alarm watches.
 */
export const handler = middy(async () => {
  const r = await sendDue(deps);
  logger.info('due mailboxes worked', r);
  return r;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
