import type { EventPublisher } from '../platform/events.ts';
import { label, t } from '../platform/messages/index.ts';
import { slaView } from './model.ts';
import type { Complaints } from './service.ts';

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
 * ComplaintEscalated event per level raised, lowest first. A publish that fails puts the level
 * back to the last one published (the levels announced stay announced), so the next run retries
 * from the failed level; an overlapping run that already raised the level makes this one skip.
 */
export async function runEscalation(
  complaints: Complaints,
  publisher: EventPublisher,
  now = new Date(),
): Promise<EscalationRun> {
  const { items, read } = await complaints.dueForEscalation(now);
  const run: EscalationRun = { read, escalated: 0, published: 0, failures: 0 };
  for (const c of items) {
    const raised = await complaints.escalate(c, now);
    if (raised.length === 0) continue;
    run.escalated++;
    // The last level whose event went out: a failure puts the complaint back to it, not below.
    let published = c.escalationLevel;
    for (const e of raised) {
      try {
        await publisher.publish({
          type: 'ComplaintEscalated',
          subject: t('en', 'complaint.escalated.subject', { reference: c.reference, level: e.level }),
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
            levelName: { zh: label('level', e.level, 'zh-CN'), en: label('level', e.level, 'en') },
            sla: slaView(e.complaint, now).current,
            ackDueAt: c.ackDueAt,
            resolveDueAt: c.resolveDueAt,
            escalatedAt: now.toISOString(),
          },
          attributes: { accountId: c.accountId, tier: c.tier, severity: c.severity, level: e.level },
        });
        run.published++;
        published = e.level;
      } catch {
        run.failures++;
        await complaints.revertEscalation(c, e.complaint.escalationLevel, published, now);
        break;
      }
    }
  }
  return run;
}
