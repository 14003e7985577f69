import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { complaintPolicyFromEnv } from '#shared/complaints/config.ts';
import { ivrComplaint, ivrComplaintFallback } from '#shared/complaints/ivr.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { ConnectLambdaEnv, loadEnv } from '#shared/platform/config.ts';
import { withBudget } from '#shared/platform/connect/budget.ts';
import { contactFlowHandler } from '#shared/platform/connect/handler.ts';
import { documentClient } from '#shared/platform/dynamo/client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(ConnectLambdaEnv);
const db = documentClient();
const deps = {
  accounts: new AccountRepo(db, env.TABLE_NAME),
  complaints: new Complaints(db, env.TABLE_NAME, new Campaigns(db, env.TABLE_NAME), complaintPolicyFromEnv()),
};

/**
 * IVR complaint intake: category by DTMF (Parameters.category), optional waybill. The ContactId
 * makes a retried invocation answer the complaint already recorded. It never throws.
 */
export const handler = contactFlowHandler(
  { name: 'IvrComplaint', fallback: ivrComplaintFallback },
  async (flow) => {
    const r = await withBudget(env.LOOKUP_BUDGET_MS * 3, () => ivrComplaint(deps, flow));
    if (r.attributes.recorded === 'true') {
      metrics.addMetric(r.log.created ? 'IvrComplaintsRecorded' : 'IvrComplaintRetries', MetricUnit.Count, 1);
    }
    logger.info('ivr complaint', { contactId: flow.contactId, ...r.log });
    return r.attributes;
  },
);
