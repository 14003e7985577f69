import { localParts, zonedTime } from './sla.ts';

export interface CallingWindow {
  /** ISO weekdays the window is open, 1 = Monday … 7 = Sunday. */
  days: number[];
  start: string;
  end: string;
}

/** The default window for calling a client back: Monday–Saturday, 09:00–20:00 local time. */
export const DEFAULT_CALLING_WINDOW: CallingWindow = {
  days: [1, 2, 3, 4, 5, 6],
  start: '09:00',
  end: '20:00',
};

/** The first instant at or after `at` that falls inside the window, in the contact's time zone. */
export function nextInWindow(
  at: Date,
  timeZone: string,
  window: CallingWindow = DEFAULT_CALLING_WINDOW,
): Date {
  const [sh, sm] = window.start.split(':').map(Number) as [number, number];
  const [eh, em] = window.end.split(':').map(Number) as [number, number];
  let cursor = at;
  for (let i = 0; i < 14; i++) {
    const l = localParts(cursor, timeZone);
    const minute = l.hour * 60 + l.minute;
    if (window.days.includes(l.weekday) && minute >= sh * 60 + sm && minute < eh * 60 + em) return cursor;
    if (window.days.includes(l.weekday) && minute < sh * 60 + sm)
      return zonedTime(l.year, l.month, l.day, sh, sm, timeZone);
    cursor = zonedTime(l.year, l.month, l.day + 1, sh, sm, timeZone);
    if (window.days.includes(localParts(cursor, timeZone).weekday)) return cursor;
  }
  throw new Error('the calling window has no open day');
}
