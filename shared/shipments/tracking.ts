/**
 * Tracking, pure: what a scan does to a shipment (the next state, a delay detected or cleared, a
 * delay to announce), when the watchdog must look at a shipment nobody scanned, and what it
 * concludes then.
 */
import { both, type Lang } from '../platform/messages/index.ts';
import { applyDetection, type Detection, detectDelay, type TrackingEvent } from './delay.ts';
import {
  type DelaySeverity,
  type DeliveryOutcome,
  type Milestone,
  promiseRunsOutAt,
  type Shipment,
} from './model.ts';

/** Hours without a scan after which an in-transit shipment counts as stagnant. */
export const STAGNATION_HOURS = 12;
/** After the watchdog looked, the next look is this much later (not every run). */
export const RECHECK_HOURS = 6;

/** How far ahead of the time it is received a scan may be dated (a scanner's clock a little fast). */
export const MAX_SCAN_AHEAD_MINUTES = 15;
/** How far back a scan may be dated: no TMS backlog replays a year; older is a typed year (0001). */
export const MAX_SCAN_AGE_DAYS = 365;
/** How far after its scan a carrier's ETA may be: the longest leg is weeks; 2062 for 2026 is a typo. */
export const MAX_ETA_AFTER_SCAN_DAYS = 180;
/** How far before its scan a carrier's ETA may be (an ETA the carrier has not updated yet). */
export const MAX_ETA_BEFORE_SCAN_HOURS = 24;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Why an event's times are refused: the field, and the reason in both languages. */
export interface TimeRefusal {
  path: 'at' | 'carrierEta';
  reason: Record<Lang, string>;
}

/**
 * Why an event's times are refused, or undefined when they are not. A scan dated ahead of the
 * time it is received would be the newest event for good (every real scan after it stale); one
 * older than MAX_SCAN_AGE_DAYS is a typed year. A carrier ETA more than MAX_ETA_AFTER_SCAN_DAYS
 * after its scan, or more than MAX_ETA_BEFORE_SCAN_HOURS before it, is a typed date that would
 * raise (or hide) a delay.
 */
export function scanTimeRefused(
  e: Pick<TrackingEvent, 'at' | 'carrierEta'>,
  now: Date,
): TimeRefusal | undefined {
  const receivedAt = now.toISOString();
  const dated = datedOutOfBounds(e.at, now);
  if (dated?.bound === 'ahead') {
    const p = { at: e.at, minutes: dated.minutes, receivedAt, max: MAX_SCAN_AHEAD_MINUTES };
    return { path: 'at', reason: both('tracking.at-ahead', p) };
  }
  if (dated?.bound === 'too-old') {
    const p = { at: e.at, days: dated.days, receivedAt, max: MAX_SCAN_AGE_DAYS };
    return { path: 'at', reason: both('tracking.at-too-old', p) };
  }
  if (e.carrierEta === undefined) return undefined;
  const eta = expectedOutOfBounds(e.carrierEta, e.at);
  if (eta?.bound === 'too-far') {
    const p = { eta: e.carrierEta, days: eta.days, at: e.at, max: MAX_ETA_AFTER_SCAN_DAYS };
    return { path: 'carrierEta', reason: both('tracking.eta-too-far', p) };
  }
  if (eta?.bound === 'before') {
    const p = { eta: e.carrierEta, hours: eta.hours, at: e.at, max: MAX_ETA_BEFORE_SCAN_HOURS };
    return { path: 'carrierEta', reason: both('tracking.eta-before-scan', p) };
  }
  return undefined;
}

/**
 * A time a feed dated something at (a scan, a booking), against when it was received: ahead by
 * more than MAX_SCAN_AHEAD_MINUTES, or back by more than MAX_SCAN_AGE_DAYS; undefined when plausible.
 */
export function datedOutOfBounds(
  at: string,
  now: Date,
): { bound: 'ahead'; minutes: number } | { bound: 'too-old'; days: number } | undefined {
  const ahead = Date.parse(at) - now.getTime();
  if (ahead > MAX_SCAN_AHEAD_MINUTES * 60_000) return { bound: 'ahead', minutes: Math.ceil(ahead / 60_000) };
  if (-ahead > MAX_SCAN_AGE_DAYS * DAY) return { bound: 'too-old', days: Math.floor(-ahead / DAY) };
  return undefined;
}

/**
 * An expected time (a carrier ETA, a promise) against the time it was given at: more than
 * MAX_ETA_AFTER_SCAN_DAYS after it, or more than MAX_ETA_BEFORE_SCAN_HOURS before it (a typed date).
 */
