/**
 * Complaint intake from the IVR: the caller picks a category by DTMF and may key a waybill; the
 * complaint is filed for the account the number belongs to, once per Connect contact, and the
 * caller hears the reference and when we will get back to them.
 */
import type { AccountWithContacts } from '../accounts/model.ts';
import type { AccountRepo } from '../accounts/repo.ts';
import { type Confirmations, confirmationNumber } from '../notify/confirmations.ts';
import { type IvrTiming, withBudget } from '../platform/connect/budget.ts';
import { flowParameter } from '../platform/connect/event.ts';
import type { Attributes, Flow } from '../platform/connect/handler.ts';
import type { HandoffQueue } from '../platform/connect/handoff.ts';
import { DomainError } from '../platform/errors.ts';
import { formatTime, type Lang, langOf, spellDigits, t } from '../platform/messages/index.ts';
import { maskPhone } from '../platform/observability/mask.ts';
import type { Complaint, ComplaintCategory, ComplaintInput } from './model.ts';
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

export interface IvrComplaintServices {
  accounts: AccountRepo;
  complaints: Complaints;
  /** The keyed waybill's shipment: on a number shared by several clients, it names the caller's. */
  shipments?: { get(waybill: string): Promise<{ accountId: string } | undefined> };
}

export interface IvrComplaintDeps {
  /** The services on a client whose every request stops when `signal` aborts. */
  services(signal?: AbortSignal): IvrComplaintServices;
  handoff: HandoffQueue;
  timing: IvrTiming;
}

/** What the IVR asked to file, complete enough for the hand-off worker to file it. */
export interface IvrComplaintRequest {
  accountId: string;
  input: ComplaintInput;
  /** The mobile the reference is texted to (confirmationNumber). */
  phone: string;
  language: Lang;
}

export const IVR_COMPLAINT = 'ivr-complaint';

/**
 * Files the caller's complaint and answers what the flow plays. Finding the caller runs in its
 * budget: on expiry nothing was written and the fallback says so. The write runs in its budget:
 * if it does not finish (or fails), it may still land, so it is handed off to a worker that
 * finishes it (idempotent on the ContactId) and texts the caller the reference; the caller hears
 * that. Only if the hand-off itself fails does the caller hear that we could not confirm, and is
 * put through to an agent, whose card shows the complaint if it landed.
 */
