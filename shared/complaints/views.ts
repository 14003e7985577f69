import * as z from 'zod';
import { type MessageKey, render } from '../platform/messages/index.ts';
import type { Shipments } from '../shipments/service.ts';
import { allowedTransitions } from './lifecycle.ts';
import { complaintMetrics } from './metrics.ts';
import {
  COMPLAINT_STATUSES,
  Complaint,
  type ComplaintWithHistory,
  HistoryEntry,
  SlaView,
  slaView,
} from './model.ts';
import type { Complaints } from './service.ts';

export const HistoryView = HistoryEntry.extend({
  /** What the system recorded, in both languages. */
  text: z.object({ 'zh-CN': z.string(), en: z.string() }).optional(),
}).meta({ id: 'ComplaintHistoryEntry' });

/** A complaint as the API answers it: with its SLA state now and the states it may move to. */
export const ComplaintView = Complaint.extend({
  sla: SlaView,
  allowedTransitions: z.array(z.enum(COMPLAINT_STATUSES)),
  history: z.array(HistoryView).optional(),
}).meta({ id: 'Complaint' });

/** A history entry as readers see it: what the system recorded, in both languages. */
function historyView(h: HistoryEntry) {
  if (!h.message) return h;
  const ref = { key: h.message.key as MessageKey, ...(h.message.params ? { params: h.message.params } : {}) };
  return { ...h, text: { 'zh-CN': render(ref, 'zh-CN'), en: render(ref, 'en') } };
}

/** A complaint as the API and the desktop show it: with its SLA state now and its next states. */
export function complaintView(c: Complaint | ComplaintWithHistory, now: Date, reopenWindowMinutes: number) {
  return {
    ...c,
    ...('history' in c ? { history: c.history.map(historyView) } : {}),
    sla: slaView(c, now),
    allowedTransitions: allowedTransitions(c, now, reopenWindowMinutes),
  };
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
  complaints: Complaints,
  shipments: Shipments,
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

export interface ComplaintFilter {
  status?: string;
  /** An owner's name, or `me` for the agent asking. */
  owner?: string;
  team?: string;
  /** `at-risk` also keeps the breached ones. */
  sla?: 'at-risk' | 'breached';
}

/** The complaint list an agent asked for, most urgent first. */
export function complaintList(
  source: Complaint[],
  f: ComplaintFilter,
  agentName: string,
  now: Date,
  reopenWindowMinutes: number,
) {
  return source
    .map((c) => complaintView(c, now, reopenWindowMinutes))
    .filter((c) => !f.status || c.status === f.status)
    .filter((c) => !f.owner || c.owner === (f.owner === 'me' ? agentName : f.owner))
    .filter((c) => !f.team || c.team === f.team)
    .filter((c) => !f.sla || c.sla.current === f.sla || (f.sla === 'at-risk' && c.sla.current === 'breached'))
    .sort(byUrgency);
}
