/**
 * A caller asks the IVR to be called back instead of waiting. One pending callback per number: a
 * second request hears when the first is scheduled. The caller hears the window in their language.
 */
import type { AccountRepo } from '../accounts/repo.ts';
import type { Attributes, Flow } from '../platform/connect/handler.ts';
import { formatTime, type Lang, langOf, t } from '../platform/messages/index.ts';
import { timeZoneForPhone } from '../platform/time.ts';
import type { Campaigns } from './service.ts';

export const ivrCallbackFallback = (lang: Lang, status: string): Attributes => ({
  scheduled: 'false',
  status,
  language: lang,
  prompt: t(lang, 'ivr.callback.unavailable'),
});

export async function ivrCallback(
  deps: { accounts: AccountRepo; campaigns: Campaigns },
  flow: Flow,
): Promise<{ attributes: Attributes; created?: boolean; callbackId?: string }> {
  const fallbackLang = flow.flowLanguage ?? 'zh-CN';
  if (flow.caller.kind !== 'number') return { attributes: ivrCallbackFallback(fallbackLang, 'no-number') };
  const phone = flow.caller.e164;
  const best = (await deps.accounts.findByPhone(phone))[0];
  const account = best ? await deps.accounts.get(best.accountId) : undefined;
  const contact = account?.contacts.find((c) => c.id === best?.contactId);
  if (!account || !contact) return { attributes: ivrCallbackFallback(fallbackLang, 'unknown-caller') };
  const timeZone = contact.timeZone ?? timeZoneForPhone(phone, account.timeZone);
  const { callback, created } = await deps.campaigns.requestCallback({ account, contact, phone, timeZone });
  const lang = flow.flowLanguage ?? langOf(contact.language);
  const when = formatTime(callback.dueAt, lang, timeZone, 'spoken-day');
  return {
    attributes: {
      scheduled: 'true',
      status: created ? 'scheduled' : 'already-scheduled',
      callbackId: callback.id,
      dueAt: callback.dueAt,
      language: lang,
      prompt: t(lang, created ? 'ivr.callback.scheduled' : 'ivr.callback.alreadyScheduled', { when }),
    },
    created,
    callbackId: callback.id,
  };
}
