/**
 * Complaint SLA policy: acknowledge-by and resolve-by from the account tier × the severity, on a
 * 24×7 or business-hours clock in the account's time zone. Pure functions; the state
 * (on-track / at-risk / breached) is always computed from the stored deadlines and "now".
 *
 * On the business clock a target in whole days is that many *working days*: the same local time
 * on the Nth working day (public holidays skipped, China's adjusted working days worked); a
 * target in hours counts business minutes. The README's SLA table has worked examples.
 */

import type { DateTime } from 'luxon';
import type { Tier } from '../accounts/prioritization.ts';
import { type CalendarConfig, isWorkingDay } from '../platform/calendar.ts';
import { atTime, inZone, minutesOf } from '../platform/time.ts';

export const COMPLAINT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ComplaintSeverity = (typeof COMPLAINT_SEVERITIES)[number];
export const SLA_CLOCKS = ['24x7', 'business'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];
export type SlaState = 'on-track' | 'at-risk' | 'breached';

export interface SlaTarget {
  /** Minutes (on the account's clock) to acknowledge. */
  ackMinutes: number;
  /** Minutes (on the account's clock) to resolve. */
  resolveMinutes: number;
}

const H = 60;
const D = 24 * H;

/**
 * The SLA table: tier × severity. Key accounts run on a 24×7 clock by default and get the
 * tightest targets; low-potential accounts run on business hours and measure in days.
 */
export const SLA_TABLE: Record<Tier, Record<ComplaintSeverity, SlaTarget>> = {
  key: {
    critical: { ackMinutes: 30, resolveMinutes: 8 * H },
    high: { ackMinutes: 1 * H, resolveMinutes: 24 * H },
    medium: { ackMinutes: 4 * H, resolveMinutes: 2 * D },
    low: { ackMinutes: 8 * H, resolveMinutes: 3 * D },
  },
  'high-growth': {
    critical: { ackMinutes: 1 * H, resolveMinutes: 12 * H },
    high: { ackMinutes: 2 * H, resolveMinutes: 2 * D },
    medium: { ackMinutes: 8 * H, resolveMinutes: 3 * D },
    low: { ackMinutes: 1 * D, resolveMinutes: 5 * D },
  },
  loyal: {
    critical: { ackMinutes: 2 * H, resolveMinutes: 1 * D },
    high: { ackMinutes: 4 * H, resolveMinutes: 3 * D },
    medium: { ackMinutes: 1 * D, resolveMinutes: 5 * D },
    low: { ackMinutes: 2 * D, resolveMinutes: 7 * D },
  },
  'low-potential': {
    critical: { ackMinutes: 4 * H, resolveMinutes: 2 * D },
    high: { ackMinutes: 1 * D, resolveMinutes: 5 * D },
    medium: { ackMinutes: 2 * D, resolveMinutes: 7 * D },
    low: { ackMinutes: 2 * D, resolveMinutes: 10 * D },
  },
};

export interface SlaPolicy {
  table: Record<Tier, Record<ComplaintSeverity, SlaTarget>>;
  /** Fraction of the window after which a running clock is "at risk". */
  atRiskFraction: number;
  /** Business hours, local time, Monday–Friday. */
  businessStart: string;
  businessEnd: string;
  /** Multiplies every target; below 1 shortens the clocks (demos, drills). */
  timeScale: number;
  /** Holidays and extra working days beyond the built-in China calendar (platform/calendar.ts). */
  calendar?: CalendarConfig;
}

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  table: SLA_TABLE,
  atRiskFraction: 0.75,
  businessStart: '09:00',
  businessEnd: '18:00',
  timeScale: 1,
};

/** Key accounts are served around the clock; the others on business hours unless set. */
export function defaultClock(tier: Tier): SlaClock {
  return tier === 'key' ? '24x7' : 'business';
}

export interface SlaDeadlines {
  clock: SlaClock;
  ackAtRiskAt: string;
  ackDueAt: string;
  resolveAtRiskAt: string;
  resolveDueAt: string;
  /** Resolve-by breached for half its window again, on the same clock: L3 (see resolveL3Mark). */
  resolveL3At: string;
}

/** The deadlines of a complaint opened at `openedAt`. */
export function slaDeadlines(
  tier: Tier,
  severity: ComplaintSeverity,
  openedAt: Date,
  clock: SlaClock,
  timeZone: string,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): SlaDeadlines {
  const t = policy.table[tier][severity];
  const at = (minutes: number, fraction = 1) =>
    addTarget(openedAt, minutes, fraction, clock, timeZone, policy);
  const resolveDue = at(t.resolveMinutes);
  return {
    clock,
    ackAtRiskAt: at(t.ackMinutes, policy.atRiskFraction).toISOString(),
    ackDueAt: at(t.ackMinutes).toISOString(),
    resolveAtRiskAt: at(t.resolveMinutes, policy.atRiskFraction).toISOString(),
    resolveDueAt: resolveDue.toISOString(),
    resolveL3At: resolveL3Mark(openedAt, resolveDue, clock, timeZone, policy).toISOString(),
  };
}