export async function ivrComplaint(
  deps: IvrComplaintDeps,
  flow: Flow,
): Promise<{ attributes: Attributes; log: Record<string, unknown> }> {
  const category = IVR_CATEGORY_DIGITS[flowParameter(flow.event, 'category') ?? ''];
  const keyed = (flowParameter(flow.event, 'waybill') ?? '').toUpperCase().replace(/[\s#*-]/g, '');
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
  const phone = flow.caller.e164;
  const found = await withBudget(deps.timing.lookupMs, async (signal) => {
    const { accounts, shipments } = deps.services(signal);
    const [matches, shipment] = await Promise.all([
      accounts.findByPhone(phone),
      waybill && shipments ? shipments.get(waybill).catch(() => undefined) : undefined,
    ]);
    // A number several clients share (a forwarder's desk): the keyed waybill's owner is the one
    // calling; without it, the highest-priority client, and the flow is told it was a guess.
    const owners = new Set(matches.map((m) => m.accountId));
    const owner = shipment && owners.has(shipment.accountId) ? shipment.accountId : undefined;
    const best = matches.find((m) => m.accountId === owner) ?? matches[0];
    const status: 'ok' | 'ambiguous' = owners.size > 1 && !owner ? 'ambiguous' : 'ok';
    return best
      ? { best, status, account: await accounts.get(best.accountId), waybillOwner: shipment?.accountId }
      : undefined;
  });
  if (!found?.account) {
    return {
      attributes: ivrComplaintFallback(lang, 'unknown'),
      log: { outcome: 'caller not on file', caller: maskPhone(phone) },
    };
  }
  const { best, account, status, waybillOwner } = found;
  // Another client's waybill keyed (a slip of the finger): the complaint is filed on the caller's
  // account without it, as intake refuses it; the digits stay in the description for the agent.
  const ownWaybill =
    waybill && (waybillOwner === undefined || waybillOwner === account.id) ? waybill : undefined;
  const speak = flow.flowLanguage ?? langOf(best.language);
  // Where the reference is texted if the write does not finish in time: none, and none is promised.
  const textTo = confirmationNumber(
    account.contacts.find((c) => c.id === best.contactId),
    phone,
  );
  const described = { category, ...(waybill ? { waybill } : {}) };
  const request: IvrComplaintRequest = {
    accountId: account.id,
    phone: textTo ?? phone,
    language: speak,
    input: {
      accountId: account.id,
      contactId: best.contactId,
      waybills: ownWaybill ? [ownWaybill] : [],
      category,
      severity: ivrSeverity(category, account.derived.tier),
      channel: 'ivr',
      description: `${t('en', 'ivr.complaint.description', described)} ${t('zh-CN', 'ivr.complaint.description', described)}`,
      team: account.dedicatedTeam ?? account.serviceGroup,
    },
  };
  try {
    const { complaint, created } = await withBudget(deps.timing.writeMs, (signal) =>
      fileIvrComplaint(deps.services(signal), request, flow.contactId, account),
    );
    return {
      attributes: recordedAttributes(complaint, speak, account.timeZone, status),
      log: { created, reference: complaint.reference, caller: maskPhone(phone) },
    };
  } catch (err) {
    // A refusal (bad input) wrote nothing: the fallback tells the truth.
    if (err instanceof DomainError) throw err;
    try {
      if (!textTo) throw new Error('no mobile to text the reference to');
      await withBudget(deps.timing.handoffMs, (signal) =>
        deps.handoff.send({ kind: IVR_COMPLAINT, connectContactId: flow.contactId, request }, signal),
      );
    } catch {
      return {
        attributes: {
          ...ivrComplaintFallback(speak, 'unconfirmed'),
          prompt: t(speak, 'ivr.complaint.unconfirmed'),
        },
        log: {
          outcome: textTo ? 'write and hand-off both failed' : 'write failed; no mobile to confirm it to',
          caller: maskPhone(phone),
        },
      };
    }
    return {
      attributes: {
        recorded: 'pending',
        lookupStatus: status,
        language: speak,
        prompt: t(speak, 'ivr.complaint.pending'),
      },
      log: { outcome: 'handed off', error: (err as Error).name, caller: maskPhone(phone) },
    };
  }
}

/** Files (or finds, by the ContactId) the IVR complaint: the call's path and the hand-off worker's. */
export function fileIvrComplaint(
  svc: IvrComplaintServices,
  request: IvrComplaintRequest,
  connectContactId: string,
  account: AccountWithContacts | undefined,
) {
  return svc.complaints.create(request.input, account, 'ivr', { connectContactId });
}

/**
 * The hand-off worker's half: files the complaint if the call's write never landed (or finds it
 * if it did) and texts the caller its reference, once.
 */
export async function completeIvrComplaint(
  svc: IvrComplaintServices & { confirmations: Confirmations },
  h: { connectContactId: string; request: IvrComplaintRequest },
): Promise<Complaint> {
  const account = await svc.accounts.get(h.request.accountId);
  const { complaint } = await fileIvrComplaint(svc, h.request, h.connectContactId, account);
  const lang = h.request.language;
  await svc.confirmations.once(h.connectContactId, 'complaint', {
    to: h.request.phone,
    text: t(lang, 'sms.ivr.complaintRecorded', {
      reference: complaint.reference,
      when: formatTime(
        complaint.ackDueAt,
        lang,
        complaint.contactTimeZone ?? account?.timeZone ?? 'Asia/Shanghai',
        'short',
      ),
    }),
  });
  return complaint;
}

function recordedAttributes(
  complaint: Complaint,
  speak: Lang,
  accountZone: string,
  lookupStatus: 'ok' | 'ambiguous',
): Attributes {
  const zone = complaint.contactTimeZone ?? accountZone;
  return {
    recorded: 'true',
    lookupStatus,
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
  };
}
