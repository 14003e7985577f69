import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { complaintPolicyFromEnv } from '#shared/complaints/config.ts';
import { ivrComplaint, ivrComplaintFallback } from '#shared/complaints/ivr.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { noteIvrChoice } from '#shared/inbound/journal.ts';
import { IvrWriteEnv, loadEnv } from '#shared/platform/config.ts';
import { contactFlowHandler } from '#shared/platform/connect/handler.ts';
import { SqsHandoffQueue } from '#shared/platform/connect/handoff.ts';
import { abortable } from '#shared/platform/dynamo/abortable.ts';
import { documentClient } from '#shared/platform/dynamo/client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { shipmentOwners } from '#shared/shipments/owner.ts';

const env = loadEnv(IvrWriteEnv);
const db = documentClient();
const policy = complaintPolicyFromEnv();
const deps = {
  services: (signal?: AbortSignal) => {
    const d = signal ? abortable(db, signal) : db;
    return {
      accounts: new AccountRepo(d, env.TABLE_NAME),
      complaints: new Complaints(d, env.TABLE_NAME, new Campaigns(d, env.TABLE_NAME), policy),
      shipments: shipmentOwners(d, env.TABLE_NAME),
    };
  },
  handoff: new SqsHandoffQueue(new SQSClient({ maxAttempts: 1 }), env.IVR_HANDOFF_QUEUE_URL),
  timing: {
    lookupMs: env.IVR_LOOKUP_BUDGET_MS,
    writeMs: env.IVR_WRITE_BUDGET_MS,
    handoffMs: env.IVR_HANDOFF_BUDGET_MS,
  },
};

/**
 * IVR complaint intake: category by DTMF (Parameters.category), optional waybill. Answers inside
 * the flow's 3 s; what the caller hears is what happens (README, "IVR timing"). The ContactId
 * makes a retried invocation answer the complaint already recorded. It never throws.
 */
export const handler = contactFlowHandler(
  { name: 'IvrComplaint', fallback: ivrComplaintFallback },
  async (flow) => {
    const [r] = await Promise.all([
      ivrComplaint(deps, flow),
      noteIvrChoice(db, env.TABLE_NAME, flow.contactId, 'complaint'),
    ]);
    const recorded = r.attributes.recorded;
    if (recorded === 'true') {
      metrics.addMetric(r.log.created ? 'IvrComplaintsRecorded' : 'IvrComplaintRetries', MetricUnit.Count, 1);
    } else if (recorded === 'pending') metrics.addMetric('IvrComplaintsHandedOff', MetricUnit.Count, 1);
    else if (recorded === 'false' && r.attributes.lookupStatus === 'unconfirmed')
      metrics.addMetric('IvrComplaintsUnconfirmed', MetricUnit.Count, 1);
    logger.info('ivr complaint', { contactId: flow.contactId, ...r.log });
    return r.attributes;
  },
);
