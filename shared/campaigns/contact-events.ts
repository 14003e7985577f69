import * as z from 'zod';
import type { Outcome } from './callback.ts';
import type { Campaigns } from './service.ts';

/** The detail of an Amazon Connect contact event, as much of it as Keyline reads. */
export const ContactEventDetail = z.looseObject({
  eventType: z.string(),
  contactId: z.string(),
  initiationMethod: z.string().optional(),
  instanceArn: z.string().optional(),
  agentInfo: z.looseObject({ connectedToAgentTimestamp: z.string().nullish() }).nullish(),
  queueInfo: z.looseObject({ enqueueTimestamp: z.string().nullish() }).nullish(),
  disconnectTimestamp: z.string().nullish(),
  /** CUSTOMER_DISCONNECT, AGENT_DISCONNECT, CONTACT_FLOW_DISCONNECT, … (DISCONNECTED only). */
  disconnectReason: z.string().nullish(),
  attributes: z.record(z.string(), z.unknown()).nullish(),
});
export type ContactEventDetail = z.output<typeof ContactEventDetail>;

export type EventOutcome = { applied: string } | { ignored: string };

/** What a contact event means for the callback it dialed, if anything. */
export function outcomeOfEvent(d: ContactEventDetail): Outcome | undefined {
  if (d.eventType === 'CONNECTED_TO_AGENT') return 'connected';
  if (d.eventType === 'DISCONNECTED')
    return d.agentInfo?.connectedToAgentTimestamp ? 'completed' : 'no-answer';
  return undefined;
}

/**
 * Moves a callback along from a contact event: CONNECTED_TO_AGENT → connected; DISCONNECTED
 * after an agent joined → completed; DISCONNECTED without one → no-answer (retry by the policy,
 * or failed). Writes are conditional on the attempt and the prior state, so duplicates and
 * reordering are harmless.
 */
export async function applyContactEvent(
  campaigns: Campaigns,
  detail: ContactEventDetail,
  now = new Date(),
): Promise<EventOutcome> {
  const ref = await campaigns.callbacks.byConnectContact(detail.contactId);
  if (!ref) return { ignored: `contact ${detail.contactId} is not a Keyline callback` };
  const outcome = outcomeOfEvent(detail);
  if (!outcome) return { ignored: `${detail.eventType} does not change a callback` };
  const to = await campaigns.applyOutcome(ref.callbackId, ref.attempt, outcome, now);
  return to ? { applied: to } : { ignored: `${detail.eventType} already applied or out of order` };
}
