import * as z from 'zod';
import { AccountId, ContactId } from '../accounts/model.ts';
import { TIERS } from '../accounts/prioritization.ts';
import { Waybill } from '../shipments/model.ts';
import { COMPLAINT_SEVERITIES, clockState, SLA_CLOCKS, type SlaState } from './sla.ts';

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

/** Escalation levels: L1 team lead, L2 key-account manager, L3 branch manager (names: the catalog). */
export const ESCALATION_LEVELS = [1, 2, 3] as const;

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

export const HistoryEntry = z.object({
  at: z.string(),
  by: z.string(),
  from: z.enum(COMPLAINT_STATUSES).nullable(),
  to: z.enum(COMPLAINT_STATUSES),
  action: z.string(),
  /** What the agent wrote. */
  note: z.string().optional(),
  /** What the system recorded, as a catalog message rendered in the reader's language. */
  message: z.object({ key: z.string(), params: z.record(z.string(), z.unknown()).optional() }).optional(),
});
export type HistoryEntry = z.output<typeof HistoryEntry>;

export const SlaDeadlines = z.object({
  clock: z.enum(SLA_CLOCKS),
  ackAtRiskAt: z.string(),
  ackDueAt: z.string(),
  resolveAtRiskAt: z.string(),
  resolveDueAt: z.string(),
  /** When L3 falls due (sla.ts resolveL3Mark); absent on complaints stored before it was kept. */
  resolveL3At: z.string().optional(),
});

export const FollowUp = z.object({
  callbackId: z.string(),
  dueAt: z.string(),
  score: z.number().optional(),
  accepted: z.boolean().optional(),
  at: z.string().optional(),
});

/** A complaint as stored: the input, its SLA deadlines, its lifecycle state and bookkeeping. */
export const Complaint = ComplaintInput.extend({
  ...SlaDeadlines.shape,
  id: z.string(),
  /** Short, speakable reference: yymmdd + a daily sequence. */
  reference: z.string(),
  /** The Amazon Connect contact it was filed on (IVR), so an agent can find it from the call. */
  connectContactId: z.string().optional(),
  accountName: z.string(),
  tier: z.enum(TIERS),
  status: z.enum(COMPLAINT_STATUSES),
  createdAt: z.string(),
  createdBy: z.string(),
  acknowledgedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  closedAt: z.string().optional(),
  escalationLevel: z.number().int(),
  escalatedAt: z.string().optional(),
  reopenCount: z.number().int(),
  /** The resolution the last reopen withdrew (analytics take it off SLA compliance); absent before. */
  reopenedFrom: z.string().optional(),
  /**
   * How the account's open-complaint count holds this complaint. `self`: the complaint item counts
   * itself while unresolved (it carries the counts index's keys), so filing one is a single
   * write. Complaints filed before that: `own-item`, an item of its own in the account's counters
   * (put while unresolved, deleted after); absent, a shared counter shard.
   */
  openCounter: z.enum(['self', 'own-item']).optional(),
  /** The complaining contact, as on the day: the follow-up call and spoken prompts use it. */
  contactName: z.string().optional(),
  contactPhone: z.string().optional(),
  contactLanguage: z.string().optional(),
  contactTimeZone: z.string().optional(),
  followUp: FollowUp.optional(),
  version: z.number().int(),
  updatedAt: z.string(),
}).meta({ id: 'ComplaintRecord' });
export type Complaint = z.output<typeof Complaint>;

export type ComplaintWithHistory = Complaint & { history: HistoryEntry[] };

export const SlaStateSchema = z.enum(['on-track', 'at-risk', 'breached', 'met', 'missed']);
export const SlaView = z.object({
  ack: SlaStateSchema,
  resolve: SlaStateSchema,
  /** The clock an agent should watch now. */
  current: SlaStateSchema,
  nextDueAt: z.string().optional(),
});
export type SlaView = z.output<typeof SlaView>;

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
  const running = [ack, resolve].filter((s): s is SlaState => s !== 'met' && s !== 'missed');
  const current = running.sort((a, b) => order[b] - order[a])[0] ?? resolve;
  const nextDueAt = !c.acknowledgedAt ? c.ackDueAt : resolvedAt ? undefined : c.resolveDueAt;
  return { ack, resolve, current, ...(nextDueAt ? { nextDueAt } : {}) };
}
