import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { loadEnv, TableEnv } from '#shared/config/env.ts';
import type { DelayDetected } from '#shared/notify/notifier.ts';
import { proactiveCall } from '#shared/notify/outbox.ts';
import { logger } from '#shared/observability/index.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { CampaignStore } from '#shared/store/campaigns.ts';
import { createDocumentClient } from '#shared/store/client.ts';

const env = loadEnv(TableEnv);
const db = createDocumentClient();
const campaigns = new CampaignStore(db, env.TABLE_NAME);
const accounts = new AccountStore(db, env.TABLE_NAME);

/** Subscribed to the delay topic (filter: critical, key): one proactive callback per waybill. */
export const handler = middy(async (event: SNSEvent) => {
  for (const record of event.Records) {
    const body = JSON.parse(record.Sns.Message) as DelayDetected;
    const callbackId = await proactiveCall(db, env.TABLE_NAME, campaigns, accounts, body);
    logger.info('proactive delay call', { waybill: body.waybill, callbackId });
  }
}).use(injectLambdaContext(logger));
