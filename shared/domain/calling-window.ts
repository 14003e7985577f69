import { localParts, zonedTime } from './sla.ts';

/**
 * A calling window, evaluated in each contact's own time zone: days of the week, a local start
 * and end (an end before the start spans midnight, e.g. 20:00–02:00), and holiday dates on which
 * nobody is called.
 */
export interface CallingWindow {
  /** ISO weekdays the window opens on, 1 = Monday … 7 = Sunday (for a midnight-spanning window, the day it opens). */
  days: number[];
  start: string;
  end: string;
  /** Local dates (YYYY-MM-DD) with no calls. */
  holidays?: string[];
}

/** The default window for calling a client back: Monday–Saturday, 09:00–20:00 local time. */
export const DEFAULT_CALLING_WINDOW: CallingWindow = {
  days: [1, 2, 3, 4, 5, 6],
  start: '09:00',
  end: '20:00',
  holidays: [],
};

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};
const isoDate = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Whether `at` falls inside the window, in `timeZone`. */
export function inWindow(at: Date, timeZone: string, w: CallingWindow): boolean {
  const l = localParts(at, timeZone);
  const minute = l.hour * 60 + l.minute;
  const start = minutesOf(w.start);
  const end = minutesOf(w.end);
  const holidays = new Set(w.holidays ?? []);
  if (start < end) {
    return (
      w.days.includes(l.weekday) &&
      !holidays.has(isoDate(l.year, l.month, l.day)) &&
      minute >= start &&
      minute < end
    );
  }
  // Midnight-spanning: the evening part belongs to today, the early-morning part to yesterday.
  if (minute >= start) return w.days.includes(l.weekday) && !holidays.has(isoDate(l.year, l.month, l.day));
  if (minute < end) {
    const y = localParts(new Date(at.getTime() - 86_400_000), timeZone);
    return w.days.includes(y.weekday) && !holidays.has(isoDate(y.year, y.month, y.day));
  }
  return false;
}

/** The first instant at or after `at` inside the window (scanning up to 15 days ahead). */
export function nextInWindow(at: Date, timeZone: string, w: CallingWindow = DEFAULT_CALLING_WINDOW): Date {
  if (inWindow(at, timeZone, w)) return at;
  const [sh, sm] = w.start.split(':').map(Number) as [number, number];
  for (let i = 0; i <= 15; i++) {
    const l = localParts(new Date(at.getTime() + i * 86_400_000), timeZone);
    const opening = zonedTime(l.year, l.month, l.day, sh, sm, timeZone);
    if (opening.getTime() >= at.getTime() && inWindow(opening, timeZone, w)) return opening;
  }
  throw new Error('the calling window does not open in the next 15 days');
}

/** The local date of an instant in a time zone, for daily caps. */
export function localDate(at: Date, timeZone: string): string {
  const l = localParts(at, timeZone);
  return isoDate(l.year, l.month, l.day);
}

/** A time zone for a number whose contact has none, from its country calling code. */
export function timeZoneForPhone(e164: string, fallback = 'Asia/Shanghai'): string {
  const byPrefix: [string, string][] = [
    ['+852', 'Asia/Hong_Kong'],
    ['+853', 'Asia/Macau'],
    ['+886', 'Asia/Taipei'],
    ['+86', 'Asia/Shanghai'],
    ['+81', 'Asia/Tokyo'],
    ['+82', 'Asia/Seoul'],
    ['+65', 'Asia/Singapore'],
    ['+60', 'Asia/Kuala_Lumpur'],
    ['+66', 'Asia/Bangkok'],
    ['+84', 'Asia/Ho_Chi_Minh'],
    ['+91', 'Asia/Kolkata'],
    ['+61', 'Australia/Sydney'],
    ['+44', 'Europe/London'],
    ['+41', 'Europe/Zurich'],
    ['+49', 'Europe/Berlin'],
    ['+33', 'Europe/Paris'],
    ['+31', 'Europe/Amsterdam'],
    ['+39', 'Europe/Rome'],
    ['+34', 'Europe/Madrid'],
    ['+1', 'America/New_York'],
  ];
  return byPrefix.find(([p]) => e164.startsWith(p))?.[1] ?? fallback;
}
