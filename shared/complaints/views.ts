import { allowedTransitions, type Complaint, complaintMetrics, slaView } from '../domain/complaint.ts';
import type { ComplaintStore, ComplaintWithHistory } from '../store/complaints.ts';
import type { ShipmentStore } from '../store/shipments.ts';

/** A complaint as the API and the desktop show it: with its SLA state now and its next states. */
export function complaintView(c: Complaint | ComplaintWithHistory, now: Date, reopenWindowMinutes: number) {
  return { ...c, sla: slaView(c, now), allowedTransitions: allowedTransitions(c, now, reopenWindowMinutes) };
}

const ORDER = { breached: 0, 'at-risk': 1, 'on-track': 2, missed: 3, met: 4 } as const;

/** Most urgent first: breached, at risk, then by the next deadline. */
export function byUrgency(a: ReturnType<typeof complaintView>, b: ReturnType<typeof complaintView>) {
  return (
    ORDER[a.sla.current] - ORDER[b.sla.current] ||
    (a.sla.nextDueAt ?? '~').localeCompare(b.sla.nextDueAt ?? '~')
  );
}

/** The account's service metrics over the last 90 days. */
export async function serviceMetrics(
  complaints: ComplaintStore,
  shipments: ShipmentStore,
  accountId: string,
  now = new Date(),
) {
  const since = new Date(now.getTime() - 90 * 86_400_000).toISOString();
  const [all, delivered, open] = await Promise.all([
    complaints.listByAccount(accountId),
    shipments.listByAccount(accountId, 'delivered', since),
    shipments.listByAccount(accountId, 'open'),
  ]);
  const recent = all.filter((c) => c.createdAt >= since);
  const count = delivered.length + open.length;
  return { ...complaintMetrics(recent, count), shipments: count };
}
