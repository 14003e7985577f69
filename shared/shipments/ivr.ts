/**
 * IVR self-service tracking: the caller keys a waybill and hears where it is. The calling
 * account's own shipment gets the last scan, its place and the ETA; anyone else the status only.
 */
import type { AccountRepo } from '../accounts/repo.ts';
import { flowParameter } from '../platform/connect/event.ts';
import type { Attributes, Flow } from '../platform/connect/handler.ts';
import { formatTime, type Lang, langOf, spellDigits, t } from '../platform/messages/index.ts';
import { timeZoneForPhone } from '../platform/time.ts';
import { delayOf, lastMilestone, type Shipment } from './model.ts';
import type { ShipmentRepo } from './repo.ts';

export interface TrackingAnswer {
  found: boolean;
  owner: boolean;
  status: string;
  lastMilestone: string;
  lastLocation: string;
  eta: string;
  delayed: boolean;
  minutesLate: number;
  prompt: string;
}

const WAYBILL = /^[A-Z0-9]{6,20}$/;
const HAN = /\p{Script=Han}/u;

/** What the IVR tells a caller about a waybill, for Polly to speak. */
export function trackingAnswer(
  waybill: string,
  shipment: Shipment | undefined,
  opts: { owner: boolean; language: Lang; now: Date; timeZone?: string },
): TrackingAnswer {
  const { language: lang, owner } = opts;
  const spoken = spellDigits(waybill);
  if (!shipment) {
    return {
      found: false,
      owner: false,
      status: '',
      lastMilestone: '',
      lastLocation: '',
      eta: '',
      delayed: false,
      minutesLate: 0,
      prompt: t(lang, 'ivr.tracking.notFound', { spoken }),
    };
  }
  const last = lastMilestone(shipment);
  const delay = delayOf(shipment, opts.now);
  const delivered = shipment.status === 'delivered';
  const status = delivered ? 'delivered' : delay.delayed ? 'delayed' : 'in-transit';
  const state = t(lang, `ivr.tracking.state.${status}`);
  const base = { found: true, owner, status, delayed: delay.delayed, minutesLate: delay.minutesLate };
  if (!owner) {
    return {
      ...base,
      lastMilestone: '',
      lastLocation: '',
      eta: '',
      prompt: t(lang, 'ivr.tracking.notOwner', { spoken, state }),
    };
  }
  const prompt = [
    t(lang, 'ivr.tracking.status', { spoken, state }),
    last
      ? t(lang, 'ivr.tracking.latestScan', {
          milestone: last.milestone,
          // The English voice reads no Chinese characters: the place is left out rather than mumbled.
          ...(lang === 'en' && HAN.test(last.location) ? {} : { location: last.location }),
          ...(last.reason ? { reason: last.reason } : {}),
        })
      : '',
    delivered
      ? ''
      : t(lang, 'ivr.tracking.expected', {
          when: formatTime(shipment.eta, lang, opts.timeZone ?? 'Asia/Shanghai', 'spoken-hour'),
        }),
    delay.delayed && !delivered ? t(lang, 'ivr.tracking.sorry') : '',
  ].join('');
  return {
    ...base,
    lastMilestone: last?.milestone ?? '',
    lastLocation: last?.location ?? '',
    eta: delivered ? (shipment.delivery?.deliveredAt ?? shipment.eta) : shipment.eta,
    prompt,
  };
}

export const ivrTrackingFallback = (lang: Lang, status: string): Attributes => ({
  found: 'false',
  lookupStatus: status,
  language: lang,
  prompt: t(lang, 'ivr.tracking.unavailable'),
});

/**
 * Reads the shipment and the caller's accounts in parallel (one round trip) and answers what the
 * flow plays. `signal` aborts the reads when the time budget runs out.
 */
export async function ivrTracking(
  deps: { accounts: AccountRepo; shipments: ShipmentRepo },
  flow: Flow,
  run: <T>(fn: (signal: AbortSignal) => Promise<T>) => Promise<T>,
): Promise<{ attributes: Attributes; found: boolean; owner: boolean }> {
  const language = flow.flowLanguage ?? 'zh-CN';
  const waybill = (flowParameter(flow.event, 'waybill') ?? '').toUpperCase().replace(/[\s#*-]/g, '');
  if (!WAYBILL.test(waybill)) {
    return {
      attributes: {
        found: 'false',
        lookupStatus: 'invalid',
        language,
        prompt: t(language, 'ivr.tracking.invalidWaybill'),
      },
      found: false,
      owner: false,
    };
  }
  const caller = flow.caller;
  const [shipment, matches] = await run((signal) =>
    Promise.all([
      deps.shipments.get(waybill, signal),
      caller.kind === 'number' ? deps.accounts.lookupsOf(caller.e164, signal) : Promise.resolve([]),
    ]),
  );
  const owner = Boolean(shipment && matches.some((m) => m.accountId === shipment.accountId));
  const lang = flow.flowLanguage ?? (matches[0] ? langOf(matches[0].language) : language);
  // The ETA in the caller's zone, as the delay alerts give it (callZone, kept on the lookup item;
  // one written before it was: the number's zone). No read more.
  const mine = shipment ? matches.find((m) => m.accountId === shipment.accountId) : undefined;
  const timeZone = mine?.timeZone ?? (caller.kind === 'number' ? timeZoneForPhone(caller.e164) : undefined);
  const answer = trackingAnswer(waybill, shipment, {
    owner,
    language: lang,
    now: new Date(),
    ...(timeZone ? { timeZone } : {}),
  });
  return {
    attributes: {
      ...answer,
      found: String(answer.found),
      owner: String(answer.owner),
      delayed: String(answer.delayed),
      lookupStatus: shipment ? 'ok' : 'not-found',
      waybill,
      waybillSpoken: spellDigits(waybill),
      language: lang,
    },
    found: answer.found,
    owner,
  };
}
