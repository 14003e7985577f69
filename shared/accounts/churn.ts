/**
 * Churn management (重点客户流失管理): a risk score per account from explained signals, each
 * measured against the account's own history, and a backtest that says how well the policy would
 * have caught the accounts that were lost. Pure: weeks in, score and reasons out.
 */
import * as z from 'zod';
import { weeksBetween } from '../analytics/weeks.ts';
import { both, type MessageKey } from '../platform/messages/index.ts';
import { knownBy, type WeekFacts } from './churn-weeks.ts';

export { emptyWeek, fillWeeks, knownBy, type WeekFacts } from './churn-weeks.ts';

export const CHURN_SIGNALS = [
  'volume',
  'on-time',
  'perfect-order',
  'complaints',
  'follow-up',
  'share-of-wallet',
  'silence',
] as const;
export type ChurnSignal = (typeof CHURN_SIGNALS)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Where a signal starts to count (`from`) and where it counts in full (`full`), linearly between. */
interface Ramp {
  from: number;
  full: number;
}

/**
 * The churn policy: the weights (points out of 100) and the thresholds of every signal, in one
 * place beside the prioritization policy (prioritization.ts DEFAULT_POLICY). A change here is
 * judged by the backtest before it ships.
 */
export interface ChurnPolicy {
  /** The recent window each signal reads, and the baseline before it. */
  recentWeeks: number;
  baselineWeeks: number;
  weights: Record<ChurnSignal, number>;
  /** Fall of weekly shipments against the baseline, as a fraction. */
  volumeDrop: Ramp;
  /** Fall of the on-time and perfect-order rates, in rate points. */
  rateDrop: Ramp;
  /** Complaints in the recent window; a breach counts as `breachWeight` complaints. */
  complaints: Ramp;
  breachWeight: number;
  /** Average follow-up satisfaction (1–5) over the baseline and recent windows: lower is worse. */
  satisfaction: Ramp;
  /** Fall of the share of wallet over the two windows, in share points. */
  shareDrop: Ramp;
  /** Weeks without any contact. */
  silenceWeeks: Ramp;
  /** Score at and above which the risk is medium, high. */
  levels: { medium: number; high: number };
  /** A high risk opens one retention callback per account, this many days after the last one booked. */
  retentionEveryDays: number;
  /** Backtest: a loss counts as caught when flagged high between `outcomeWeeks` and `leadWeeks` before it. */
  leadWeeks: number;
  outcomeWeeks: number;
}

export const CHURN_POLICY: ChurnPolicy = {
  recentWeeks: 4,
  baselineWeeks: 8,
  weights: {
    volume: 30,
    'on-time': 15,
    'perfect-order': 10,
    complaints: 15,
    'follow-up': 10,
    'share-of-wallet': 10,
    silence: 10,
  },
  volumeDrop: { from: 0.15, full: 0.5 },
  rateDrop: { from: 0.03, full: 0.12 },
  complaints: { from: 1, full: 5 },
  breachWeight: 2,
  satisfaction: { from: 4, full: 2.5 },
  shareDrop: { from: 0.05, full: 0.2 },
  silenceWeeks: { from: 4, full: 8 },
  levels: { medium: 25, high: 50 },
  retentionEveryDays: 30,
  leadWeeks: 4,
  outcomeWeeks: 8,
};

export const ChurnReason = z
  .object({
    signal: z.enum(CHURN_SIGNALS),
    points: z.number().int(),
    text: z.object({ 'zh-CN': z.string(), en: z.string() }),
  })
  .meta({ id: 'ChurnReason' });
export type ChurnReason = z.output<typeof ChurnReason>;

export const ChurnRisk = z
  .object({
    score: z.number().int().min(0).max(100),
    level: z.enum(RISK_LEVELS),
    /** The top reasons, largest first, in both languages. */
    reasons: z.array(ChurnReason),
    week: z.string(),
  })
  .meta({ id: 'ChurnRisk' });
export type ChurnRisk = z.output<typeof ChurnRisk>;

/** 0 below `from`, 1 at or past `full`, linear between; works for falling ramps (full < from). */
export function strength(value: number, ramp: Ramp): number {
  const s = (value - ramp.from) / (ramp.full - ramp.from);
  return Math.min(1, Math.max(0, s));
}

