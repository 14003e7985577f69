import { DateTime } from 'luxon';

/**
 * The book's weeks: ISO weeks (Monday to Sunday) in the operator's time zone, named `2026-W48`.
 * Aggregates, the churn score and the cockpit all count in these weeks.
 */
export const BOOK_ZONE = 'Asia/Shanghai';

const WEEK = /^(\d{4})-W(\d{2})$/;

/** The week an instant falls in. */
export function weekOf(at: Date | string, zone = BOOK_ZONE): string {
  const d = DateTime.fromJSDate(typeof at === 'string' ? new Date(at) : at, { zone });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

/** Monday 00:00 of a week, as an instant. */
export function weekStart(week: string, zone = BOOK_ZONE): Date {
  const m = WEEK.exec(week);
  if (!m) throw new Error(`not a week: ${week}`);
  return DateTime.fromObject(
    { weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 },
    { zone },
  ).toJSDate();
}

const added = new Map<string, string>();

/** The week `n` weeks after (negative: before) `week` (remembered: the cockpit asks thousands of times). */
export function addWeeks(week: string, n: number, zone = BOOK_ZONE): string {
  const key = `${week}|${n}|${zone}`;
  let out = added.get(key);
  if (out === undefined) {
    out = weekOf(DateTime.fromJSDate(weekStart(week, zone), { zone }).plus({ weeks: n }).toJSDate(), zone);
    if (added.size > 100_000) added.clear();
    added.set(key, out);
  }
  return out;
}

/** The `count` weeks ending with `last`, oldest first. */
export function weeksEnding(last: string, count: number, zone = BOOK_ZONE): string[] {
  return Array.from({ length: count }, (_, i) => addWeeks(last, i - count + 1, zone));
}

const between = new Map<string, number>();

/** Whole weeks from `a` to `b` (positive when `b` is later). */
export function weeksBetween(a: string, b: string, zone = BOOK_ZONE): number {
  const key = `${a}|${b}|${zone}`;
  let out = between.get(key);
  if (out === undefined) {
    out = Math.round((weekStart(b, zone).getTime() - weekStart(a, zone).getTime()) / (7 * 86_400_000));
    if (between.size > 100_000) between.clear();
    between.set(key, out);
  }
  return out;
}
