import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import { Accounts } from '#shared/accounts/service.ts';
import { SesEmailSender } from '#shared/notify/senders.ts';
import { loadEnv, NotifierEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger } from '#shared/platform/observability/index.ts';
import { sendDailyReports } from '#shared/shipments/report.ts';
import { Shipments } from '#shared/shipments/service.ts';

const env = loadEnv(NotifierEnv);
const db = tracedDocumentClient();
const email = new SesEmailSender(new SESv2Client({}), env.SES_FROM, env.SES_CONFIGURATION_SET);

/** Daily: emails each account's transport tracking report to the contacts who opted in. */
export const handler = middy(async () => {
  const sent = await sendDailyReports(
    new Accounts(db, env.TABLE_NAME),
    new Shipments(db, env.TABLE_NAME),
    email,
  );
  logger.info('daily tracking reports', { sent });
  return { sent };
}).use(injectLambdaContext(logger));
