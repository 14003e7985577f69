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
 * scan), publish one ComplaintEscalated event per level each has passed, lowest first, and raise
 * it to the last level published with a conditional write (complaints/service.ts escalate: a
 * claim per level announced, so a run that dies part-way or overlaps another loses no level and
 * doubles none). A publish that fails leaves the complaint at the last level published, so the
 * next run retries from the failed level.
 */
export async function runEscalation(
  complaints: Complaints,
  publisher: EventPublisher,
  now = new Date(),
): Promise<EscalationRun> {
  const { items, read } = await complaints.dueForEscalation(now);
  const run: EscalationRun = { read, escalated: 0, published: 0, failures: 0 };
  for (const c of items) {
    const outcome = await complaints.escalate(c, now, (level, raised) =>
      publisher.publish({
        type: 'ComplaintEscalated',
        subject: t('en', 'complaint.escalated.subject', { reference: c.reference, level }),
        payload: {
          complaintId: c.id,
          reference: c.reference,
          accountId: c.accountId,
          accountName: c.accountName,
          category: c.category,
          severity: c.severity,
          tier: c.tier,
          status: c.status,
          level,
          levelName: { zh: label('level', level, 'zh-CN'), en: label('level', level, 'en') },
          sla: slaView(raised, now).current,
          ackDueAt: c.ackDueAt,
          resolveDueAt: c.resolveDueAt,
          escalatedAt: now.toISOString(),
        },
        attributes: { accountId: c.accountId, tier: c.tier, severity: c.severity, level },
      }),
    );
    if (outcome.raised) run.escalated++;
    run.published += outcome.published;
    if (outcome.failed) run.failures++;
  }
  return run;
}
