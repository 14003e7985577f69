import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Lang } from '../messages/index.ts';
import { logger, metrics } from '../observability/index.ts';
import { BudgetExceeded } from './budget.ts';
import { type CallerNumber, callerNumber } from './caller.ts';
import {
  type ContactFlowEvent,
  flowParameter,
  parseContactFlowEvent,
  rawContactId,
  toStringMap,
} from './event.ts';

export type Attributes = Record<string, string | number | boolean | undefined | null>;

/** What a contact-flow Lambda knows about the call it serves. */
export interface Flow {
  contactId: string;
  event: ContactFlowEvent;
  caller: CallerNumber;
  /** The language the flow asked for (Parameters.language), if any. */
  flowLanguage: Lang | undefined;
  /** Milliseconds the Lambda has left before its own timeout. */
  remainingMs: number;
}

export interface ContactFlowHandlerOptions {
  /** Metric and log name of the function, e.g. `Lookup` (metrics `LookupErrors`, `LookupTimeouts`). */
  name: string;
  /** The answer when the event is not a contact-flow event or the work fails: still routable. */
  fallback: (lang: Lang, status: 'error', contactId: string) => Attributes;
}

type LambdaContext = { getRemainingTimeInMillis?: () => number } | undefined;

/**
 * The one shape of a Lambda that Amazon Connect invokes from a contact flow: parse the event,
 * run, and answer a flat STRING_MAP. It never throws: a malformed event or a failed or slow
 * dependency answers the fallback, which still routes the call, and says so in its status.
 */
export function contactFlowHandler(o: ContactFlowHandlerOptions, run: (flow: Flow) => Promise<Attributes>) {
  return async (rawEvent: unknown, context?: LambdaContext): Promise<Record<string, string>> => {
    const contactId = rawContactId(rawEvent);
    const parsed = parseContactFlowEvent(rawEvent);
    const flowLanguage = parsed.success ? langFrom(flowParameter(parsed.data, 'language')) : undefined;
    try {
      if (!parsed.success) {
        logger.warn(`${o.name}: the event is not a Connect contact-flow event`, {
          contactId,
          issues: parsed.issues.slice(0, 5),
        });
        return toStringMap(o.fallback(flowLanguage ?? 'zh-CN', 'error', contactId));
      }
      return toStringMap(
        await run({
          contactId,
          event: parsed.data,
          caller: callerNumber(parsed.data.Details.ContactData.CustomerEndpoint?.Address),
          flowLanguage,
          remainingMs: context?.getRemainingTimeInMillis?.() ?? 8000,
        }),
      );
    } catch (err) {
      const timedOut = err instanceof BudgetExceeded || (err as Error)?.name === 'AbortError';
      metrics.addMetric(`${o.name}${timedOut ? 'Timeouts' : 'Errors'}`, MetricUnit.Count, 1);
      logger.error(`${o.name} failed; answering the fallback`, {
        contactId,
        error: timedOut ? 'exceeded its time budget' : (err as Error),
      });
      return toStringMap(o.fallback(flowLanguage ?? 'zh-CN', 'error', contactId));
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

/** The flow's language parameter as one of ours, or undefined when the flow set none. */
function langFrom(v: string | undefined): Lang | undefined {
  if (!v) return undefined;
  const l = v.toLowerCase();
  return l.startsWith('en') ? 'en' : l.startsWith('zh') ? 'zh-CN' : undefined;
}
