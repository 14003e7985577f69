import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { PhoneLookups } from '#shared/accounts/lookup.ts';
import { parseQueueArns, type ScreenPopContext, screenPopAttributes } from '#shared/inbound/attributes.ts';
import { CallLog } from '#shared/inbound/directory.ts';
import { CallJournal } from '#shared/inbound/journal.ts';
import { screenPop } from '#shared/inbound/screen-pop.ts';
import { withBudget } from '#shared/platform/connect/budget.ts';
import { screenPopEnv } from '#shared/platform/connect/env.ts';
import { contactFlowHandler } from '#shared/platform/connect/handler.ts';
import { documentClient } from '#shared/platform/dynamo/client.ts';
import { metrics } from '#shared/platform/observability/index.ts';

const env = screenPopEnv();
const queueArns = parseQueueArns(env.QUEUE_ARNS);
const db = documentClient();
const deps = {
  db,
  tableName: env.TABLE_NAME,
  phones: new PhoneLookups(db, env.TABLE_NAME),
  calls: new CallLog(db, env.TABLE_NAME),
  journal: new CallJournal(db, env.TABLE_NAME),
};
/** Time kept, after the second step's deadline, to answer before the budget runs out. */
const DEADLINE_MARGIN_MS = 60;
const context = (contactId: string, language: string): ScreenPopContext => ({
  connectContactId: contactId,
  defaultQueue: env.DEFAULT_QUEUE,
  queueArns,
  desktopUrl: env.DESKTOP_URL,
  defaultLanguage: language,
});

/**
 * Amazon Connect screen pop: the caller's account and where the call goes, in two DynamoDB round
 * trips at most. A failed or slow lookup answers a routable default with lookupStatus=error.
 */
export const handler = contactFlowHandler(
  {
    name: 'Lookup',
    fallback: (lang, _s, contactId) => screenPopAttributes(context(contactId, lang), 'error'),
  },
  async (flow) => {
    const started = performance.now();
    const ctx = context(flow.contactId, flow.flowLanguage ?? 'zh-CN');
    const budget = Math.min(env.LOOKUP_BUDGET_MS, Math.max(100, flow.remainingMs - 300));
    // The second step answers by its deadline with what it has, before the budget gives up on all.
    const deadline = started + budget - DEADLINE_MARGIN_MS;
    const { status, attributes } = await withBudget(budget, (signal) =>
      screenPop(deps, flow, ctx, signal, deadline),
    );
    metrics.addMetric(`Lookup_${status}`, MetricUnit.Count, 1);
    metrics.addMetric('LookupLatency', MetricUnit.Milliseconds, performance.now() - started);
    return attributes;
  },
);
