import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import {
  CognitoIdentityProviderClient,
  paginateListUsersInGroup,
} from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { type Manager, type ManagerDirectory, sendWeeklyDigests } from '#shared/analytics/digest.ts';
import { SesEmailSender } from '#shared/notify/senders.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { ROLE_GROUPS } from '#shared/platform/roles.ts';

const env = loadEnv(
  z.extend(TableEnv, {
    SES_FROM: z.string().check(z.minLength(3)),
    USER_POOL_ID: z.string().check(z.minLength(5)),
    COCKPIT_URL: z.url(),
  }),
);
const db = tracedDocumentClient();
const cognito = new CognitoIdentityProviderClient({});

/** The key-account managers: the users of the pool's `account-managers` group, by name and e-mail. */
const directory: ManagerDirectory = {
  async managers() {
    const out: Manager[] = [];
    const pages = paginateListUsersInGroup(
      { client: cognito },
      { UserPoolId: env.USER_POOL_ID, GroupName: ROLE_GROUPS['account-manager'] },
    );
    for await (const page of pages) {
      for (const u of page.Users ?? []) {
        const attr = (n: string) => u.Attributes?.find((a) => a.Name === n)?.Value;
        const [name, email] = [attr('name'), attr('email')];
        if (u.Enabled !== false && name && email) out.push({ name, email });
      }
    }
    return out;
  },
};

/** Monday 08:00 Shanghai (EventBridge Scheduler): each key-account manager's weekly digest. */
export const handler = middy(async () => {
  const run = await sendWeeklyDigests({
    db,
    tableName: env.TABLE_NAME,
    accounts: new AccountRepo(db, env.TABLE_NAME),
    aggregates: new WeeklyAggregates(db, env.TABLE_NAME),
    email: new SesEmailSender(new SESv2Client({}), env.SES_FROM),
    directory,
    link: env.COCKPIT_URL,
  });
  metrics.addMetric('DigestsSent', MetricUnit.Count, run.sent);
  metrics.addMetric('DigestsFailed', MetricUnit.Count, run.failed);
  logger.info('weekly digests', { ...run });
  // A failed send fails the run: the schedule retries it, and only the unsent go out again.
  if (run.failed) throw new Error(`${run.failed} weekly digest(s) could not be sent`);
  return run;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
