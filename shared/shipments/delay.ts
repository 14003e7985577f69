/**
 * Delays, pure: detection from a shipment's state (table-driven by tier), and the delay
 * lifecycle detected → notified → acknowledged → cleared, with the DelayDetected event a new or
 * worse delay announces.
 */
import * as z from 'zod';
import { AccountId, SEGMENTS } from '../accounts/model.ts';
import { TIERS, type Tier } from '../accounts/prioritization.ts';
import { accept, type Decision, IllegalTransition, reject, ValidationError } from '../platform/errors.ts';
import { fieldError, refusal } from '../platform/messages/index.ts';
import {
  DELAY_SEVERITIES,
  type Delay,
  type DelaySeverity,
  delayOf,
  EXCEPTION_REASONS,
  MILESTONES,
  Party,
  type Shipment,
  Waybill,
} from './model.ts';
import { playbookOf, playbookSeverity, stockOutRiskOf } from './playbooks.ts';
import type { Remedy } from './remedies.ts';

/**
 * A time with its UTC offset, read as its UTC instant (`toISOString`): the same instant written
 * `+08:00` or `Z` is one value in every key and comparison.
 */
export const Instant = z.iso.datetime({ offset: true }).transform((at) => new Date(at).toISOString());

/** A scan or status event from a TMS feed or a carrier. */
export const TrackingEvent = z
  .object({
    eventId: z.string().trim().min(1).max(80),
    waybill: Waybill,
    accountId: AccountId,
    milestone: z.enum(MILESTONES),
    reason: z.enum(EXCEPTION_REASONS).optional(),
    location: z.string().trim().min(1).max(80),
    at: Instant,
    carrierEta: Instant.optional(),
    carrier: Party.optional().meta({ description: 'Who moves it now (a hand-over names the new carrier)' }),
    driver: Party.optional().meta({ description: 'The driver and a number to reach them on the road' }),
    delivery: z
      .object({
        complete: z.boolean().optional(),
        undamaged: z.boolean().optional(),
        rightDestination: z.boolean().optional(),
        paperworkComplete: z.boolean().optional(),
        podReference: z.string().trim().min(1).max(80).optional(),
      })
      .optional()
      .meta({
        description:
          'With a delivered event: how the goods arrived, each part of the perfect order (unreported parts count as met; a damage exception on the way counts as damaged)',
      }),
  })
  .refine((e) => e.milestone !== 'exception' || e.reason !== undefined, {
    path: ['reason'],
    ...refusal('tracking.exception-reason'),
  })
  .refine((e) => e.delivery === undefined || e.milestone === 'delivered', {
    path: ['delivery'],
    ...refusal('tracking.delivery-not-delivered'),
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
  /** The client may run out of stock (playbooks.ts). */
  stockOutRisk?: boolean;
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
  const byMinutes: DelaySeverity =
    view.minutesLate >= rules.critical ? 'critical' : view.minutesLate >= rules.major ? 'major' : 'minor';
  // The line's order service priority and the industry's playbook move it; an exception's floor holds.
  let severity = playbookSeverity(s, byMinutes, view.exceptionReason);
  const floor = view.exceptionReason ? EXCEPTION_FLOOR[view.exceptionReason] : undefined;
  if (floor && RANK[floor] > RANK[severity]) severity = floor;
  return {
    delayed: true,
    severity,
    stockOutRisk: stockOutRiskOf(s, severity),
    minutesLate: view.minutesLate,
    trigger: view.delayed ? (view.reason as Detection['trigger']) : 'stagnation',
    ...(view.exceptionReason
      ? { reason: view.exceptionReason }
      : stagnant && !view.delayed
        ? { reason: 'no scan since the next milestone was due' }
        : {}),
  };
}

/**
 * The delay after a detection: a new or more severe delay is (re)detected and answers the
 * severity to announce; a delay no longer detected is cleared.
 */
export function applyDetection(
  before: Delay | undefined,
  detection: Detection,
  now: Date,
): { delay: Delay | undefined; announce?: DelaySeverity } {
  if (detection.delayed && detection.severity) {
    const increased =
      severityRank(detection.severity) >
      severityRank(before?.state === 'cleared' ? undefined : before?.announcedSeverity);
    const announcedSeverity = increased ? detection.severity : before?.announcedSeverity;
    const delay: Delay = {
      state: increased ? 'detected' : (before?.state ?? 'detected'),
      severity: detection.severity,
      trigger: detection.trigger,
      ...(detection.reason ? { reason: detection.reason } : {}),
      minutesLate: detection.minutesLate,
      detectedAt: increased || !before ? now.toISOString() : before.detectedAt,
      ...(announcedSeverity ? { announcedSeverity } : {}),
      ...(detection.stockOutRisk ? { stockOutRisk: true } : {}),
      ...(before?.remedy && before.state !== 'cleared' ? { remedy: before.remedy } : {}),
    };
    return increased ? { delay, announce: detection.severity } : { delay };
  }
  if (before && before.state !== 'cleared') {
    return { delay: { ...before, state: 'cleared', clearedAt: now.toISOString() } };
  }
  return { delay: before };
}

/** What customer service does about an open delay. */
export type DelayCommand =
  | { action: 'acknowledge' | 'clear' }
  | { action: 'remedy'; remedy: Remedy; note?: string; by: string };

/**
 * Customer service acknowledges an open delay, records the remedy it arranged (one the
 * industry's playbook offers), or clears it (back on schedule).
 */
export function delayAction(s: Shipment, cmd: DelayCommand, now: Date): Decision<Delay> {
  const open = lateNow(s, now);
  if (!open) {
    return reject(new IllegalTransition(`Shipment ${s.waybill} has no open delay to ${cmd.action}`));
  }
  if (cmd.action === 'remedy') {
    const offered = playbookOf(s.segment).remedies;
    if (!offered.includes(cmd.remedy))
      return reject(
        new ValidationError([
          fieldError('remedy', 'delay.remedy-not-offered', {
            segment: s.segment ?? 'other',
            remedies: [...offered],
          }),
        ]),
      );
    const earlier = open.remedy
      ? [open.remedy, ...(open.earlierRemedies ?? [])].slice(0, 10)
      : open.earlierRemedies;
    return accept({
      ...open,
      // Arranging a remedy is acknowledging the delay; an earlier remedy is kept, not replaced.
      state: 'acknowledged',
      remedy: {
        code: cmd.remedy,
        ...(cmd.note ? { note: cmd.note } : {}),
        by: cmd.by,
        at: now.toISOString(),
      },
      ...(earlier?.length ? { earlierRemedies: earlier } : {}),
    });
  }
  return accept(
    cmd.action === 'acknowledge'
      ? { ...open, state: 'acknowledged' }
      : { ...open, state: 'cleared', clearedAt: now.toISOString() },
  );
}

/**
 * The open delay of a shipment: the recorded one, or, for a shipment late now whose delay no
 * scan has ever recorded (the agent sees it late on the card), the delay detection would record,
 * not yet announced, so the next scan or the watchdog still tells the client.
 */
function lateNow(s: Shipment, now: Date): Delay | undefined {
  // A delay the agent or a scan cleared stays cleared until a scan detects it again.
  if (s.delay) return s.delay.state !== 'cleared' ? s.delay : undefined;
  const detection = detectDelay(s, s.tier ?? 'loyal', now, s.delayToleranceMinutes);
  const delay = detection.delayed ? applyDetection(undefined, detection, now).delay : undefined;
  if (!delay) return undefined;
  const { announcedSeverity: _unannounced, ...recorded } = delay;
  return recorded;
}

/** A delay moves from detected to notified once an alert about it went out (and only then). */
export const canMarkNotified = (d: Delay | undefined, severity: string) =>
  d?.state === 'detected' && d.severity === severity;

/** The event a new or worse delay announces, through the outbox. */
export const DelayDetected = z
  .object({
    type: z.literal('DelayDetected'),
    waybill: Waybill,
    accountId: AccountId,
    tier: z.enum(TIERS),
    segment: z.enum(SEGMENTS).default('other'),
    severity: z.enum(DELAY_SEVERITIES),
    trigger: z.string(),
    reason: z.string().optional(),
    minutesLate: z.number(),
    eta: z.string(),
    location: z.string().optional(),
    /** The client may run out of stock: a critical one gets a proactive call whatever the tier. */
    stockOutRisk: z.boolean().default(false),
    createdAt: z.string(),
  })
  .meta({ id: 'DelayDetected' });
export type DelayDetected = z.input<typeof DelayDetected>;

export function delayDetected(
  s: Shipment,
  severity: DelaySeverity,
  d: Detection,
  location: string,
  now: Date,
) {
  const event: DelayDetected = {
    type: 'DelayDetected',
    waybill: s.waybill,
    accountId: s.accountId,
    tier: s.tier ?? 'loyal',
    segment: s.segment ?? 'other',
    severity,
    trigger: d.trigger,
    ...(d.reason ? { reason: d.reason } : {}),
    minutesLate: d.minutesLate,
    eta: s.eta,
    location,
    stockOutRisk: d.stockOutRisk === true,
    createdAt: now.toISOString(),
  };
  return event;
}
