import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { SesEmailSender, SnsSmsSender } from '#shared/adapters/senders.ts';
import { loadEnv, NotifierEnv } from '#shared/config/env.ts';
import { sendDeferred } from '#shared/notify/notifier.ts';
import { logger } from '#shared/observability/index.ts';
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

/** Every minute: sends the alerts that waited for a contact's quiet hours to end. */
export const handler = middy(async () => {
  const sent = await sendDeferred(deps);
  logger.info('deferred notifications', { sent });
  return { sent };
}).use(injectLambdaContext(logger));
