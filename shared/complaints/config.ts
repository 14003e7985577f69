import type { CalendarConfig } from '../platform/calendar.ts';
import { ComplaintEnv, loadEnv } from '../platform/config.ts';
import type { ComplaintPolicy } from './lifecycle.ts';
import { DEFAULT_SLA_POLICY } from './sla.ts';

/** The complaint policy from the environment (SLA time scale, reopen window, follow-up delay). */
export function complaintPolicyFromEnv(source: NodeJS.ProcessEnv = process.env): ComplaintPolicy {
  const env = loadEnv(ComplaintEnv, source);
  return {
    sla: { ...DEFAULT_SLA_POLICY, timeScale: env.SLA_TIME_SCALE, calendar: calendarOf(env.SLA_CALENDAR) },
    reopenWindowMinutes: env.REOPEN_WINDOW_MINUTES,
    followUpDelayMinutes: env.FOLLOW_UP_DELAY_MINUTES,
  };
}

const dates = (v: unknown): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(typeof v === 'object' && v ? v : {}).map(([zone, list]) => [
      zone,
      Array.isArray(list)
        ? list.filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d))
        : [],
    ]),
  );

/** The configured holidays and extra working days, per time zone (platform/calendar.ts). */
function calendarOf(v: unknown): CalendarConfig {
  const o = (typeof v === 'object' && v ? v : {}) as { holidays?: unknown; workdays?: unknown };
  return { holidays: dates(o.holidays), workdays: dates(o.workdays) };
}
