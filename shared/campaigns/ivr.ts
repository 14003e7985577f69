/**
 * A caller asks the IVR to be called back instead of waiting. One pending callback per number: a
 * second request hears when the first is scheduled (or "shortly", never a time already past).
 * The caller hears the time in their language. The timing rule is the complaint intake's
 * (complaints/ivr.ts): a booking that does not finish inside the flow's time is handed off and
 * confirmed by SMS, and the caller hears that.
 */
import { type AccountWithContacts, callZone } from '../accounts/model.ts';
import type { AccountRepo } from '../accounts/repo.ts';
import { type Confirmations, confirmationNumber } from '../notify/confirmations.ts';
import { type IvrTiming, withBudget } from '../platform/connect/budget.ts';
import type { Attributes, Flow } from '../platform/connect/handler.ts';
import type { HandoffQueue } from '../platform/connect/handoff.ts';
import { DomainError } from '../platform/errors.ts';
import { formatTime, type Lang, langOf, t } from '../platform/messages/index.ts';
import { maskPhone } from '../platform/observability/mask.ts';
import { timeZoneForPhone } from '../platform/time.ts';
import { promisedTime } from './callback.ts';
import type { Callback } from './model.ts';
import type { Campaigns } from './service.ts';

export const ivrCallbackFallback = (lang: Lang, status: string): Attributes => ({
  scheduled: 'false',
  status,
  language: lang,
  prompt: t(lang, 'ivr.callback.unavailable'),
});

export interface IvrCallbackServices {
  accounts: AccountRepo;
  campaigns: Campaigns;
}

export interface IvrCallbackDeps {
  services(signal?: AbortSignal): IvrCallbackServices;
  handoff: HandoffQueue;
  timing: IvrTiming;
}

/** The callback the caller asked for, complete enough for the hand-off worker to book it. */
export interface IvrCallbackRequest {
  accountId: string;
  contactId: string;
  /** The number to call back: the one they called from. */
  phone: string;
  language: Lang;
  /** The mobile the time is texted to, when not `phone` (an office line takes no SMS). */
  textTo?: string;
}

export const IVR_CALLBACK = 'ivr-callback';

export async function ivrCallback(
  deps: IvrCallbackDeps,
  flow: Flow,
): Promise<{
  attributes: Attributes;
  created?: boolean;
  callbackId?: string;
  log?: Record<string, unknown>;
}> {
  const fallbackLang = flow.flowLanguage ?? 'zh-CN';
  if (flow.caller.kind !== 'number') return { attributes: ivrCallbackFallback(fallbackLang, 'no-number') };
  const phone = flow.caller.e164;
  const found = await withBudget(deps.timing.lookupMs, async (signal) => {
    const { accounts } = deps.services(signal);
    const best = (await accounts.findByPhone(phone))[0];
    const account = best ? await accounts.get(best.accountId) : undefined;
    const contact = account?.contacts.find((c) => c.id === best?.contactId);
    return account && contact ? { account, contact } : undefined;
  });
  if (!found) return { attributes: ivrCallbackFallback(fallbackLang, 'unknown-caller') };
  const { account, contact } = found;
  const lang = flow.flowLanguage ?? langOf(contact.language);
  const textTo = confirmationNumber(contact, phone);
  const request: IvrCallbackRequest = {
    accountId: account.id,
    contactId: contact.id,
    phone,
    language: lang,
    ...(textTo && textTo !== phone ? { textTo } : {}),
  };
  try {
    const { callback, created } = await withBudget(deps.timing.writeMs, (signal) =>
      bookIvrCallback(deps.services(signal), request, account, flow.contactId),
    );
    return {
      attributes: bookedAttributes(callback, created, lang, timeZoneOf(request, account)),
      created,
      callbackId: callback.id,
    };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    try {
      if (!textTo) throw new Error('no mobile to text the time to');
      await withBudget(deps.timing.handoffMs, (signal) =>
        deps.handoff.send({ kind: IVR_CALLBACK, connectContactId: flow.contactId, request }, signal),
      );
    } catch {
      return {
        attributes: {
          ...ivrCallbackFallback(lang, 'unconfirmed'),
          prompt: t(lang, 'ivr.callback.unconfirmed'),
        },
        log: {
          outcome: textTo ? 'write and hand-off both failed' : 'write failed; no mobile to confirm it to',
          caller: maskPhone(phone),
        },
      };
    }
    return {
      attributes: {
        scheduled: 'pending',
        status: 'pending',
        language: lang,
        prompt: t(lang, 'ivr.callback.pending'),
      },
      log: { outcome: 'handed off', error: (err as Error).name, caller: maskPhone(phone) },
    };
  }
}

/** The caller's zone: their contact's, or (a number not on a contact) the number's. */
function timeZoneOf(r: IvrCallbackRequest, account: AccountWithContacts): string {
  const contact = account.contacts.find((c) => c.id === r.contactId);
  return contact ? callZone(contact, account.timeZone, r.phone) : timeZoneForPhone(r.phone, account.timeZone);
}

/**
 * Books (or finds, by the number's pending slot or the Connect contact's own booking) the
 * callback: the call's path and the worker's. Keyed by the contact too, so a hand-off redriven
 * after its callback was placed finds that one instead of booking another.
 */
export async function bookIvrCallback(
  svc: IvrCallbackServices,
  r: IvrCallbackRequest,
  known: AccountWithContacts | undefined,
  connectContactId: string,
): Promise<{ callback: Callback; created: boolean }> {
  const account = known ?? (await svc.accounts.get(r.accountId));
  const contact = account?.contacts.find((c) => c.id === r.contactId);
  if (!account || !contact) throw new Error(`contact ${r.contactId} of account ${r.accountId} is gone`);
  return svc.campaigns.requestCallback(
    {
      account,
      contact,
      phone: r.phone,
      timeZone: timeZoneOf(r, account),
    },
    new Date(),
    connectContactId,
  );
}

/** The hand-off worker's half: books the callback if the call's write never landed, and texts the time once. */
export async function completeIvrCallback(
  svc: IvrCallbackServices & { confirmations: Confirmations },
  h: { connectContactId: string; request: IvrCallbackRequest },
): Promise<Callback> {
  const account = await svc.accounts.get(h.request.accountId);
  const { callback } = await bookIvrCallback(svc, h.request, account, h.connectContactId);
  const lang = h.request.language;
  const promised = promisedTime(callback, new Date());
  const zone = account ? timeZoneOf(h.request, account) : 'Asia/Shanghai';
  await svc.confirmations.once(h.connectContactId, 'callback', {
    to: h.request.textTo ?? h.request.phone,
    text:
      promised === 'shortly'
        ? t(lang, 'sms.ivr.callbackBookedSoon')
        : t(lang, 'sms.ivr.callbackBooked', { when: formatTime(promised, lang, zone, 'short') }),
  });
  return callback;
}

function bookedAttributes(callback: Callback, created: boolean, lang: Lang, timeZone: string): Attributes {
  // Never a time already past: a pending callback whose time has come is "shortly".
  const promised = promisedTime(callback, new Date());
  const when = formatTime(callback.dueAt, lang, timeZone, 'spoken-day');
  return {
    scheduled: 'true',
    status: created ? 'scheduled' : 'already-scheduled',
    callbackId: callback.id,
    dueAt: callback.dueAt,
    language: lang,
    prompt: created
      ? t(lang, 'ivr.callback.scheduled', { when })
      : promised === 'shortly'
        ? t(lang, 'ivr.callback.alreadyScheduledSoon')
        : t(lang, 'ivr.callback.alreadyScheduled', { when }),
  };
}
