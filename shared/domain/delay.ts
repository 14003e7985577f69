import { z } from 'zod';
import { AccountId } from './account.ts';
import type { Tier } from './prioritization.ts';
import { delayOf, EXCEPTION_REASONS, MILESTONES, type Shipment, Waybill } from './shipment.ts';

export const DELAY_SEVERITIES = ['minor', 'major', 'critical'] as const;
export type DelaySeverity = (typeof DELAY_SEVERITIES)[number];
export const DELAY_STATES = ['detected', 'notified', 'acknowledged', 'cleared'] as const;

/** A scan or status event from a TMS feed or a carrier. */
export const TrackingEvent = z
  .object({
    eventId: z.string().trim().min(1).max(80),
    waybill: Waybill,
    accountId: AccountId,
    milestone: z.enum(MILESTONES),
    reason: z.enum(EXCEPTION_REASONS).optional(),
    location: z.string().trim().min(1).max(80),
    at: z.iso.datetime({ offset: true }),
    carrierEta: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((e) => e.milestone !== 'exception' || e.reason !== undefined, {
    message: 'an exception needs a reason',
    path: ['reason'],
  })
  .meta({ id: 'TrackingEvent' });
export type TrackingEvent = z.output<typeof TrackingEvent>;

/**
 * Severity thresholds, minutes late, per tier: at or above `major` it is major, at or above
 * `critical` it is critical; below `major` (and past the account's tolerance) it is minor.
 * A key account's delay of more than a day is always critical.
 */
export const DELAY_RULES: Record<Tier, { major: number; critical: number }> = {
  key: { major: 4 * 60, critical: 24 * 60 },
  'high-growth': { major: 6 * 60, critical: 36 * 60 },
  loyal: { major: 8 * 60, critical: 48 * 60 },
  'low-potential': { major: 12 * 60, critical: 72 * 60 },
};

/** Exceptions that are at least this severe, however late the ETA says. */
const EXCEPTION_FLOOR: Partial<Record<NonNullable<TrackingEvent['reason']>, DelaySeverity>> = {
  loss: 'critical',
  damage: 'major',
  accident: 'major',
  'customs-hold': 'major',
};

const RANK: Record<DelaySeverity, number> = { minor: 1, major: 2, critical: 3 };
export const severityRank = (s: DelaySeverity | undefined) => (s ? RANK[s] : 0);

export interface Detection {
  delayed: boolean;
  severity?: DelaySeverity;
  minutesLate: number;
  trigger: 'exception' | 'eta-beyond-promise' | 'overdue' | 'stagnation' | 'none';
  reason?: string;
}

/**
 * Detects a delay: an exception milestone, an ETA later than the promise plus the account's
 * tolerance, an open shipment past its promise, or no scan since its next milestone was due.
 */
export function detectDelay(s: Shipment, tier: Tier, now: Date, toleranceMinutes = 60): Detection {
  if (s.status === 'delivered') return { delayed: false, minutesLate: 0, trigger: 'none' };
  const view = delayOf(s, now, toleranceMinutes);
  const stagnant = s.nextMilestoneDueAt !== undefined && Date.parse(s.nextMilestoneDueAt) < now.getTime();
  if (!view.delayed && !stagnant) return { delayed: false, minutesLate: 0, trigger: 'none' };
  const rules = DELAY_RULES[tier];
  let severity: DelaySeverity =
    view.minutesLate >= rules.critical ? 'critical' : view.minutesLate >= rules.major ? 'major' : 'minor';
  const floor = view.exceptionReason ? EXCEPTION_FLOOR[view.exceptionReason] : undefined;
  if (floor && RANK[floor] > RANK[severity]) severity = floor;
  return {
    delayed: true,
    severity,
    minutesLate: view.minutesLate,
    trigger: view.delayed ? (view.reason as Detection['trigger']) : 'stagnation',
    ...(view.exceptionReason
      ? { reason: view.exceptionReason }
      : stagnant && !view.delayed
        ? { reason: 'no scan since the next milestone was due' }
        : {}),
  };
}
