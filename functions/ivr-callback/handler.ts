import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { ivrCallback, ivrCallbackFallback } from '#shared/campaigns/ivr.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { ConnectLambdaEnv, loadEnv } from '#shared/platform/config.ts';
import { withBudget } from '#shared/platform/connect/budget.ts';
import { contactFlowHandler } from '#shared/platform/connect/handler.ts';
import { documentClient } from '#shared/platform/dynamo/client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(ConnectLambdaEnv);
const db = documentClient();
const deps = { accounts: new AccountRepo(db, env.TABLE_NAME), campaigns: new Campaigns(db, env.TABLE_NAME) };

/**
 * A caller asks to be called back instead of waiting: one pending callback per number, and the
 * caller hears the window in their language. It never throws.
 */
export const handler = contactFlowHandler(
  { name: 'IvrCallback', fallback: ivrCallbackFallback },
  async (flow) => {
    const r = await withBudget(env.LOOKUP_BUDGET_MS * 3, () => ivrCallback(deps, flow));
    if (r.created !== undefined) {
      metrics.addMetric(r.created ? 'CallbacksRequested' : 'CallbacksAlreadyPending', MetricUnit.Count, 1);
    }
    logger.info('ivr callback', { contactId: flow.contactId, created: r.created, callbackId: r.callbackId });
    return r.attributes;
  },
);
