/**
 * When a complaint escalates: the instants each level falls due on the clock that runs for it,
 * the level it should be at now, and when the escalation job must look at it next. Pure.
 */
import type { Complaint } from './model.ts';
import { UNRESOLVED } from './model.ts';
import { resolveL3Mark } from './sla.ts';

/** What the marks are computed from. */
export type Marked = Pick<
  Complaint,
  'createdAt' | 'ackAtRiskAt' | 'ackDueAt' | 'resolveAtRiskAt' | 'resolveDueAt' | 'acknowledgedAt'
> &
  Partial<Pick<Complaint, 'clock' | 'resolveL3At' | 'contactTimeZone'>>;

/**
 * The escalation level a complaint should be at now: at risk → L1 team lead; breached → L2
 * key-account manager; breached for more than half its window again → L3 branch manager.
 */
export function requiredEscalation(c: Marked & Pick<Complaint, 'status'>, now: Date): number {
  if (!UNRESOLVED.includes(c.status)) return 0;
  let level = 0;
  for (const m of escalationMarks(c)) if (now.getTime() >= Date.parse(m.at)) level = Math.max(level, m.level);
  return level;
}

/** The instants at which each level falls due, for the clock that is running. */
export function escalationMarks(c: Marked): { level: number; at: string }[] {
  // Stored since it was computed at filing; a complaint stored before then: on its own clock, in
  // its contact's time zone (the account's unless the contact set one).
  const l3 =
    c.resolveL3At ??
    resolveL3Mark(
      new Date(c.createdAt),
      new Date(c.resolveDueAt),
      c.clock ?? '24x7',
      c.contactTimeZone ?? 'Asia/Shanghai',
    ).toISOString();
  const ackMarks = c.acknowledgedAt
    ? []
    : [
        { level: 1, at: c.ackAtRiskAt },
        { level: 2, at: c.ackDueAt },
      ];
  return [
    ...ackMarks,
    { level: 1, at: c.resolveAtRiskAt },
    { level: 2, at: c.resolveDueAt },
    { level: 3, at: l3 },
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** When the escalation job must look at this complaint next, or undefined when never again. */
export function nextEscalationCheck(
  c: Marked & Pick<Complaint, 'status' | 'escalationLevel'>,
): string | undefined {
  if (!UNRESOLVED.includes(c.status)) return undefined;
  return escalationMarks(c).find((m) => m.level > c.escalationLevel)?.at;
}
