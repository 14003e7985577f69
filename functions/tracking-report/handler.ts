import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import { SesEmailSender } from '#shared/adapters/senders.ts';
import { loadEnv, NotifierEnv } from '#shared/config/env.ts';
import { logger } from '#shared/observability/index.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ShipmentStore } from '#shared/store/shipments.ts';
import { sendDailyReports } from '#shared/tracking/report.ts';

const env = loadEnv(NotifierEnv);
const db = createDocumentClient();
const email = new SesEmailSender(new SESv2Client({}), env.SES_FROM, env.SES_CONFIGURATION_SET);

/** Daily: emails each account's transport tracking report to the contacts who opted in. */
export const handler = middy(async () => {
  const sent = await sendDailyReports(
    new AccountStore(db, env.TABLE_NAME),
    new ShipmentStore(db, env.TABLE_NAME),
    email,
  );
  logger.info('daily tracking reports', { sent });
  return { sent };
}).use(injectLambdaContext(logger));
