import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SnsEnvelope } from '@aws-lambda-powertools/parser/envelopes/sns';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { proactiveCall } from '#shared/notify/proactive-call.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger } from '#shared/platform/observability/index.ts';
import { DelayDetected } from '#shared/shipments/delay.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const deps = {
  db,
  tableName: env.TABLE_NAME,
  campaigns: new Campaigns(db, env.TABLE_NAME),
  accounts: new Accounts(db, env.TABLE_NAME),
};

/** Subscribed to the delay topic (filter: critical, key): one proactive callback per waybill. */
export const handler = middy(async (events: DelayDetected[]) => {
  for (const event of events) {
    const callbackId = await proactiveCall(deps, event);
    logger.info('proactive delay call', { waybill: event.waybill, callbackId });
  }
})
  .use(injectLambdaContext(logger))
  // SNS delivers the event as a JSON string in Message.
  .use(parser({ schema: JSONStringified(DelayDetected), envelope: SnsEnvelope }));
