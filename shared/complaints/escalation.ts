import type { EventPublisher } from '../adapters/events.ts';
import { slaView } from '../domain/complaint.ts';
import type { ComplaintStore } from '../store/complaints.ts';

export interface EscalationRun {
  /** Complaints read from the due index. */
  read: number;
  /** Complaints whose level was raised by this run. */
  escalated: number;
  /** Events published, one per level raised. */
  published: number;
  failures: number;
}

/**
 * One escalation pass: read the complaints whose next mark has passed (sparse due index, no
 * scan), raise each to the level it should be at with a conditional write, and publish one
 * ComplaintEscalated event per level raised. A publish that fails puts the level back, so the
 * next run retries it; an overlapping run that already raised the level makes this one skip.
 */
export async function runEscalation(
  store: ComplaintStore,
  publisher: EventPublisher,
  now = new Date(),
): Promise<EscalationRun> {
  const { items, read } = await store.dueForEscalation(now);
  const run: EscalationRun = { read, escalated: 0, published: 0, failures: 0 };
  for (const c of items) {
    const raised = await store.escalate(c, now);
    if (raised.length === 0) continue;
    run.escalated++;
    for (const e of raised) {
      const sla = slaView(e.complaint, now);
      try {
        await publisher.publish({
          type: 'ComplaintEscalated',
          subject: `Complaint ${c.reference} escalated to ${e.levelName.en}`,
          payload: {
            complaintId: c.id,
            reference: c.reference,
            accountId: c.accountId,
            accountName: c.accountName,
            category: c.category,
            severity: c.severity,
            tier: c.tier,
            status: c.status,
            level: e.level,
            levelName: e.levelName,
            sla: sla.current,
            ackDueAt: c.ackDueAt,
            resolveDueAt: c.resolveDueAt,
            escalatedAt: now.toISOString(),
          },
          attributes: { accountId: c.accountId, tier: c.tier, severity: c.severity, level: e.level },
        });
        run.published++;
      } catch {
        run.failures++;
        await store.revertEscalation(c, e.complaint.escalationLevel, now);
        break;
      }
    }
  }
  return run;
}
