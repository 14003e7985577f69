/**
 * Half a year of the demo book's weekly aggregates, with a story a new user can read in the
 * cockpit: most accounts steady; Beichen Lighting drifts (volume, on-time, complaints, share) and
 * is lost five weeks ago; Dongfang Electric is lost two weeks ago without warning (acquired by a
 * group with its own fleet); Qingquan Beverages dips, is called, and recovers; Cuile Snacks is
 * drifting now; Anxin Medical's on-time rate is slipping. Deterministic: the same weeks every run.
 */
import { churnRisk, fillWeeks } from '#shared/accounts/churn.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { normalizePhone } from '#shared/accounts/phone.ts';
import { derivePrioritization } from '#shared/accounts/prioritization.ts';
import {
  type AccountWeek,
  emptyAccountWeek,
  type WeeklyAggregates,
  weekFacts,
} from '#shared/analytics/aggregates.ts';
import { regionOfNumber } from '#shared/analytics/regions.ts';
import { addWeeks, weekOf } from '#shared/analytics/weeks.ts';
import { DEMO_ACCOUNTS } from './accounts.ts';

/** Weeks of history before the current week. */
export const HISTORY_WEEKS = 26;

/** The accounts the demo loses, and when (weeks before the current one) and why. */
export const DEMO_LOSSES: Record<string, { weeksAgo: number; reason: string }> = {
  'acc-beichen-lighting': {
    weeksAgo: 5,
    reason:
      '连续延误后将华北线路转给竞争对手 · Moved its northern lanes to a competitor after repeated delays',
  },
  'acc-dongfang-electric': {
    weeksAgo: 2,
    reason: '被自有车队的集团收购 · Acquired by a group with its own fleet',
  },
};

/** The demo book's key-account managers, as the account-managers group would list them. */
export const DEMO_MANAGERS = [
  { name: '王建国', email: 'wang.jianguo@keyline.local' },
  { name: '陈静', email: 'chen.jing@keyline.local' },
  { name: '刘强', email: 'liu.qiang@keyline.local' },
  { name: '孙悦', email: 'sun.yue@keyline.local' },
  { name: '郑伟', email: 'zheng.wei@keyline.local' },
  { name: '吴海燕', email: 'wu.haiyan@keyline.local' },
];

/** How an account's week departs from its steady self: `i` weeks after the first of the history. */
type Shape = (i: number) => {
  volume?: number;
  onTime?: number;
  complaints?: number;
  satisfaction?: number;
  share?: number;
};

const STORIES: Record<string, Shape> = {
  // Drifts from week 10, lost at week 21 (5 weeks before now).
  'acc-beichen-lighting': (i) =>
    i < 10
      ? {}
      : {
          volume: Math.max(0.35, 1 - (i - 9) * 0.07),
          onTime: 0.9 - (i - 10) * 0.01,
          complaints: 0.8,
          satisfaction: 2.5,
          share: 0.5 - (i - 10) * 0.03,
        },
  // Dips at weeks 11–15 (flagged), retention calls, back to normal from 16.
  'acc-qingquan-beverages': (i) =>
    i >= 11 && i <= 15 ? { volume: 0.45, onTime: 0.86, complaints: 1.2, satisfaction: 2.5 } : {},
  // Drifting over the last seven weeks.
  'acc-cuile-snacks': (i) =>
    i >= HISTORY_WEEKS - 7
      ? { volume: 1 - (i - (HISTORY_WEEKS - 8)) * 0.1, complaints: 1.2, satisfaction: 2.5, onTime: 0.9 }
      : {},
  // On-time slipping over the last five weeks.
  'acc-anxin-medical': (i) => (i >= HISTORY_WEEKS - 5 ? { onTime: 0.88 } : {}),
};

/** A small deterministic generator (mulberry32), seeded per account and week. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A count drawn around `mean` (a Poisson draw, small means). */
function draw(rnd: () => number, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  for (let p = rnd(); p > l; p *= rnd()) k++;
  return k;
}

const CATEGORIES = ['delay', 'delay', 'damage', 'short-shipment', 'billing', 'service-attitude'] as const;
const SEVERITIES = ['low', 'medium', 'medium', 'high', 'critical'] as const;
const HOURS = ['09', '10', '10', '11', '14', '15', '15', '16', '17', '20'];

