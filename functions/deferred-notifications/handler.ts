import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { Accounts } from '#shared/accounts/service.ts';
import { sendDeferred } from '#shared/notify/notifier.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { SesEmailSender, SnsSmsSender } from '#shared/notify/senders.ts';
import { loadEnv, NotifierEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger } from '#shared/platform/observability/index.ts';
import { Shipments } from '#shared/shipments/service.ts';

const env = loadEnv(NotifierEnv);
const db = tracedDocumentClient();
const deps = {
  accounts: new Accounts(db, env.TABLE_NAME),
  notifications: new NotificationRepo(db, env.TABLE_NAME),
  shipments: new Shipments(db, env.TABLE_NAME),
  sms: new SnsSmsSender(new SNSClient({}), env.SMS_SENDER_ID),
  email: new SesEmailSender(new SESv2Client({}), env.SES_FROM, env.SES_CONFIGURATION_SET),
};

/** Every minute: sends the alerts that waited for a contact's quiet hours to end. */
export const handler = middy(async () => {
  const sent = await sendDeferred(deps);
  logger.info('deferred notifications', { sent });
  return { sent };
}).use(injectLambdaContext(logger));
