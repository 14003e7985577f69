/**
 * Working days, for the business clock of complaint SLAs. China's public holidays and its
 * adjusted working days (调休: a Saturday or Sunday worked in exchange for a longer holiday) come
 * from `chinese-days`, a maintained package that follows the State Council's yearly notice;
 * other places are Monday to Friday, with holidays and extra working days configured per time
 * zone (SLA_HOLIDAYS, complaints/config.ts).
 *
 * A year the package has no data for yet (the notice for the next year comes out in November or
 * December) falls back to Monday–Friday; `chinaCalendarCovers` says so, and `npm update
 * chinese-days` brings the new year in.
 */
// A CommonJS (UMD) package: Node's ESM loader gives it as a default export only.
import chineseDays from 'chinese-days';
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** Time zones that follow mainland China's working calendar. */
const CHINA_ZONES = new Set([
  'Asia/Shanghai',
  'Asia/Chongqing',
  'Asia/Chungking',
  'Asia/Harbin',
  'Asia/Urumqi',
  'PRC',
]);

const coveredYears = new Set(Object.keys(data.holidays).map((d) => d.slice(0, 4)));

/** Whether the China calendar data knows `year`'s holidays. */
export const chinaCalendarCovers = (year: number) => coveredYears.has(String(year));

export interface CalendarConfig {
  /** Extra days off, by time zone: `{"Europe/Zurich": ["2026-12-25", …]}`. */
  holidays?: Record<string, string[]>;
  /** Extra working days (a weekend day worked), by time zone. */
  workdays?: Record<string, string[]>;
}

/**
 * Whether a local date (YYYY-MM-DD, in `timeZone`) is a working day. `weekday` is its ISO
 * weekday (1 Monday … 7 Sunday).
 */
export function isWorkingDay(
  date: string,
  weekday: number,
  timeZone: string,
  config: CalendarConfig = {},
): boolean {
  if (config.holidays?.[timeZone]?.includes(date)) return false;
  if (config.workdays?.[timeZone]?.includes(date)) return true;
  if (CHINA_ZONES.has(timeZone) && chinaCalendarCovers(Number(date.slice(0, 4))))
    return chineseDays.isWorkday(date);
  return weekday <= 5;
}

/**
 * The years between `now` and `days` ahead whose China working calendar nobody knows: neither
 * `chinese-days` has them yet nor does `config` list holidays for a China zone in them. The SLA
 * clock counts such a year Monday–Friday, Spring Festival included: an operator must be told
 * (the SLA escalation run counts them, an alarm notifies), before that year's due dates near.
 */
export function calendarGaps(now: Date, config: CalendarConfig = {}, days = 60): number[] {
  const first = now.getUTCFullYear();
  const last = new Date(now.getTime() + days * 86_400_000).getUTCFullYear();
  const configured = new Set(
    Object.entries(config.holidays ?? {})
      .filter(([zone]) => CHINA_ZONES.has(zone))
      .flatMap(([, list]) => list.map((d) => Number(d.slice(0, 4)))),
  );
  const gaps: number[] = [];
  for (let y = first; y <= last; y++) if (!chinaCalendarCovers(y) && !configured.has(y)) gaps.push(y);
  return gaps;
}