const sum = (ws: readonly WeekFacts[], f: (w: WeekFacts) => number) => ws.reduce((a, w) => a + f(w), 0);
/** A rate over the shipments judged: those delivered, and those still on the road past their promise. */
const rate = (ws: readonly WeekFacts[], part: (w: WeekFacts) => number) => {
  const judged = sum(ws, (w) => w.delivered + (w.overdue ?? 0));
  return judged ? sum(ws, part) / judged : undefined;
};
const round1 = (n: number) => Math.round(n * 10) / 10;

interface Measured {
  signal: ChurnSignal;
  strength: number;
  key: MessageKey;
  params: Record<string, number>;
}

/** Each signal's strength (0–1) and what it says, over the weeks up to and including the last. */
function measure(weeks: readonly WeekFacts[], p: ChurnPolicy): Measured[] {
  const recent = weeks.slice(-p.recentWeeks);
  const baseline = weeks.slice(-(p.recentWeeks + p.baselineWeeks), -p.recentWeeks);
  const out: Measured[] = [];
  if (baseline.length >= p.baselineWeeks / 2) {
    const before = sum(baseline, (w) => w.shipments) / baseline.length;
    const now = sum(recent, (w) => w.shipments) / Math.max(1, recent.length);
    if (before > 0) {
      const drop = (before - now) / before;
      out.push({
        signal: 'volume',
        strength: strength(drop, p.volumeDrop),
        key: 'churn.volume',
        params: { drop, baseline: round1(before), recent: round1(now) },
      });
    }
    for (const [signal, key, part] of [
      ['on-time', 'churn.on-time', (w: WeekFacts) => w.onTime],
      ['perfect-order', 'churn.perfect-order', (w: WeekFacts) => w.perfect],
    ] as const) {
      const from = rate(baseline, part);
      const to = rate(recent, part);
      if (from !== undefined && to !== undefined)
        out.push({ signal, strength: strength(from - to, p.rateDrop), key, params: { from, to } });
    }
    const shares = [...baseline, ...recent].map((w) => w.shareOfWallet).filter((s) => s !== undefined);
    const [first, last] = [shares[0], shares.at(-1)];
    if (first !== undefined && last !== undefined)
      out.push({
        signal: 'share-of-wallet',
        strength: strength(first - last, p.shareDrop),
        key: 'churn.share-of-wallet',
        params: {},
      });
  }
  const complaints = sum(recent, (w) => w.complaints);
  const breaches = sum(recent, (w) => w.breaches);
  out.push({
    signal: 'complaints',
    strength: strength(complaints + (p.breachWeight - 1) * breaches, p.complaints),
    key: 'churn.complaints',
    params: { complaints, breaches, weeks: recent.length },
  });
  const window = weeks.slice(-(p.recentWeeks + p.baselineWeeks));
  const followUps = sum(window, (w) => w.followUps);
  if (followUps > 0) {
    const average = round1(sum(window, (w) => w.satisfactionSum) / followUps);
    out.push({
      signal: 'follow-up',
      strength: strength(average, p.satisfaction),
      key: 'churn.follow-up',
      params: { average, count: followUps },
    });
  }
  let silent = 0;
  for (let i = weeks.length - 1; i >= 0 && (weeks[i]?.contacts ?? 0) === 0; i--) silent++;
  out.push({
    signal: 'silence',
    strength: strength(silent, p.silenceWeeks),
    key: 'churn.silence',
    params: { weeks: silent },
  });
  return out;
}

/**
 * The churn risk at the end of `weeks` (oldest first, one entry per week, missing weeks filled
 * with zeros by the caller): the score out of 100, its level, and its top three reasons.
 */
export function churnRisk(weeks: readonly WeekFacts[], policy: ChurnPolicy = CHURN_POLICY): ChurnRisk {
  const measured = measure(weeks, policy)
    .map((m) => ({ ...m, points: Math.round(m.strength * policy.weights[m.signal]) }))
    .filter((m) => m.points > 0)
    .sort((a, b) => b.points - a.points);
  const score = Math.min(
    100,
    measured.reduce((a, m) => a + m.points, 0),
  );
  const level: RiskLevel =
    score >= policy.levels.high ? 'high' : score >= policy.levels.medium ? 'medium' : 'low';
  return {
    score,
    level,
    reasons: measured.slice(0, 3).map((m) => ({
      signal: m.signal,
      points: m.points,
      text: both(m.key, m.params as never),
    })),
    week: weeks.at(-1)?.week ?? '',
  };
}

/** One account's recorded history and what became of it. */
export interface AccountHistory {
  accountId: string;
  weeks: readonly WeekFacts[];
  /** The week it was lost, when it was. */
  lostWeek?: string;
}

