import * as z from 'zod';
import type { Complaint } from './model.ts';

/** An account's complaint KPIs over a window, with the shipments they are measured against. */
export const ServiceMetrics = z
  .object({
    windowDays: z.number(),
    complaints: z.number(),
    shipments: z.number(),
    /** Complaints per 1,000 shipments in the window. */
    complaintRatePer1000: z.number().nullable(),
    /** Share of resolved complaints resolved by their resolve-by time. */
    slaCompliance: z.number().nullable(),
    meanMinutesToAcknowledge: z.number().nullable(),
    meanMinutesToResolve: z.number().nullable(),
    reopenRate: z.number().nullable(),
    /** Share of resolved complaints settled on the first call: by phone, within 24 h, never reopened. */
    firstContactResolution: z.number().nullable(),
  })
  .meta({ id: 'ServiceMetrics' });
export type ComplaintMetrics = Omit<z.output<typeof ServiceMetrics>, 'shipments'>;

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
