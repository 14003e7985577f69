import type { ContactEventDetail, EventOutcome } from '../campaigns/contact-events.ts';
import type { CallJournal } from './journal.ts';

/** An inbound contact's event → its caller-journal line (journal.ts's transition). */
export async function applyJournalEvent(
  journal: CallJournal,
  d: ContactEventDetail,
  now = new Date(),
): Promise<EventOutcome> {
  const at =
    (d.eventType === 'DISCONNECTED' && d.disconnectTimestamp) ||
    (d.eventType === 'CONNECTED_TO_AGENT' && d.agentInfo?.connectedToAgentTimestamp) ||
    (d.eventType === 'QUEUED' && d.queueInfo?.enqueueTimestamp) ||
    now.toISOString();
  const to = await journal.apply(d.contactId, {
    eventType: d.eventType,
    at,
    queued: Boolean(d.queueInfo?.enqueueTimestamp),
    agentConnected: Boolean(d.agentInfo?.connectedToAgentTimestamp),
    ...(d.disconnectReason ? { disconnectReason: d.disconnectReason } : {}),
  });
  return to
    ? { applied: `inbound call ${to}` }
    : { ignored: `${d.eventType} changes no caller-journal line of ${d.contactId}` };
}