/**
 * When the resolve clock has been breached for half its window again (L3): half the window's
 * minutes on the complaint's own clock, added after the deadline on that clock. On the business
 * clock both are business minutes in the account's time zone, so the mark falls inside business
 * hours on a working day, never at night, on a weekend or a holiday.
 */
export function resolveL3Mark(
  openedAt: Date,
  resolveDueAt: Date,
  clock: SlaClock,
  timeZone: string,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): Date {
  const window = clockMinutesBetween(openedAt, resolveDueAt, clock, timeZone, policy);
  return addClockMinutes(resolveDueAt, window / 2, clock, timeZone, policy);
}

/**
 * Where a target (or a fraction of it) ends. Whole days on the business clock are working days;
 * a fraction of them counts the business minutes of that many working days (9 h each by default).
 */
function addTarget(
  start: Date,
  minutes: number,
  fraction: number,
  clock: SlaClock,
  timeZone: string,
  policy: SlaPolicy,
): Date {
  const wholeDays = clock === 'business' && minutes >= D && minutes % D === 0 && policy.timeScale === 1;
  if (!wholeDays)
    return addClockMinutes(start, minutes * fraction * policy.timeScale, clock, timeZone, policy);
  if (fraction === 1) return addWorkingDays(start, minutes / D, timeZone, policy);
  const dayLength = minutesOf(policy.businessEnd) - minutesOf(policy.businessStart);
  return addClockMinutes(start, (minutes / D) * dayLength * fraction, clock, timeZone, policy);
}

/**
 * The same local time `days` working days later. A start outside business hours counts from the
 * next opening; the due time keeps the time of day (so Friday 10:00 + 10 working days is the
 * Friday two weeks later, 10:00, holidays skipped).
 */
export function addWorkingDays(
  start: Date,
  days: number,
  timeZone: string,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): Date {
  let cursor = addClockMinutes(start, 0, 'business', timeZone, policy);
  let local = inZone(cursor, timeZone);
  for (let left = days, guard = 0; left > 0 && guard < 1000; guard++) {
    local = local.plus({ days: 1 });
    if (workingDay(local, timeZone, policy)) left--;
  }
  cursor = local.toJSDate();
  return cursor;
}

const workingDay = (d: DateTime, timeZone: string, policy: SlaPolicy) =>
  isWorkingDay(d.toISODate() ?? '', d.weekday, timeZone, policy.calendar);

/** The state of one clock now. */
export function clockState(atRiskAt: string, dueAt: string, now: Date): SlaState {
  const t = now.getTime();
  if (t > Date.parse(dueAt)) return 'breached';
  if (t >= Date.parse(atRiskAt)) return 'at-risk';
  return 'on-track';
}

/**
 * Adds working minutes on a clock: plain minutes on 24×7; on business hours only the minutes
 * inside business hours on working days (platform/calendar.ts) in the account's time zone count.
 */
export function addClockMinutes(
  start: Date,
  minutes: number,
  clock: SlaClock,
  timeZone: string,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): Date {
  if (clock === '24x7') return new Date(start.getTime() + minutes * 60_000);
  const open = minutesOf(policy.businessStart);
  const close = minutesOf(policy.businessEnd);
  let cursor: DateTime = inZone(start, timeZone);
  let remaining = minutes;
  for (let guard = 0; guard < 10_000; guard++) {
    const minuteOfDay = cursor.hour * 60 + cursor.minute + cursor.second / 60;
    if (!workingDay(cursor, timeZone, policy) || minuteOfDay >= close) {
      cursor = atTime(cursor.plus({ days: 1 }), policy.businessStart);
      continue;
    }
    if (minuteOfDay < open) {
      cursor = atTime(cursor, policy.businessStart);
      continue;
    }
    const available = close - minuteOfDay;
    if (remaining <= available) return new Date(cursor.toMillis() + remaining * 60_000);
    remaining -= available;
    cursor = atTime(cursor.plus({ days: 1 }), policy.businessStart);
  }
  throw new Error('addClockMinutes did not converge');
}

/**
 * The minutes a clock runs between two instants: all of them on 24×7; on business hours only
 * those inside business hours on working days in `timeZone` (the inverse of addClockMinutes).
 */
export function clockMinutesBetween(
  from: Date,
  to: Date,
  clock: SlaClock,
  timeZone: string,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): number {
  if (clock === '24x7') return Math.max(0, to.getTime() - from.getTime()) / 60_000;
  let total = 0;
  let day = inZone(from, timeZone).startOf('day');
  for (let guard = 0; guard < 10_000 && day.toMillis() < to.getTime(); guard++, day = day.plus({ days: 1 })) {
    if (!workingDay(day, timeZone, policy)) continue;
    const start = Math.max(atTime(day, policy.businessStart).toMillis(), from.getTime());
    const end = Math.min(atTime(day, policy.businessEnd).toMillis(), to.getTime());
    if (end > start) total += (end - start) / 60_000;
  }
  return total;
}
