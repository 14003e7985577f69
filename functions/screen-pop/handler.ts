import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { ConnectLambdaEnv, loadEnv } from '#shared/config/env.ts';
import { BudgetExceeded, withBudget } from '#shared/connect/budget.ts';
import { callerNumber } from '#shared/connect/caller.ts';
import { ContactFlowEvent, flowParameter, rawContactId, toStringMap } from '#shared/connect/event.ts';
import { type LookupStatus, type ScreenPopContext, screenPopAttributes } from '#shared/connect/screen-pop.ts';
import { logger, metrics } from '#shared/observability/index.ts';
import { maskPhone } from '#shared/observability/mask.ts';
import { CallerDirectory } from '#shared/store/caller-directory.ts';
import { createDocumentClient } from '#shared/store/client.ts';

const env = loadEnv(
  z.extend(ConnectLambdaEnv, {
    DEFAULT_QUEUE: z._default(z.string().check(z.minLength(1)), 'general-service'),
    /** Queue name → queue ARN as JSON. */
    QUEUE_ARNS: z._default(z.string(), '{}'),
    DESKTOP_URL: z._default(z.url(), 'http://127.0.0.1:4310/'),
  }),
);
const queueArns = parseQueueArns(env.QUEUE_ARNS);
// Two attempts at most: the budget, not the SDK's retry policy, bounds the caller's wait.
const directory = new CallerDirectory(createDocumentClient({ maxAttempts: 2 }), env.TABLE_NAME);

/**
 * Amazon Connect screen pop. Looks the caller up (two sequential DynamoDB round trips at most)
 * and answers routing attributes. It never throws: a failed or slow lookup answers a routable
 * default with lookupStatus=error.
 */
export const handler = async (
  rawEvent: unknown,
  context?: { getRemainingTimeInMillis?: () => number },
): Promise<Record<string, string>> => {
  const started = performance.now();
  const contactId = rawContactId(rawEvent);
  const parsed = ContactFlowEvent.safeParse(rawEvent);
  const ctx: ScreenPopContext = {
    connectContactId: contactId,
    defaultQueue: env.DEFAULT_QUEUE,
    queueArns,
    desktopUrl: env.DESKTOP_URL,
    defaultLanguage: (parsed.success && languageOf(flowParameter(parsed.data, 'language'))) || 'zh-CN',
  };
  let status: LookupStatus = 'error';
  let answer: Record<string, string>;
  try {
    if (!parsed.success) {
      logger.warn('screen pop: event does not look like a Connect contact-flow event', {
        contactId,
        issues: parsed.error.issues.slice(0, 5),
      });
      answer = toStringMap(screenPopAttributes(ctx, 'error'));
    } else {
      const budget = Math.min(
        env.LOOKUP_BUDGET_MS,
        Math.max(100, (context?.getRemainingTimeInMillis?.() ?? 8000) - 300),
      );
      const r = await withBudget(budget, (signal) => lookup(parsed.data, ctx, signal));
      status = r.status;
      answer = r.answer;
    }
  } catch (err) {
    status = 'error';
    const timedOut = err instanceof BudgetExceeded || (err as Error)?.name === 'AbortError';
    metrics.addMetric(timedOut ? 'LookupTimeouts' : 'LookupErrors', MetricUnit.Count, 1);
    logger.error('screen pop lookup failed; answering the default route', {
      contactId,
      caller: maskPhone(
        String((rawEvent as ContactFlowEvent)?.Details?.ContactData?.CustomerEndpoint?.Address ?? ''),
      ),
      error: timedOut ? 'lookup exceeded its time budget' : (err as Error),
    });
    answer = toStringMap(screenPopAttributes(ctx, 'error'));
  }
  metrics.addMetric(`Lookup_${status}`, MetricUnit.Count, 1);
  metrics.addMetric('LookupLatency', MetricUnit.Milliseconds, performance.now() - started);
  metrics.publishStoredMetrics();
  return answer;
};

async function lookup(event: ContactFlowEvent, ctx: ScreenPopContext, signal: AbortSignal) {
  const data = event.Details.ContactData;
  const caller = callerNumber(data.CustomerEndpoint?.Address);
  if (caller.kind !== 'number') {
    logger.info('screen pop: no usable caller number', {
      contactId: ctx.connectContactId,
      kind: caller.kind,
    });
    return { status: 'unknown' as const, answer: toStringMap(screenPopAttributes(ctx, 'unknown')) };
  }
  const matches = await directory.byPhone(caller.e164, signal);
  const best = matches[0];
  if (!best) {
    logger.info('screen pop: unknown caller', {
      contactId: ctx.connectContactId,
      caller: maskPhone(caller.e164),
    });
    return { status: 'unknown' as const, answer: toStringMap(screenPopAttributes(ctx, 'unknown')) };
  }
  const status: LookupStatus = new Set(matches.map((m) => m.accountId)).size > 1 ? 'ambiguous' : 'ok';
  // Round trip 2: the counters, with the call recorded alongside (not after) so it adds no wait.
  const [stats] = await Promise.all([
    directory.stats(best.accountId, signal),
    directory
      .recordCall(
        {
          connectContactId: ctx.connectContactId,
          at: new Date().toISOString(),
          e164: caller.e164,
          accountId: best.accountId,
          contactId: best.contactId,
          contactName: best.contactName,
          lookupStatus: status,
          direction: data.InitiationMethod === 'OUTBOUND' ? 'outbound' : 'inbound',
          ...(data.Channel ? { channel: data.Channel } : {}),
        },
        signal,
      )
      .catch((err: unknown) => {
        metrics.addMetric('CallRecordErrors', MetricUnit.Count, 1);
        logger.warn('screen pop: the call could not be recorded', {
          contactId: ctx.connectContactId,
          error: err as Error,
        });
      }),
  ]);
  logger.info('screen pop', {
    contactId: ctx.connectContactId,
    caller: maskPhone(caller.e164),
    accountId: best.accountId,
    status,
  });
  return { status, answer: toStringMap(screenPopAttributes(ctx, status, best, stats, matches.length)) };
}

function languageOf(v: string | undefined): string | undefined {
  if (!v) return undefined;
  return v.toLowerCase().startsWith('en') ? 'en' : v.toLowerCase().startsWith('zh') ? 'zh-CN' : undefined;
}

function parseQueueArns(json: string): Record<string, string> {
  const r = z.safeParse(
    z.record(z.string(), z.string()),
    (() => {
      try {
        return JSON.parse(json);
      } catch {
        return undefined;
      }
    })(),
  );
  if (!r.success)
    throw new Error('Invalid configuration: QUEUE_ARNS must be a JSON object of queue name → queue ARN');
  return r.data;
}
