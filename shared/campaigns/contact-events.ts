import * as z from 'zod/mini';
import type { CampaignStore } from '../store/campaigns.ts';

/** An Amazon Connect contact event as EventBridge delivers it ("Amazon Connect Contact Event"). */
export const ConnectContactEvent = z.looseObject({
  'detail-type': z.string(),
  source: z.string(),
  time: z.optional(z.string()),
  detail: z.looseObject({
    eventType: z.string(),
    contactId: z.string(),
    initiationMethod: z.optional(z.string()),
    instanceArn: z.optional(z.string()),
    agentInfo: z.nullish(z.looseObject({ connectedToAgentTimestamp: z.nullish(z.string()) })),
    disconnectTimestamp: z.nullish(z.string()),
    attributes: z.nullish(z.record(z.string(), z.unknown())),
  }),
});
export type ConnectContactEvent = z.output<typeof ConnectContactEvent>;

export type EventOutcome = { applied: string } | { ignored: string };

/**
 * Moves a callback along from a contact event: CONNECTED_TO_AGENT → connected; DISCONNECTED
 * after an agent joined → completed; DISCONNECTED without one → no-answer (retry by the policy,
 * or failed). The store's writes are conditional on the attempt and the prior state, so
 * duplicates and reordering are harmless.
 */
export async function applyContactEvent(
  store: CampaignStore,
  raw: unknown,
  now = new Date(),
): Promise<EventOutcome> {
  const parsed = ConnectContactEvent.safeParse(raw);
  if (!parsed.success) return { ignored: 'not an Amazon Connect contact event' };
  const { detail } = parsed.data;
  const ref = await store.byConnectContact(detail.contactId);
  if (!ref) return { ignored: `contact ${detail.contactId} is not a Keyline callback` };
  let outcome: 'connected' | 'completed' | 'no-answer';
  if (detail.eventType === 'CONNECTED_TO_AGENT') outcome = 'connected';
  else if (detail.eventType === 'DISCONNECTED')
    outcome = detail.agentInfo?.connectedToAgentTimestamp ? 'completed' : 'no-answer';
  else return { ignored: `${detail.eventType} does not change a callback` };
  const to = await store.applyOutcome(ref.callbackId, ref.attempt, outcome, now);
  return to ? { applied: to } : { ignored: `${detail.eventType} already applied or out of order` };
}
