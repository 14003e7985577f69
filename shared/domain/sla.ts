/**
 * Complaint SLA policy: acknowledge-by and resolve-by from the account tier × the severity, on a
 * 24×7 or business-hours clock in the account's time zone. Pure functions; the state
 * (on-track / at-risk / breached) is always computed from the stored deadlines and "now".
 */
import type { Tier } from './prioritization.ts';

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
  const add = (minutes: number) =>
    addClockMinutes(openedAt, minutes * policy.timeScale, clock, timeZone, policy).toISOString();
  return {
    clock,
    ackAtRiskAt: add(t.ackMinutes * policy.atRiskFraction),
    ackDueAt: add(t.ackMinutes),
    resolveAtRiskAt: add(t.resolveMinutes * policy.atRiskFraction),
    resolveDueAt: add(t.resolveMinutes),
  };
}

/** The state of one clock now. */
export function clockState(atRiskAt: string, dueAt: string, now: Date): SlaState {
  const t = now.getTime();
  if (t > Date.parse(dueAt)) return 'breached';
  if (t >= Date.parse(atRiskAt)) return 'at-risk';
  return 'on-track';
}

/**
 * Adds working minutes on a clock: plain minutes on 24×7; on business hours only the minutes
 * inside Monday–Friday business hours in the account's time zone count.
 */
export function addClockMinutes(
  start: Date,
  minutes: number,
  clock: SlaClock,
  timeZone: string,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): Date {
  if (clock === '24x7') return new Date(start.getTime() + minutes * 60_000);
  const [sh, sm] = policy.businessStart.split(':').map(Number) as [number, number];
  const [eh, em] = policy.businessEnd.split(':').map(Number) as [number, number];
  const open = sh * 60 + sm;
  const close = eh * 60 + em;
  let cursor = start;
  let remaining = minutes;
  for (let guard = 0; guard < 10_000; guard++) {
    const local = localParts(cursor, timeZone);
    const minuteOfDay = local.hour * 60 + local.minute + local.second / 60;
    const weekday = local.weekday >= 1 && local.weekday <= 5;
    if (!weekday || minuteOfDay >= close) {
      cursor = zonedTime(local.year, local.month, local.day + 1, sh, sm, timeZone);
      continue;
    }
    if (minuteOfDay < open) {
      cursor = zonedTime(local.year, local.month, local.day, sh, sm, timeZone);
      continue;
    }
    const available = close - minuteOfDay;
    if (remaining <= available) return new Date(cursor.getTime() + remaining * 60_000);
    remaining -= available;
    cursor = zonedTime(local.year, local.month, local.day + 1, sh, sm, timeZone);
  }
  throw new Error('addClockMinutes did not converge');
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localParts(d: Date, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(d)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS[p.weekday ?? 'Mon'] ?? 1,
  };
}

/** The instant at a local wall time in a time zone (day may overflow; DST-safe by iteration). */
export function zonedTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const l = localParts(new Date(guess), timeZone);
    const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
    guess += wall - asUtc;
  }
  return new Date(guess);
}