export function expectedOutOfBounds(
  value: string,
  at: string,
): { bound: 'too-far'; days: number } | { bound: 'before'; hours: number } | undefined {
  const after = Date.parse(value) - Date.parse(at);
  if (after > MAX_ETA_AFTER_SCAN_DAYS * DAY) return { bound: 'too-far', days: Math.floor(after / DAY) };
  if (-after > MAX_ETA_BEFORE_SCAN_HOURS * HOUR) return { bound: 'before', hours: Math.floor(-after / HOUR) };
  return undefined;
}

/**
 * How milestones follow each other, for scans dated the same instant (a scanner that records whole
 * seconds): the later milestone is the newer news. An exception may come at any stage and holds the
 * shipment, so it follows every move; delivered comes last.
 */
const PROGRESSION: Record<Milestone, number> = {
  'picked-up': 0,
  departed: 1,
  'arrived-at-hub': 2,
  customs: 3,
  'out-for-delivery': 4,
  exception: 5,
  delivered: 6,
};

/** Scans in the order they happened: by instant (whatever the UTC offset), then by progression. */
export function compareScans(
  a: { at: string; milestone: Milestone },
  b: { at: string; milestone: Milestone },
): number {
  return Date.parse(a.at) - Date.parse(b.at) || PROGRESSION[a.milestone] - PROGRESSION[b.milestone];
}

/**
 * A scan older than the newest event applied: strictly earlier, or dated the same instant with an
 * earlier milestone. Two scans of one instant both apply, the later milestone last; the same scan
 * delivered twice is caught by its event id, not here.
 */
function olderThanNewest(current: Shipment, e: TrackingEvent): boolean {
  if (!current.lastEventAt) return false;
  const last = current.milestones.at(-1);
  const newest =
    last && Date.parse(last.at) === Date.parse(current.lastEventAt)
      ? last
      : { at: current.lastEventAt, milestone: e.milestone };
  return compareScans(e, newest) < 0;
}

export type ScanDecision =
  /**
   * Kept as history, the state is not touched: older than the newest event applied
   * (`olderThanNewest`), or after the delivery with nothing to correct (`afterDelivery`).
   */
  { kind: 'stale' } | { kind: 'applied'; next: Shipment; announce?: DelaySeverity; detection: Detection };

const NOTHING_DETECTED: Detection = { delayed: false, minutesLate: 0, trigger: 'none' };

/**
 * A scan after the delivery: history. The shipment stays delivered, its delay, milestones and
 * due time as they are, and the client hears of no delay on goods it already has. A damage report
 * (concealed damage found after the POD) corrects how the goods arrived: damaged, not error-free.
 */
