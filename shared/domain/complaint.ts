import { z } from 'zod';
import { AccountId, ContactId } from './account.ts';
import { Waybill } from './shipment.ts';
import { COMPLAINT_SEVERITIES, clockState, type SlaDeadlines, type SlaState } from './sla.ts';

export const COMPLAINT_CATEGORIES = [
  'delay',
  'damage',
  'loss',
  'wrong-delivery',
  'short-shipment',
  'billing',
  'service-attitude',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const COMPLAINT_CHANNELS = ['agent-phone', 'ivr', 'email', 'web'] as const;
export const COMPLAINT_STATUSES = ['open', 'acknowledged', 'in-progress', 'resolved', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** The lifecycle. A reopen (resolved/closed → in-progress) is allowed only inside the reopen window. */
export const TRANSITIONS: Record<ComplaintStatus, ComplaintStatus[]> = {
  open: ['acknowledged'],
  acknowledged: ['in-progress', 'resolved'],
  'in-progress': ['resolved'],
  resolved: ['closed', 'in-progress'],
  closed: ['in-progress'],
};

/** Statuses whose SLA clocks still run. */
export const UNRESOLVED: ComplaintStatus[] = ['open', 'acknowledged', 'in-progress'];

export const ESCALATION_LEVELS = [
  { level: 1, zh: '班组长', en: 'L1 team lead' },
  { level: 2, zh: '大客户经理', en: 'L2 key-account manager' },
  { level: 3, zh: '分公司经理', en: 'L3 branch manager' },
] as const;

export const ComplaintInput = z
  .object({
    accountId: AccountId,
    contactId: ContactId.optional(),
    waybills: z.array(Waybill).max(20).default([]),
    category: z.enum(COMPLAINT_CATEGORIES),
    severity: z.enum(COMPLAINT_SEVERITIES),
    channel: z.enum(COMPLAINT_CHANNELS).default('agent-phone'),
    description: z.string().trim().min(1).max(2000),
    owner: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .optional()
      .meta({ description: 'Agent or team that owns the complaint' }),
    team: z.string().trim().min(1).max(80).optional(),
  })
  .meta({ id: 'ComplaintInput' });
export type ComplaintInput = z.output<typeof ComplaintInput>;

export const HistoryEntry = z
  .object({
    at: z.string(),
    by: z.string(),
    from: z.enum(COMPLAINT_STATUSES).nullable(),
    to: z.enum(COMPLAINT_STATUSES),
    action: z.string(),
    note: z.string().optional(),
  })
  .meta({ id: 'ComplaintHistoryEntry' });
export type HistoryEntry = z.output<typeof HistoryEntry>;

export interface Complaint extends ComplaintInput, SlaDeadlines {
  id: string;
  /** Short, speakable reference: yymmdd + a daily sequence. */
  reference: string;
  accountName: string;
  tier: string;
  status: ComplaintStatus;
  createdAt: string;
  createdBy: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  escalationLevel: number;
  escalatedAt?: string;
  reopenCount: number;
  /** The complaining contact, as on the day: the follow-up call and spoken prompts use it. */
  contactName?: string;
  contactPhone?: string;
  contactLanguage?: string;
  contactTimeZone?: string;
  followUp?: { callbackId: string; dueAt: string; score?: number; accepted?: boolean; at?: string };
  version: number;
  updatedAt: string;
}

export interface SlaView {
  ack: SlaState | 'met' | 'missed';
  resolve: SlaState | 'met' | 'missed';
  /** The clock an agent should watch now and its deadline. */
  current: SlaState | 'met' | 'missed';
  nextDueAt?: string;
}

/** The SLA state of a complaint now, computed from its stored deadlines. */
export function slaView(
  c: Pick<
    Complaint,
    | 'status'
    | 'ackAtRiskAt'
    | 'ackDueAt'
    | 'resolveAtRiskAt'
    | 'resolveDueAt'
    | 'acknowledgedAt'
    | 'resolvedAt'
  >,
  now: Date,
): SlaView {
  const ack = c.acknowledgedAt
    ? Date.parse(c.acknowledgedAt) <= Date.parse(c.ackDueAt)
      ? 'met'
      : 'missed'
    : clockState(c.ackAtRiskAt, c.ackDueAt, now);
  const resolvedAt = c.resolvedAt && !UNRESOLVED.includes(c.status) ? c.resolvedAt : undefined;
  const resolve = resolvedAt
    ? Date.parse(resolvedAt) <= Date.parse(c.resolveDueAt)
      ? 'met'
      : 'missed'
    : clockState(c.resolveAtRiskAt, c.resolveDueAt, now);
  const order = { breached: 3, 'at-risk': 2, 'on-track': 1, missed: 0, met: 0 } as const;
  const running = [ack, resolve].filter((s) => s === 'breached' || s === 'at-risk' || s === 'on-track');
  const current = running.sort((a, b) => order[b] - order[a])[0] ?? resolve;
  const nextDueAt = !c.acknowledgedAt ? c.ackDueAt : resolvedAt ? undefined : c.resolveDueAt;
  return { ack, resolve, current, ...(nextDueAt ? { nextDueAt } : {}) };
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string; allowed: ComplaintStatus[] };

/** Whether a transition is legal now; a reopen also needs to fall inside the reopen window. */
export function checkTransition(
  c: Pick<Complaint, 'status' | 'resolvedAt'>,
  to: ComplaintStatus,
  now: Date,
  reopenWindowMinutes: number,
): TransitionCheck {
  const allowed = allowedTransitions(c, now, reopenWindowMinutes);
  if (allowed.includes(to)) return { ok: true };
  const reason = TRANSITIONS[c.status].includes(to)
    ? `a complaint can be reopened only within ${reopenWindowMinutes} minutes of its resolution`
    : `a complaint that is ${c.status} cannot become ${to}`;
  return { ok: false, reason, allowed };
}

export function allowedTransitions(
  c: Pick<Complaint, 'status' | 'resolvedAt'>,
  now: Date,
  reopenWindowMinutes: number,
): ComplaintStatus[] {
  return TRANSITIONS[c.status].filter((to) => {
    const reopen = (c.status === 'resolved' || c.status === 'closed') && to === 'in-progress';
    if (!reopen) return true;
    return (
      c.resolvedAt !== undefined && now.getTime() - Date.parse(c.resolvedAt) <= reopenWindowMinutes * 60_000
    );
  });
}

/**
 * The escalation level a complaint should be at now: at risk → L1 team lead; breached → L2
 * key-account manager; breached for more than half its window again → L3 branch manager.
 */
export function requiredEscalation(
  c: Pick<
    Complaint,
    | 'status'
    | 'createdAt'
    | 'ackAtRiskAt'
    | 'ackDueAt'
    | 'resolveAtRiskAt'
    | 'resolveDueAt'
    | 'acknowledgedAt'
  >,
  now: Date,
): number {
  if (!UNRESOLVED.includes(c.status)) return 0;
  const marks = escalationMarks(c);
  let level = 0;
  for (const m of marks) if (now.getTime() >= Date.parse(m.at)) level = Math.max(level, m.level);
  return level;
}

/** The instants at which each level falls due, for the clock that is running. */
export function escalationMarks(
  c: Pick<
    Complaint,
    'createdAt' | 'ackAtRiskAt' | 'ackDueAt' | 'resolveAtRiskAt' | 'resolveDueAt' | 'acknowledgedAt'
  >,
): { level: number; at: string }[] {
  const created = Date.parse(c.createdAt);
  const resolveDue = Date.parse(c.resolveDueAt);
  const l3 = new Date(resolveDue + (resolveDue - created) / 2).toISOString();
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
  c: Parameters<typeof escalationMarks>[0] & { status: ComplaintStatus; escalationLevel: number },
): string | undefined {
  if (!UNRESOLVED.includes(c.status)) return undefined;
  return escalationMarks(c).find((m) => m.level > c.escalationLevel)?.at;
}

export interface ComplaintMetrics {
  windowDays: number;
  complaints: number;
  /** Complaints per 1,000 shipments in the window. */
  complaintRatePer1000: number | null;
  /** Share of resolved complaints resolved by their resolve-by time. */
  slaCompliance: number | null;
  meanMinutesToAcknowledge: number | null;
  meanMinutesToResolve: number | null;
  reopenRate: number | null;
  /** Share of resolved complaints settled on the first call: taken by phone, resolved within 24 h, never reopened. */
  firstContactResolution: number | null;
}

export function complaintMetrics(
  complaints: Complaint[],
  shipments: number,
  windowDays = 90,
): ComplaintMetrics {
  const resolved = complaints.filter((c) => c.resolvedAt);
  const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);
  const mean = (xs: number[]) =>
    xs.length === 0 ? null : Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  const minutes = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;
  return {
    windowDays,
    complaints: complaints.length,
    complaintRatePer1000:
      shipments === 0 ? null : Math.round((complaints.length / shipments) * 1000 * 10) / 10,
    slaCompliance: ratio(
      resolved.filter((c) => Date.parse(c.resolvedAt ?? '') <= Date.parse(c.resolveDueAt)).length,
      resolved.length,
    ),
    meanMinutesToAcknowledge: mean(
      complaints
        .filter((c) => c.acknowledgedAt)
        .map((c) => minutes(c.createdAt, c.acknowledgedAt ?? c.createdAt)),
    ),
    meanMinutesToResolve: mean(resolved.map((c) => minutes(c.createdAt, c.resolvedAt ?? c.createdAt))),
    // Reopened complaints were resolved at least once, even while they are back in progress.
    reopenRate: ratio(
      complaints.filter((c) => c.reopenCount > 0).length,
      complaints.filter((c) => c.resolvedAt || c.reopenCount > 0).length,
    ),
    firstContactResolution: ratio(
      resolved.filter(
        (c) =>
          c.channel === 'agent-phone' &&
          c.reopenCount === 0 &&
          minutes(c.createdAt, c.resolvedAt ?? c.createdAt) <= 24 * 60,
      ).length,
      resolved.length,
    ),
  };
}
