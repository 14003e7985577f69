import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { noteIvrChoice } from '#shared/inbound/journal.ts';
import { withBudget } from '#shared/platform/connect/budget.ts';
import { connectLambdaEnv } from '#shared/platform/connect/env.ts';
import { contactFlowHandler } from '#shared/platform/connect/handler.ts';
import { documentClient } from '#shared/platform/dynamo/client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { ivrTracking, ivrTrackingFallback } from '#shared/shipments/ivr.ts';
import { ShipmentRepo } from '#shared/shipments/repo.ts';

const env = connectLambdaEnv();
const db = documentClient();
const deps = {
  accounts: new AccountRepo(db, env.TABLE_NAME),
  shipments: new ShipmentRepo(db, env.TABLE_NAME),
};

/**
 * IVR self-service tracking (Parameters.waybill): the status and a prompt in the caller's
 * language; full details only for the calling account's own shipments. It never throws.
 */
export const handler = contactFlowHandler(
  { name: 'Tracking', fallback: ivrTrackingFallback },
  async (flow) => {
    const [r] = await Promise.all([
      ivrTracking(deps, flow, (fn) => withBudget(env.LOOKUP_BUDGET_MS, fn)),
      noteIvrChoice(db, env.TABLE_NAME, flow.contactId, 'tracking'),
    ]);
    metrics.addMetric(
      r.attributes.lookupStatus === 'invalid'
        ? 'TrackingInvalidWaybill'
        : r.found
          ? 'TrackingFound'
          : 'TrackingNotFound',
      MetricUnit.Count,
      1,
    );
    logger.info('ivr tracking', { contactId: flow.contactId, found: r.found, owner: r.owner });
    return r.attributes;
  },
);