/** The demo book's history: one AccountWeek per account and week, churn scored week by week. */
export function demoHistory(now: Date): AccountWeek[] {
  const current = weekOf(now);
  const first = addWeeks(current, -HISTORY_WEEKS);
  const out: AccountWeek[] = [];
  DEMO_ACCOUNTS.forEach((raw, ai) => {
    const a = AccountInput.parse(raw);
    const { tier, reviewQuadrant: quadrant } = derivePrioritization(a.economics);
    const steady = Math.min(60, Math.max(3, Math.round(a.economics.yearlyFrequency / 52)));
    const lost = DEMO_LOSSES[raw.id];
    const weeks = lost ? HISTORY_WEEKS - lost.weeksAgo : HISTORY_WEEKS;
    const regions = a.contacts
      .flatMap((c) => c.phones.map((p) => normalizePhone(p.number, a.phoneRegion)))
      .flatMap((n) => (n.ok ? [regionOfNumber(n.e164)] : []));
    const shape: Shape = STORIES[raw.id] ?? (() => ({}));
    const mine: AccountWeek[] = [];
    for (let i = 0; i < weeks; i++) {
      const rnd = random(ai * 1000 + i);
      const s = shape(i);
      const w = emptyAccountWeek(raw.id, addWeeks(first, i));
      const c = w.counters;
      c.shipments = Math.max(0, Math.round(steady * (s.volume ?? 1) * (0.9 + rnd() * 0.2)));
      c.delivered = c.shipments;
      c.onTime = Math.round(c.delivered * Math.min(1, (s.onTime ?? 0.985) + (rnd() - 0.5) * 0.02));
      c.perfect = Math.round(c.onTime * (0.96 + rnd() * 0.03));
      c.complaints = draw(rnd, s.complaints ?? 0.12);
      c.breaches = c.complaints && s.complaints ? draw(rnd, 0.5) : 0;
      c.resolved = c.complaints;
      c.resolvedInSla = c.complaints - c.breaches;
      for (let k = 0; k < c.complaints; k++) {
        const cat = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)] ?? 'delay';
        const sev = SEVERITIES[Math.floor(rnd() * SEVERITIES.length)] ?? 'minor';
        w.dims.cat[cat] = (w.dims.cat[cat] ?? 0) + 1;
        w.dims.sev[sev] = (w.dims.sev[sev] ?? 0) + 1;
      }
      c.inboundCalls = 1 + draw(rnd, tier === 'key' ? 4 : 2) + c.complaints;
      for (let k = 0; k < c.inboundCalls; k++) {
        const h = HOURS[Math.floor(rnd() * HOURS.length)] ?? '10';
        w.dims.hour[h] = (w.dims.hour[h] ?? 0) + 1;
        const from = regions[Math.floor(rnd() * regions.length)] ?? 'CN-mobile';
        w.dims.from[from] = (w.dims.from[from] ?? 0) + 1;
        // Why they called (the IVR option): the complaints, then tracking, a few callbacks.
        const reason =
          k < c.complaints ? 'complaint' : rnd() < 0.55 ? 'tracking' : rnd() < 0.2 ? 'callback' : undefined;
        if (reason) w.dims.reason[reason] = (w.dims.reason[reason] ?? 0) + 1;
      }
      // A follow-up call every four weeks (key accounts) or twelve, and a retention call in a dip.
      const followUp =
        i % (tier === 'key' ? 4 : 12) === ai % 4 || (s.satisfaction !== undefined && i % 3 === 0);
      c.outboundDialed = followUp ? 1 : 0;
      c.outboundReached = followUp ? 1 : 0;
      if (followUp) {
        w.dims.out[s.satisfaction !== undefined && i % 3 === 0 ? 'retention' : 'account-review'] = 1;
        w.dims.cb.completed = 1;
        c.followUps = 1;
        c.satisfactionSum = Math.round(s.satisfaction ?? 4 + rnd() * 1.2);
      }
      c.contacts = c.inboundCalls + c.outboundReached;
      c.alerts = c.delivered - c.onTime > 0 ? Math.min(6, c.delivered - c.onTime) : 0;
      if (c.alerts) w.dims.alert.sms = c.alerts;
      w.shareOfWallet = Math.round((s.share ?? a.economics.shareOfWallet) * 100) / 100;
      w.tier = tier;
      // Cuile's margins fell with its volume: its quadrant moved three weeks ago.
      w.quadrant =
        raw.id === 'acc-cuile-snacks' && i < HISTORY_WEEKS - 3
          ? quadrant === 'grow'
            ? 'cultivate'
            : 'grow'
          : quadrant;
      w.status = 'active';
      mine.push(w);
    }
    // The score each week as the daily run would have given it during that week: from the
    // complete weeks before it.
    for (let i = 1; i < mine.length; i++) {
      const w = mine[i] as AccountWeek;
      const risk = churnRisk(fillWeeks(mine.slice(0, i).map(weekFacts), first, addWeeks(w.week, -1)));
      w.churn = { score: risk.score, level: risk.level, reasons: risk.reasons };
    }
    out.push(...mine);
  });
  return out;
}

/** Writes the demo history (before the current week, which the live stream fills). */
export async function loadDemoHistory(aggregates: WeeklyAggregates, now = new Date()): Promise<number> {
  const weeks = demoHistory(now);
  for (let i = 0; i < weeks.length; i += 25) {
    await Promise.all(weeks.slice(i, i + 25).map((w) => aggregates.putWeek(w)));
  }
  return weeks.length;
}
