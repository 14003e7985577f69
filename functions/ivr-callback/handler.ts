import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { ivrCallback, ivrCallbackFallback } from '#shared/campaigns/ivr.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { noteIvrChoice } from '#shared/inbound/journal.ts';
import { IvrWriteEnv, loadEnv } from '#shared/platform/config.ts';
import { contactFlowHandler } from '#shared/platform/connect/handler.ts';
import { SqsHandoffQueue } from '#shared/platform/connect/handoff.ts';
import { abortable } from '#shared/platform/dynamo/abortable.ts';
import { documentClient } from '#shared/platform/dynamo/client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(IvrWriteEnv);
const db = documentClient();
const deps = {
  services: (signal?: AbortSignal) => {
    const d = signal ? abortable(db, signal) : db;
    return { accounts: new AccountRepo(d, env.TABLE_NAME), campaigns: new Campaigns(d, env.TABLE_NAME) };
  },
  handoff: new SqsHandoffQueue(new SQSClient({ maxAttempts: 1 }), env.IVR_HANDOFF_QUEUE_URL),
  timing: {
    lookupMs: env.IVR_LOOKUP_BUDGET_MS,
    writeMs: env.IVR_WRITE_BUDGET_MS,
    handoffMs: env.IVR_HANDOFF_BUDGET_MS,
  },
};

/**
 * A caller asks to be called back instead of waiting: one pending callback per number, and the
 * caller hears the time in their language, inside the flow's 3 s. It never throws.
 */
export const handler = contactFlowHandler(
  { name: 'IvrCallback', fallback: ivrCallbackFallback },
  async (flow) => {
    const [r] = await Promise.all([
      ivrCallback(deps, flow),
      noteIvrChoice(db, env.TABLE_NAME, flow.contactId, 'callback'),
    ]);
    if (r.created !== undefined) {
      metrics.addMetric(r.created ? 'CallbacksRequested' : 'CallbacksAlreadyPending', MetricUnit.Count, 1);
    } else if (r.attributes.status === 'pending')
      metrics.addMetric('CallbacksHandedOff', MetricUnit.Count, 1);
    logger.info('ivr callback', {
      contactId: flow.contactId,
      created: r.created,
      callbackId: r.callbackId,
      ...r.log,
    });
    return r.attributes;
  },
);
