import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ConnectLambdaEnv, loadEnv } from '#shared/config/env.ts';
import { withBudget } from '#shared/connect/budget.ts';
import { callerNumber } from '#shared/connect/caller.ts';
import { ContactFlowEvent, flowParameter, rawContactId, toStringMap } from '#shared/connect/event.ts';
import { timeZoneForPhone } from '#shared/domain/calling-window.ts';
import { logger, metrics } from '#shared/observability/index.ts';
import { maskPhone } from '#shared/observability/mask.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { CallerDirectory } from '#shared/store/caller-directory.ts';
import { CampaignStore } from '#shared/store/campaigns.ts';
import { createDocumentClient } from '#shared/store/client.ts';

const env = loadEnv(ConnectLambdaEnv);
const db = createDocumentClient({ maxAttempts: 2 });
const directory = new CallerDirectory(db, env.TABLE_NAME);
const accounts = new AccountStore(db, env.TABLE_NAME);
const campaigns = new CampaignStore(db, env.TABLE_NAME);

type Lang = 'zh-CN' | 'en';

function when(iso: string, lang: Lang, timeZone: string) {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-US' : 'zh-CN', {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
}

/**
 * A caller asks to be called back instead of waiting. One pending callback per number: a second
 * request hears when the first is scheduled. The caller hears the expected window in their
 * language. It never throws.
 */
export const handler = async (rawEvent: unknown): Promise<Record<string, string>> => {
  const contactId = rawContactId(rawEvent);
  const parsed = ContactFlowEvent.safeParse(rawEvent);
  const flowLang: Lang | undefined =
    parsed.success && flowParameter(parsed.data, 'language')?.toLowerCase().startsWith('en')
      ? 'en'
      : undefined;
  const fail = (status: string, lang: Lang) =>
    toStringMap({
      scheduled: 'false',
      status,
      language: lang,
      prompt:
        lang === 'en'
          ? 'Sorry, we cannot book a callback right now. Please hold for an agent.'
          : '抱歉，暂时无法预约回电，请稍候转人工服务。',
    });
  try {
    if (!parsed.success) return fail('error', 'zh-CN');
    const caller = callerNumber(parsed.data.Details.ContactData.CustomerEndpoint?.Address);
    if (caller.kind !== 'number') return fail('no-number', flowLang ?? 'zh-CN');
    const result = await withBudget(env.LOOKUP_BUDGET_MS * 3, async () => {
      const best = (await directory.byPhone(caller.e164))[0];
      const account = best ? await accounts.get(best.accountId) : undefined;
      const contact = account?.contacts.find((c) => c.id === best?.contactId);
      if (!account || !contact) return undefined;
      const timeZone = contact.timeZone ?? timeZoneForPhone(caller.e164, account.timeZone);
      const r = await campaigns.requestCallback({ account, contact, phone: caller.e164, timeZone });
      return { ...r, lang: (flowLang ?? (contact.language === 'en' ? 'en' : 'zh-CN')) as Lang, timeZone };
    });
    if (!result) return fail('unknown-caller', flowLang ?? 'zh-CN');
    const { callback, created, lang, timeZone } = result;
    const at = when(callback.dueAt, lang, timeZone);
    metrics.addMetric(created ? 'CallbacksRequested' : 'CallbacksAlreadyPending', MetricUnit.Count, 1);
    logger.info('ivr callback', {
      contactId,
      caller: maskPhone(caller.e164),
      created,
      callbackId: callback.id,
    });
    return toStringMap({
      scheduled: 'true',
      status: created ? 'scheduled' : 'already-scheduled',
      callbackId: callback.id,
      dueAt: callback.dueAt,
      language: lang,
      prompt: created
        ? lang === 'en'
          ? `Thank you. We will call you back from ${at}, between 9 am and 8 pm, Monday to Saturday. You can hang up now.`
          : `谢谢您。我们将于${at}起为您回电（周一至周六 9:00–20:00）。您现在可以挂机。`
        : lang === 'en'
          ? `You already have a callback booked, from ${at}. We will call you then.`
          : `您已预约回电，我们将于${at}起与您联系。`,
    });
  } catch (err) {
    metrics.addMetric('IvrCallbackErrors', MetricUnit.Count, 1);
    logger.error('ivr callback failed', { contactId, error: err as Error });
    return fail('error', flowLang ?? 'zh-CN');
  } finally {
    metrics.publishStoredMetrics();
  }
};
