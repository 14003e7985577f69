import * as z from 'zod';
import { both, type MessageKey, type ParamsOf } from '../platform/messages/index.ts';

/**
 * Recommended next actions for the agent, from simple documented rules. Each rule reads the
 * card's facts and may add one action; the list is ordered most urgent first.
 *
 * | code | when |
 * |---|---|
 * | escalate-breached-sla | a key account has a complaint whose SLA is breached |
 * | explain-delay-offer-callback | a shipment is critically late: an exception, or 4 h+ late |
 * | explain-delay | any other late shipment |
 * | review-open-complaints | open complaints exist |
 * | take-ownership-repeat-caller | 3+ calls from the account in the last 24 h |
 * | confirm-account | the number belongs to several accounts |
 * | confirm-contact | the number is shared by several contacts of the account (a switchboard) |
 * | service-below-commitment | the 90-day on-time rate is below the contracted commitment |
 * | speak-english | the contact's language is English |
 * | no-outbound-call | the contact is on do-not-call: offer email or SMS, not a callback |
 */
export interface ActionFacts {
  tier: string;
  /** Whom else the number names: other accounts, or other contacts of this account. */
  ambiguity?: 'accounts' | 'contacts' | undefined;
  contactLanguage?: string;
  doNotCall?: boolean;
  onTimeCommitment: number;
  onTimeRate: number | null;
  openComplaints: { slaState: 'on-track' | 'at-risk' | 'breached' }[];
  delayedShipments: { waybill: string; minutesLate: number; exception: boolean }[];
  callsLast24h: number;
}

export const NextAction = z.object({
  code: z.string(),
  urgency: z.enum(['high', 'medium', 'low']),
  zh: z.string(),
  en: z.string(),
});
export type NextAction = z.output<typeof NextAction>;

const CRITICAL_MINUTES = 240;

/** One action, its text from the message catalog in both languages. */
function action<K extends `action.${string}` & MessageKey>(
  code: K,
  urgency: NextAction['urgency'],
  ...params: object extends ParamsOf<K> ? [ParamsOf<K>?] : [ParamsOf<K>]
): NextAction {
  const text = both(code, ...params);
  return { code: code.slice('action.'.length), urgency, zh: text['zh-CN'], en: text.en };
}

export function nextActions(f: ActionFacts): NextAction[] {
  const out: NextAction[] = [];
  const breached = f.openComplaints.filter((c) => c.slaState === 'breached').length;
  if (f.tier === 'key' && breached > 0)
    out.push(action('action.escalate-breached-sla', 'high', { count: breached }));
  const critical = f.delayedShipments.filter((s) => s.exception || s.minutesLate >= CRITICAL_MINUTES);
  if (critical.length > 0) {
    out.push(
      action('action.explain-delay-offer-callback', 'high', { waybills: critical.map((s) => s.waybill) }),
    );
  } else if (f.delayedShipments.length > 0) {
    out.push(action('action.explain-delay', 'medium', { count: f.delayedShipments.length }));
  }
  if (f.openComplaints.length > 0) {
    const urgent = f.openComplaints.some((c) => c.slaState !== 'on-track');
    out.push(
      action('action.review-open-complaints', urgent ? 'high' : 'medium', { count: f.openComplaints.length }),
    );
  }
  if (f.callsLast24h >= 3)
    out.push(action('action.take-ownership-repeat-caller', 'high', { count: f.callsLast24h }));
  if (f.ambiguity === 'accounts') out.push(action('action.confirm-account', 'medium'));
  if (f.ambiguity === 'contacts') out.push(action('action.confirm-contact', 'medium'));
  if (f.onTimeRate !== null && f.onTimeRate < f.onTimeCommitment) {
    out.push(
      action('action.service-below-commitment', 'medium', {
        rate: f.onTimeRate,
        commitment: f.onTimeCommitment,
      }),
    );
  }
  if (f.contactLanguage === 'en') out.push(action('action.speak-english', 'low'));
  if (f.doNotCall) out.push(action('action.no-outbound-call', 'low'));
  const order = { high: 0, medium: 1, low: 2 };
  return out.sort((a, b) => order[a.urgency] - order[b.urgency]);
}
