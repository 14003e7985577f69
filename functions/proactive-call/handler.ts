import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SnsEnvelope } from '@aws-lambda-powertools/parser/envelopes/sns';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { UnknownAccount } from '#shared/notify/model.ts';
import { proactiveCall } from '#shared/notify/proactive-call.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { DelayDetected } from '#shared/shipments/delay.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const deps = {
  db,
  tableName: env.TABLE_NAME,
  campaigns: new Campaigns(db, env.TABLE_NAME),
  accounts: new Accounts(db, env.TABLE_NAME),
};

/**
 * Subscribed to the delay topic (filter: critical, key): one proactive callback per waybill. A call
 * not booked (the delay over, nobody who may be called) is counted in ProactiveCallsNotBooked, its
 * reason logged; an unknown account is counted in ProactiveCallsForUnknownAccount and thrown, so
 * Lambda retries the event and then sends it to the alarmed dead-letter queue.
 */
export const handler = middy(async (events: DelayDetected[]) => {
  for (const event of events) {
    try {
      const callbackId = await proactiveCall(deps, event);
      logger.info('proactive delay call', { waybill: event.waybill, callbackId });
      if (!callbackId) metrics.addMetric('ProactiveCallsNotBooked', MetricUnit.Count, 1);
    } catch (err) {
      if (err instanceof UnknownAccount) {
        metrics.addMetric('ProactiveCallsForUnknownAccount', MetricUnit.Count, 1);
        logger.warn('proactive delay call: no such account (yet); retried, then kept in the DLQ', {
          accountId: err.accountId,
          waybill: err.waybill,
        });
      }
      throw err;
    }
  }
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  // SNS delivers the event as a JSON string in Message.
  .use(parser({ schema: JSONStringified(DelayDetected), envelope: SnsEnvelope }));
