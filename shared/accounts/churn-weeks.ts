/**
 * An account's weeks as the churn policy reads them: the counts the aggregates keep, the empty
 * weeks between, and a week as it was known at a given week (what the backtest may see).
 */
import { addWeeks, weeksBetween } from '../analytics/weeks.ts';

/** One account's week, as the aggregates keep it (shared/analytics/aggregates.ts). */
export interface WeekFacts {
  week: string;
  /** Shipments picked up this week. */
  shipments: number;
  delivered: number;
  /** Due this week, still on the road past the promise: not on time (absent on older weeks: 0). */
  overdue?: number;
  onTime: number;
  perfect: number;
  complaints: number;
  breaches: number;
  /** Calls with the account either way: inbound, and outbound that reached someone. */
  contacts: number;
  followUps: number;
  satisfactionSum: number;
  /** The share of wallet last recorded in or before this week. */
  shareOfWallet?: number;
  /** What of the counts became known only in a later week, by that week (aggregates.ts). */
  knownLater?: Record<string, Partial<Record<Counted, number>>>;
}

type Counted = Exclude<keyof WeekFacts, 'week' | 'shareOfWallet' | 'knownLater'>;

/**
 * A week as it was known by the end of `asOf`: the counts learnt in a later week taken off (a
 * delivery back-dated to its promise week, a breach to its due week). The backtest reads every
 * week so, never with what the policy could not have seen then.
 */
export function knownBy(w: WeekFacts, asOf: string): WeekFacts {
  const { knownLater, ...out } = w;
  for (const [week, add] of Object.entries(knownLater ?? {})) {
    if (week <= asOf) continue;
    for (const [k, v] of Object.entries(add) as [Counted, number][]) out[k] = (out[k] ?? 0) - v;
  }
  return out;
}

/** An empty week: what a week without any recorded fact counts as. */
export const emptyWeek = (week: string): WeekFacts => ({
  week,
  shipments: 0,
  delivered: 0,
  onTime: 0,
  perfect: 0,
  complaints: 0,
  breaches: 0,
  contacts: 0,
  followUps: 0,
  satisfactionSum: 0,
});

/**
 * The weeks from `first` to `last`, one entry each: recorded weeks as they are, the others empty,
 * the share of wallet carried forward from the last week that recorded one.
 */
export function fillWeeks(recorded: readonly WeekFacts[], first: string, last: string): WeekFacts[] {
  const byWeek = new Map(recorded.map((w) => [w.week, w]));
  const out: WeekFacts[] = [];
  let share: number | undefined;
  for (let i = 0; i <= weeksBetween(first, last); i++) {
    const week = addWeeks(first, i);
    const w = { ...(byWeek.get(week) ?? emptyWeek(week)) };
    if (w.shareOfWallet === undefined && share !== undefined) w.shareOfWallet = share;
    share = w.shareOfWallet;
    out.push(w);
  }
  return out;
}
