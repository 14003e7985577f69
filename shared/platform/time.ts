/**
 * Local time, through Luxon: weekly windows in a person's own time zone (calling windows, quiet
 * hours, business hours), local dates, and the time zone of a number whose contact set none.
 * Wall-clock arithmetic (a next day's opening, a DST change) is Luxon's, never hand-written.
 */
import { DateTime, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

/**
 * A weekly window in local time: the days it opens on, a start and an end (an end before the
 * start spans midnight, e.g. 20:00–02:00), and local dates on which it stays shut.
 */
export interface WeeklyWindow {
  /** ISO weekdays, 1 = Monday … 7 = Sunday (for a midnight-spanning window, the day it opens). */
  days: number[];
  start: string;
  end: string;
  /** Local dates (YYYY-MM-DD) on which the window does not open. */
  holidays?: string[];
}

/** Every day of the week, for windows that know no weekday (quiet hours). */
export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

const knownZones = new Set<string>();

/**
 * Whether a string names an IANA zone. Luxon answers by building an Intl.DateTimeFormat each
 * time (about a millisecond); an import checks the same few zones thousands of times, so a zone
 * found valid is remembered (the set is bounded by the IANA list itself).
 */
export function isTimeZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  const valid = IANAZone.isValidZone(zone);
  if (valid) knownZones.add(zone);
  return valid;
}

const QUARTER_HOUR = 15 * 60_000;

/**
 * An IANA zone whose offsets are remembered per UTC quarter hour. Luxon asks Intl for the offset
 * on every computation (formatToParts, some 10 µs); the SLA clock and calling windows make
 * hundreds per answer. Every offset in the IANA database is a whole number of quarter hours and
 * changes only at a local whole or half hour, so a transition always falls on a UTC quarter hour:
 * within one quarter hour the offset cannot change, and the memo is exact.
 */
class QuarterHourZone extends Zone {
  private readonly offsets = new Map<number, number>();
  constructor(private readonly zone: IANAZone) {
    super();
  }
  override get type() {
    return 'iana';
  }
  override get name() {
    return this.zone.name;
  }
  get ianaName() {
    return this.zone.name;
  }
  override get isUniversal() {
    return false;
  }
  override get isValid() {
    return this.zone.isValid;
  }
  override offsetName(ts: number, opts: ZoneOffsetOptions) {
    return this.zone.offsetName(ts, opts);
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat) {
    return this.zone.formatOffset(ts, format);
  }
  override offset(ts: number): number {
    const q = Math.floor(ts / QUARTER_HOUR);
    let o = this.offsets.get(q);
    if (o === undefined) {
      if (this.offsets.size > 100_000) this.offsets.clear();
      o = this.zone.offset(ts);
      this.offsets.set(q, o);
    }
    return o;
  }
  override equals(other: Zone) {
    return other.type === 'iana' && other.name === this.name;
  }
}

const zones = new Map<string, Zone>();

/** The zone to give Luxon for an IANA name: a memoizing one when valid, the name otherwise. */
function zoneOf(name: string): Zone | string {
  const known = zones.get(name);
  if (known) return known;
  const iana = IANAZone.create(name);
  if (!iana.isValid) return name; // Luxon reports it; not remembered, so the map stays the IANA list's size
  const z = new QuarterHourZone(iana);
  zones.set(name, z);
  return z;
}

/** An instant as a wall-clock time in a zone. */
export const inZone = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone: zoneOf(zone) });

/** Minutes after local midnight of `HH:MM`. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** The same local day at `HH:MM` (seconds zero). */
export function atTime(day: DateTime, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/** The local date (YYYY-MM-DD) of an instant in a zone, for daily caps and holidays. */
export function localDate(at: Date, zone: string): string {
  return inZone(at, zone).toISODate() ?? '';
}

/** Whether `at` falls inside the window, in `zone`. */
export function inWindow(at: Date, zone: string, w: WeeklyWindow): boolean {
  const l = inZone(at, zone);
  const minute = l.hour * 60 + l.minute;
  const start = minutesOf(w.start);
  const end = minutesOf(w.end);
  const opens = (d: DateTime) =>
    w.days.includes(d.weekday) && !(w.holidays ?? []).includes(d.toISODate() ?? '');
  if (start < end) return opens(l) && minute >= start && minute < end;
  // Midnight-spanning: the evening part belongs to today, the early-morning part to yesterday.
  if (minute >= start) return opens(l);
  if (minute < end) return opens(l.minus({ days: 1 }));
  return false;
}

/** How far ahead a window's next opening is looked for. */
export const WINDOW_HORIZON_DAYS = 15;

/**
 * The first instant at or after `at` inside the window, looking `WINDOW_HORIZON_DAYS` ahead;
 * undefined when it does not open in that time (every open day a holiday, say).
 */
export function nextOpening(at: Date, zone: string, w: WeeklyWindow): Date | undefined {
  if (inWindow(at, zone, w)) return at;
  const base = inZone(at, zone);
  for (let i = 0; i <= WINDOW_HORIZON_DAYS; i++) {
    const opening = atTime(base.plus({ days: i }), w.start);
    if (opening.toMillis() >= at.getTime() && inWindow(opening.toJSDate(), zone, w))
      return opening.toJSDate();
  }
  return undefined;
}

/** A window that does not open in the time looked ahead (see nextOpening). */
export class WindowNeverOpens extends Error {
  constructor() {
    super(`the window does not open in the next ${WINDOW_HORIZON_DAYS} days`);
    this.name = 'WindowNeverOpens';
  }
}

/** The next opening (nextOpening), or WindowNeverOpens thrown where no caller can act on it. */
export function nextInWindow(at: Date, zone: string, w: WeeklyWindow): Date {
  const next = nextOpening(at, zone, w);
  if (!next) throw new WindowNeverOpens();
  return next;
}

/** A time zone for a number whose contact has none, from its country calling code. */
export function timeZoneForPhone(e164: string, fallback = 'Asia/Shanghai'): string {
  return ZONE_BY_PREFIX.find(([p]) => e164.startsWith(p))?.[1] ?? fallback;
}

const ZONE_BY_PREFIX: [string, string][] = [
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
