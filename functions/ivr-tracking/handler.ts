import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ConnectLambdaEnv, loadEnv } from '#shared/config/env.ts';
import { withBudget } from '#shared/connect/budget.ts';
import { callerNumber } from '#shared/connect/caller.ts';
import { ContactFlowEvent, flowParameter, rawContactId, toStringMap } from '#shared/connect/event.ts';
import { type PromptLanguage, spellDigits, trackingAnswer } from '#shared/connect/tracking-prompt.ts';
import { logger, metrics } from '#shared/observability/index.ts';
import { maskPhone } from '#shared/observability/mask.ts';
import { CallerDirectory } from '#shared/store/caller-directory.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ShipmentStore } from '#shared/store/shipments.ts';

const env = loadEnv(ConnectLambdaEnv);
const db = createDocumentClient({ maxAttempts: 2 });
const directory = new CallerDirectory(db, env.TABLE_NAME);
const shipments = new ShipmentStore(db, env.TABLE_NAME);

const WAYBILL = /^[A-Z0-9]{6,20}$/;

/**
 * IVR self-service tracking. The caller keys a waybill (Details.Parameters.waybill); the answer
 * carries the status and a prompt in the caller's language for Polly. Full details only for the
 * calling account's own shipments. It never throws.
 */
export const handler = async (rawEvent: unknown): Promise<Record<string, string>> => {
  const contactId = rawContactId(rawEvent);
  const parsed = ContactFlowEvent.safeParse(rawEvent);
  const language: PromptLanguage =
    parsed.success && /^en/i.test(flowParameter(parsed.data, 'language') ?? '') ? 'en' : 'zh-CN';
  const fallback = (status: string, lang: PromptLanguage) =>
    toStringMap({
      found: 'false',
      lookupStatus: status,
      language: lang,
      prompt:
        lang === 'en'
          ? 'Sorry, tracking is not available right now. Please hold for an agent.'
          : '抱歉，查询服务暂时不可用，请稍候转人工服务。',
    });
  if (!parsed.success) {
    logger.warn('ivr tracking: not a contact-flow event', { contactId });
    return fallback('error', language);
  }
  const waybill = (flowParameter(parsed.data, 'waybill') ?? '').toUpperCase().replace(/[\s#*-]/g, '');
  if (!WAYBILL.test(waybill)) {
    metrics.addMetric('TrackingInvalidWaybill', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    return toStringMap({
      found: 'false',
      lookupStatus: 'invalid',
      language,
      prompt:
        language === 'en'
          ? 'Sorry, that does not look like a waybill number. Please key in the digits on your waybill, then press the hash key.'
          : '抱歉，运单号格式不正确。请输入运单上的数字，以井号键结束。',
    });
  }
  try {
    const caller = callerNumber(parsed.data.Details.ContactData.CustomerEndpoint?.Address);
    // One round trip: the shipment and the caller's accounts are read in parallel.
    const [shipment, matches] = await withBudget(env.LOOKUP_BUDGET_MS, (signal) =>
      Promise.all([
        shipments.get(waybill, signal),
        caller.kind === 'number' ? directory.byPhone(caller.e164, signal) : Promise.resolve([]),
      ]),
    );
    const owner = Boolean(shipment && matches.some((m) => m.accountId === shipment.accountId));
    const lang: PromptLanguage = flowParameter(parsed.data, 'language')
      ? language
      : matches[0]?.language === 'en'
        ? 'en'
        : language;
    const answer = trackingAnswer(waybill, shipment, { owner, language: lang, now: new Date() });
    metrics.addMetric(shipment ? 'TrackingFound' : 'TrackingNotFound', MetricUnit.Count, 1);
    logger.info('ivr tracking', {
      contactId,
      caller: caller.kind === 'number' ? maskPhone(caller.e164) : caller.kind,
      found: answer.found,
      owner,
    });
    return toStringMap({
      ...answer,
      found: String(answer.found),
      owner: String(answer.owner),
      delayed: String(answer.delayed),
      lookupStatus: shipment ? 'ok' : 'not-found',
      waybill,
      waybillSpoken: spellDigits(waybill),
      language: lang,
    });
  } catch (err) {
    metrics.addMetric('TrackingErrors', MetricUnit.Count, 1);
    logger.error('ivr tracking failed; answering the fallback prompt', { contactId, error: err as Error });
    return fallback('error', language);
  } finally {
    metrics.publishStoredMetrics();
  }
};
