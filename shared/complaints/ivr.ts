/**
 * Complaint intake from the IVR: the caller picks a category by DTMF and may key a waybill; the
 * complaint is filed for the account the number belongs to, once per Connect contact, and the
 * caller hears the reference and when we will get back to them.
 */
import type { AccountRepo } from '../accounts/repo.ts';
import { flowParameter } from '../platform/connect/event.ts';
import type { Attributes, Flow } from '../platform/connect/handler.ts';
import { formatTime, type Lang, langOf, spellDigits, t } from '../platform/messages/index.ts';
import { maskPhone } from '../platform/observability/mask.ts';
import type { ComplaintCategory } from './model.ts';
import type { Complaints } from './service.ts';
import type { ComplaintSeverity } from './sla.ts';

/** The IVR menu: the digit a caller presses for each category. */
export const IVR_CATEGORY_DIGITS: Record<string, ComplaintCategory> = {
  '1': 'delay',
  '2': 'damage',
  '3': 'loss',
  '4': 'wrong-delivery',
  '5': 'short-shipment',
  '6': 'billing',
  '7': 'service-attitude',
  '9': 'other',
};

/** Severity of a complaint filed from the IVR, where nobody is there to judge it. */
export function ivrSeverity(category: ComplaintCategory, tier: string): ComplaintSeverity {
  if (category === 'loss') return tier === 'key' ? 'critical' : 'high';
  if (category === 'damage') return 'high';
  if (category === 'delay' || category === 'wrong-delivery' || category === 'short-shipment')
    return tier === 'key' ? 'high' : 'medium';
  return 'low';
}

export const ivrComplaintFallback = (lang: Lang, status: string): Attributes => ({
  recorded: 'false',
  lookupStatus: status,
  language: lang,
  prompt: t(lang, status === 'error' ? 'ivr.complaint.unavailable' : 'ivr.complaint.transfer'),
});

/** Files the caller's complaint and answers what the flow plays and branches on. */
export async function ivrComplaint(
  deps: { accounts: AccountRepo; complaints: Complaints },
  flow: Flow,
): Promise<{ attributes: Attributes; log: Record<string, unknown> }> {
  const category = IVR_CATEGORY_DIGITS[flowParameter(flow.event, 'category') ?? ''];
  const keyed = (flowParameter(flow.event, 'waybill') ?? '').replace(/[\s#*]/g, '');
  const waybill = /^[0-9A-Z]{6,20}$/.test(keyed) ? keyed : undefined;
  const lang = flow.flowLanguage ?? 'zh-CN';
  if (!category) {
    return {
      attributes: {
        ...ivrComplaintFallback(lang, 'invalid'),
        prompt: t(lang, 'ivr.complaint.invalidCategory'),
      },
      log: { outcome: 'invalid category' },
    };
  }
  if (flow.caller.kind !== 'number') return { attributes: ivrComplaintFallback(lang, 'unknown'), log: {} };
  const best = (await deps.accounts.findByPhone(flow.caller.e164))[0];
  const account = best ? await deps.accounts.get(best.accountId) : undefined;
  if (!best || !account) {
    return {
      attributes: ivrComplaintFallback(lang, 'unknown'),
      log: { outcome: 'caller not on file', caller: maskPhone(flow.caller.e164) },
    };
  }
  const { complaint, created } = await deps.complaints.create(
    {
      accountId: account.id,
      contactId: best.contactId,
      waybills: waybill ? [waybill] : [],
      category,
      severity: ivrSeverity(category, account.derived.tier),
      channel: 'ivr',
      description: `${t('en', 'ivr.complaint.description', { category, ...(waybill ? { waybill } : {}) })} ${t('zh-CN', 'ivr.complaint.description', { category, ...(waybill ? { waybill } : {}) })}`,
      team: account.dedicatedTeam ?? account.serviceGroup,
    },
    account,
    'ivr',
    { connectContactId: flow.contactId },
  );
  const speak = flow.flowLanguage ?? langOf(best.language);
  const zone = complaint.contactTimeZone ?? account.timeZone;
  return {
    attributes: {
      recorded: 'true',
      lookupStatus: 'ok',
      language: speak,
      complaintId: complaint.id,
      reference: complaint.reference,
      referenceSpoken: spellDigits(complaint.reference),
      severity: complaint.severity,
      ackDueAt: complaint.ackDueAt,
      prompt: t(speak, 'ivr.complaint.recorded', {
        category: complaint.category,
        reference: spellDigits(complaint.reference),
        when: formatTime(complaint.ackDueAt, speak, zone, 'spoken'),
      }),
    },
    log: { created, reference: complaint.reference, caller: maskPhone(flow.caller.e164) },
  };
}
