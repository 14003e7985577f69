import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import { Accounts } from '#shared/accounts/service.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { SesEmailSender } from '#shared/notify/senders.ts';
import { loadEnv, NotifierEnv } from '#shared/platform/config.ts';
import { Claims } from '#shared/platform/dynamo/claim.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger } from '#shared/platform/observability/index.ts';
import { sendDailyReports } from '#shared/shipments/report.ts';
import { Shipments } from '#shared/shipments/service.ts';

const env = loadEnv(NotifierEnv);
const db = tracedDocumentClient();
const email = new SesEmailSender(new SESv2Client({}), env.SES_FROM, env.SES_CONFIGURATION_SET);

/**
 * Daily: emails each account's transport tracking report to the contacts who opted in, each once
 * a day. A send that failed (not a refused address) fails the run: the schedule retries it, and
 * only the unsent go out again.
 */
export const handler = middy(async () => {
  const run = await sendDailyReports({
    accounts: new Accounts(db, env.TABLE_NAME),
    shipments: new Shipments(db, env.TABLE_NAME),
    email,
    claims: new Claims(db, env.TABLE_NAME),
    notifications: new NotificationRepo(db, env.TABLE_NAME),
  });
  logger.info('daily tracking reports', { ...run });
  if (run.failed) throw new Error(`${run.failed} daily report(s) could not be sent`);
  return run;
}).use(injectLambdaContext(logger));
