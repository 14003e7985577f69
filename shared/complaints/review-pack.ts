/**
 * The quarterly project review with a key account (seed 003: a meeting each quarter, led by
 * customer service with operations and finance, going through the quarter's operation and the
 * client's KPI assessment, each open issue with a date by which it is answered). Pure: the
 * quarter's figures from what the stores hold.
 */
import * as z from 'zod';
import type { Account } from '../accounts/model.ts';
import type { AccountFollowUp } from '../campaigns/follow-up-log.ts';
import { SATISFACTION_TRENDS, satisfactionTrend } from '../campaigns/follow-ups.ts';
import { worded } from '../platform/worded-patterns.ts';
import { DeliveryKpis, deliveryKpis, type Shipment } from '../shipments/model.ts';
import { type Complaint, slaView, UNRESOLVED } from './model.ts';

/** A calendar quarter, `2026-Q4`. */
export const Quarter = z
  .string()
  .regex(worded(/^\d{4}-Q[1-4]$/, 'a quarter such as 2026-Q4', '应为季度，例如 2026-Q4'))
  .meta({ example: '2026-Q4' });

/** The quarter's first and last instants (UTC), and the quarter `now` is in. */
export function quarterRange(quarter: string): { from: string; to: string } {
  const [y, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(-1))];
  return {
    from: new Date(Date.UTC(y, (q - 1) * 3, 1)).toISOString(),
    to: new Date(Date.UTC(y, q * 3, 1) - 1).toISOString(),
  };
}
export const quarterOf = (now: Date) => `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;

export const ReviewPack = z
  .object({
    accountId: z.string(),
    quarter: Quarter,
    from: z.string(),
    to: z.string(),
    onTimeCommitment: z.number(),
    kpis: DeliveryKpis,
    complaints: z.object({
      total: z.number().int(),
      byCategory: z.record(z.string(), z.number().int()),
      bySeverity: z.record(z.string(), z.number().int()),
      /** Resolved or acknowledged late, or still running past its deadline. */
      slaMissed: z.number().int(),
    }),
    /** What is still open, each with the date by which it is answered, soonest first. */
    openIssues: z.array(
      z.object({
        kind: z.enum(['complaint', 'delay']),
        ref: z.string(),
        what: z.string(),
        severity: z.string(),
        dueAt: z.string(),
        remedy: z.string().optional(),
      }),
    ),
    satisfaction: z.object({
      scores: z.array(z.number()),
      average: z.number().nullable(),
      trend: z.enum(SATISFACTION_TRENDS),
    }),
  })
  .meta({ id: 'ReviewPack' });
export type ReviewPack = z.output<typeof ReviewPack>;

export function reviewPack(
  input: {
    account: Pick<Account, 'id' | 'onTimeCommitment' | 'delayToleranceMinutes'>;
    quarter: string;
    delivered: Shipment[];
    open: Shipment[];
    complaints: Complaint[];
    followUps: AccountFollowUp[];
  },
  now: Date,
): ReviewPack {
  const { from, to } = quarterRange(input.quarter);
  const within = (iso: string | undefined) => iso !== undefined && iso >= from && iso <= to;
  const delivered = input.delivered.filter((s) => within(s.delivery?.deliveredAt));
  const raised = input.complaints.filter((c) => within(c.createdAt));
  const count = (xs: string[]) => {
    const m: Record<string, number> = {};
    for (const k of xs) m[k] = (m[k] ?? 0) + 1;
    return m;
  };
  const slaMissed = raised.filter((c) => {
    const sla = slaView(c, now);
    return sla.ack === 'missed' || sla.resolve === 'missed' || sla.current === 'breached';
  }).length;
  const openIssues = [
    ...input.complaints
      .filter((c) => UNRESOLVED.includes(c.status))
      .map((c) => ({
        kind: 'complaint' as const,
        ref: c.reference,
        what: c.category,
        severity: c.severity,
        dueAt: c.resolveDueAt,
      })),
    ...input.open
      .filter((s) => s.delay && s.delay.state !== 'cleared')
      .map((s) => ({
        kind: 'delay' as const,
        ref: s.waybill,
        what: s.delay?.reason ?? s.delay?.trigger ?? 'delay',
        severity: s.delay?.severity ?? 'minor',
        dueAt: s.eta,
        ...(s.delay?.remedy ? { remedy: s.delay.remedy.code } : {}),
      })),
  ].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const scores = input.followUps
    .filter((f) => within(f.at) && f.satisfaction)
    .map((f) => f.satisfaction as number);
  return {
    accountId: input.account.id,
    quarter: input.quarter,
    from,
    to,
    onTimeCommitment: input.account.onTimeCommitment,
    kpis: deliveryKpis(delivered, input.account.delayToleranceMinutes),
    complaints: {
      total: raised.length,
      byCategory: count(raised.map((c) => c.category)),
      bySeverity: count(raised.map((c) => c.severity)),
      slaMissed,
    },
    openIssues,
    satisfaction: {
      scores,
      average: scores.length
        ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10
        : null,
      trend: satisfactionTrend(scores),
    },
  };
}