function afterDelivery(current: Shipment, e: TrackingEvent, now: Date): ScanDecision {
  const d = current.delivery;
  if (!d || e.milestone !== 'exception' || e.reason !== 'damage' || d.undamaged === false) {
    return { kind: 'stale' };
  }
  const next: Shipment = {
    ...current,
    delivery: { ...d, undamaged: false, errorFree: false },
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  return { kind: 'applied', next, detection: NOTHING_DETECTED };
}

/**
 * How the goods arrived: what the delivered event reports, each part met unless it says not; a
 * damage exception on the way counts as damaged unless the delivery says the goods arrived whole.
 */
function deliveryOutcome(current: Shipment, e: TrackingEvent): DeliveryOutcome {
  const r = e.delivery ?? {};
  const damagedOnTheWay = current.milestones.some(
    (m) => m.milestone === 'exception' && m.reason === 'damage',
  );
  const undamaged = r.undamaged ?? !damagedOnTheWay;
  const rightDestination = r.rightDestination ?? true;
  const paperworkComplete = r.paperworkComplete ?? true;
  return {
    deliveredAt: e.at,
    complete: r.complete ?? true,
    undamaged,
    rightDestination,
    paperworkComplete,
    errorFree: undamaged && rightDestination && paperworkComplete,
    ...(r.podReference ? { podReference: r.podReference } : {}),
  };
}

export function applyScan(current: Shipment, e: TrackingEvent, now: Date): ScanDecision {
  if (olderThanNewest(current, e)) return { kind: 'stale' };
  if (current.status === 'delivered') return afterDelivery(current, e, now);
  const next: Shipment = {
    ...current,
    milestones: [
      ...current.milestones,
      { milestone: e.milestone, at: e.at, location: e.location, ...(e.reason ? { reason: e.reason } : {}) },
    ].slice(-50),
    status:
      e.milestone === 'delivered' ? 'delivered' : e.milestone === 'exception' ? 'exception' : 'in-transit',
    eta: e.carrierEta ?? current.eta,
    // The newest scan names who has the goods and how to reach them.
    ...(e.carrier ? { carrier: e.carrier } : {}),
    ...(e.driver ? { driver: e.driver } : {}),
    lastEventAt: e.at,
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  if (e.milestone === 'delivered') {
    next.delivery = deliveryOutcome(current, e);
    delete next.nextMilestoneDueAt;
  } else {
    next.nextMilestoneDueAt = new Date(Date.parse(e.at) + STAGNATION_HOURS * 3_600_000).toISOString();
  }
  markOverdue(next, now);
  const detection = detectDelay(next, next.tier ?? 'loyal', now, next.delayToleranceMinutes);
  const { delay, announce } = applyDetection(current.delay, detection, now);
  if (delay) next.delay = delay;
  else delete next.delay;
  return { kind: 'applied', next, detection, ...(announce ? { announce } : {}) };
}

/**
 * Records, once, that an open shipment is past its promise plus tolerance (`overdueAt`, the time
 * it was seen so): it can no longer arrive on time, and counts as not on time in its promise week
 * from then on (analytics/facts.ts), not only when it arrives.
 */
function markOverdue(s: Shipment, now: Date): void {
  if (s.status !== 'delivered' && !s.overdueAt && promiseRunsOutAt(s) <= now.getTime())
    s.overdueAt = now.toISOString();
}

/**
 * The delay rules watch the promise while the shipment has no delay, or one cleared before the
 * promise ran out; a delay cleared after it (the agent cleared it knowingly) or an open one
 * (already announced) leaves them to the milestone's due time.
 */
function promiseWatched(s: Shipment, runsOut: number): boolean {
  return (
    !s.delay || (s.delay.state === 'cleared' && Date.parse(s.delay.clearedAt ?? s.delay.detectedAt) < runsOut)
  );
}

/**
 * When the watchdog must next look at an open shipment: when its next milestone is due (no scan
 * since), or when its promise plus the account's tolerance runs out, whichever is first (seed 001:
 * a shipment that cannot arrive on time is told to the client at once, not 12 hours after its last
 * scan). The promise counts until a delay is recorded on or after it (`promiseWatched`), and in
 * any case until the shipment is recorded overdue (`overdueAt`), which an open delay announced
 * before the promise does not do. Undefined for a delivered shipment. The repository indexes
 * shipments by it.
 */
export function watchdogDueAt(s: Shipment): string | undefined {
  if (s.status === 'delivered') return undefined;
  const runsOut = promiseRunsOutAt(s);
  const times = [
    ...(s.nextMilestoneDueAt ? [Date.parse(s.nextMilestoneDueAt)] : []),
    ...(promiseWatched(s, runsOut) || !s.overdueAt ? [runsOut] : []),
  ];
  return times.length ? new Date(Math.min(...times)).toISOString() : undefined;
}

/**
 * The watchdog's look at a shipment whose due time (`watchdogDueAt`) has come: its next milestone
 * is overdue, or its promise ran out. A delay is detected by the delay rules (`overdue` for a
 * passed promise, `stagnation` for a missing scan alone) and announced when new or worse; after a
 * look at an overdue milestone the next look is RECHECK_HOURS later. Undefined when nothing is
 * due any more (a scan or an earlier run moved it on) or it was delivered. The watchdog only
 * raises delays; clearing is for scans, delivery or the agent. A look past the promise records the
 * shipment overdue (`markOverdue`).
 */
export function stagnationCheck(
  current: Shipment,
  now: Date,
): { next: Shipment; announce?: DelaySeverity; detection: Detection } | undefined {
  const due = watchdogDueAt(current);
  if (!due || Date.parse(due) > now.getTime()) return undefined;
  const stagnant =
    current.nextMilestoneDueAt !== undefined && Date.parse(current.nextMilestoneDueAt) <= now.getTime();
  const next: Shipment = {
    ...current,
    ...(stagnant
      ? { nextMilestoneDueAt: new Date(now.getTime() + RECHECK_HOURS * 3_600_000).toISOString() }
      : {}),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  markOverdue(next, now);
  // Due only to record the passed promise (a delay already announced, or cleared knowingly): the
  // delay stays as it is and nothing is announced again.
  if (!stagnant && !promiseWatched(current, promiseRunsOutAt(current)))
    return { next, detection: NOTHING_DETECTED };
  const detection = detectDelay(current, current.tier ?? 'loyal', now, current.delayToleranceMinutes);
  if (!detection.delayed) return { next, detection };
  const { delay, announce } = applyDetection(current.delay, detection, now);
  if (delay) next.delay = delay;
  return { next, detection, ...(announce ? { announce } : {}) };
}