export interface BacktestOutcome {
  accountId: string;
  /**
   * Caught (flagged in time), missed, false alarm (flagged, not lost), pending (flagged lately,
   * outcome not known yet), quiet (never flagged), or unjudged (lost before the history could warn).
   */
  outcome: 'caught' | 'missed' | 'false-alarm' | 'pending' | 'quiet' | 'unjudged';
  /** The first week it was flagged high in the evaluated span. */
  flaggedWeek?: string;
  lostWeek?: string;
  /** Weeks from the first flag to the loss (caught accounts). */
  leadWeeks?: number;
}

export interface Backtest {
  precision: number | null;
  recall: number | null;
  caught: number;
  missed: number;
  falseAlarms: number;
  quiet: number;
  /** Accounts whose outcome is not known yet: flagged within the outcome window of the last week. */
  pending: number;
  medianLeadWeeks: number | null;
  accounts: BacktestOutcome[];
}

/**
 * Replays the policy over the recorded history, week by week, as if it had run then. A lost
 * account is caught when it was flagged high between `outcomeWeeks` and `leadWeeks` before it was
 * lost (early enough to act, late enough to be about this loss); an account that was never lost
 * but was flagged at a week whose outcome is known (at least `outcomeWeeks` before the last) is a
 * false alarm — including one that recovered after retention work, which the table says.
 */
export function backtest(histories: readonly AccountHistory[], policy: ChurnPolicy = CHURN_POLICY): Backtest {
  const minWeeks = policy.recentWeeks + policy.baselineWeeks;
  const accounts: BacktestOutcome[] = [];
  for (const h of histories) {
    const start = h.weeks[0]?.week;
    // The loss's position in the history: it may fall after its last week (lost this week).
    const end = h.lostWeek && start ? weeksBetween(start, h.lostWeek) : h.weeks.length;
    const lastIndex = h.weeks.length - 1;
    if (h.lostWeek && end < minWeeks - 1 + policy.leadWeeks) {
      // Lost before the history could have warned in time: not a test of the policy either way.
      accounts.push({ accountId: h.accountId, outcome: 'unjudged', lostWeek: h.lostWeek });
      continue;
    }
    const flags: number[] = [];
    for (let i = minWeeks - 1; i < Math.min(end, h.weeks.length); i++) {
      // As the scorer saw it at the end of that week: nothing learnt later.
      const asOf = h.weeks[i]?.week ?? '';
      const seen = h.weeks.slice(0, i + 1).map((w) => knownBy(w, asOf));
      if (churnRisk(seen, policy).level === 'high') flags.push(i);
    }
    if (h.lostWeek) {
      const inTime = flags.filter((i) => end - i >= policy.leadWeeks && end - i <= policy.outcomeWeeks);
      const first = inTime[0];
      accounts.push(
        first === undefined
          ? { accountId: h.accountId, outcome: 'missed', lostWeek: h.lostWeek }
          : {
              accountId: h.accountId,
              outcome: 'caught',
              flaggedWeek: h.weeks[first]?.week,
              lostWeek: h.lostWeek,
              leadWeeks: end - first,
            },
      );
      continue;
    }
    const known = flags.filter((i) => lastIndex - i >= policy.outcomeWeeks);
    if (known.length) {
      accounts.push({
        accountId: h.accountId,
        outcome: 'false-alarm',
        flaggedWeek: h.weeks[known[0] ?? 0]?.week,
      });
    } else if (flags.length) {
      accounts.push({
        accountId: h.accountId,
        outcome: 'pending',
        flaggedWeek: h.weeks[flags[0] ?? 0]?.week,
      });
    } else {
      accounts.push({ accountId: h.accountId, outcome: 'quiet' });
    }
  }
  const count = (o: BacktestOutcome['outcome']) => accounts.filter((a) => a.outcome === o).length;
  const [caught, missed, falseAlarms, pending, quiet] = [
    count('caught'),
    count('missed'),
    count('false-alarm'),
    count('pending'),
    count('quiet'),
  ];
  const leads = accounts
    .map((a) => a.leadWeeks)
    .filter((l): l is number => l !== undefined)
    .sort((a, b) => a - b);
  return {
    precision: caught + falseAlarms ? caught / (caught + falseAlarms) : null,
    recall: caught + missed ? caught / (caught + missed) : null,
    caught,
    missed,
    falseAlarms,
    quiet,
    pending,
    medianLeadWeeks: leads.length ? (leads[Math.floor((leads.length - 1) / 2)] ?? null) : null,
    accounts,
  };
}
