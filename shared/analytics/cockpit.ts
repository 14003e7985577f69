/**
 * The key-account cockpit's views, assembled from the book and the weekly aggregates (pure): the
 * portfolio with churn and its backtest for managers, the service analytics for team leads.
 */
import * as z from 'zod';
import { backtest, CHURN_POLICY, ChurnReason, fillWeeks, RISK_LEVELS } from '../accounts/churn.ts';
import type { Account } from '../accounts/model.ts';
import { DEFAULT_POLICY, expectedProfit, QUADRANTS, TIERS } from '../accounts/prioritization.ts';
import { type AccountWeek, byAccount, weekFacts } from './aggregates.ts';
import { regionName } from './regions.ts';
import { addWeeks, weekOf } from './weeks.ts';

const Risk = z.object({ score: z.number().int(), level: z.enum(RISK_LEVELS), reasons: z.array(ChurnReason) });

export const PortfolioAccount = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string().optional(),
  status: z.string(),
  tier: z.enum(TIERS),
  quadrant: z.enum(QUADRANTS),
  lifetimeValue: z.number().meta({ description: 'The matrix’s value axis' }),
  shareOfWallet: z.number().meta({ description: 'The matrix’s position axis' }),
  relationshipStrength: z.number().optional(),
  expectedRevenue: z.number(),
  expectedProfit: z.number().meta({ description: 'Expected profit in the service mode in force' }),
  dedicatedProfit: z.number().meta({
    description:
      'Expected profit served by a dedicated team: what the profit target (the large-account list) is measured on',
  }),
  clv: z.number(),
  currentMargin: z.number(),
  potentialMargin: z.number(),
  largeAccount: z.boolean(),
  churn: Risk.optional(),
  statusReason: z.string().optional(),
  statusSince: z.string().optional(),
});

export const Movement = z.object({
  accountId: z.string(),
  name: z.string(),
  kind: z.enum(['tier', 'quadrant', 'risk']),
  from: z.string(),
  to: z.string(),
  why: z
    .object({ 'zh-CN': z.string(), en: z.string() })
    .optional()
    .meta({ description: 'The review’s reason (as written), or the churn score’s first reason' }),
});

export const Portfolio = z
  .object({
    week: z.string(),
    thresholds: z.object({
      highValue: z.number(),
      strongPosition: z.number(),
      smallPosition: z.number(),
      profitTarget: z.number(),
      highCurrentMargin: z.number(),
      highPotentialMargin: z.number(),
      riskHigh: z.number(),
      riskMedium: z.number(),
    }),
    accounts: z.array(PortfolioAccount),
    movements: z.array(Movement),
    /** Each week's number of accounts at high and medium risk. */
    riskTrend: z.array(z.object({ week: z.string(), high: z.number(), medium: z.number() })),
    backtest: z.object({
      precision: z.number().nullable(),
      recall: z.number().nullable(),
      caught: z.number(),
      missed: z.number(),
      falseAlarms: z.number(),
      pending: z.number(),
      quiet: z.number(),
      medianLeadWeeks: z.number().nullable(),
      leadWeeks: z.number(),
      accounts: z.array(
        z.object({
          accountId: z.string(),
          outcome: z.string(),
          flaggedWeek: z.string().optional(),
          lostWeek: z.string().optional(),
          leadWeeks: z.number().optional(),
        }),
      ),
    }),
  })
  .meta({ id: 'Portfolio' });
export type Portfolio = z.output<typeof Portfolio>;

/** How many weeks the portfolio reads: the backtest's history. */
export const PORTFOLIO_WEEKS = 26;
/** The window of "this month's" movements. */
const MOVEMENT_WEEKS = 4;

/** A move's reason when a review of the last four weeks made it: its words, as the manager wrote them. */
function reviewWhy(a: Account, now: Date) {
  const reason = a.review?.reason;
  const recent = a.review && a.review.decidedAt >= new Date(now.getTime() - 28 * 86_400_000).toISOString();
  return reason && recent ? { why: { 'zh-CN': reason, en: reason } } : {};
}

/** The weeks the portfolio reads when the half year is kept: this month's, for the movements. */
export const MONTH_WEEKS = MOVEMENT_WEEKS + 1;

/** The portfolio: the book placed, churn scored and backtested, this month's movements. */
export function portfolio(
  book: readonly Account[],
  recorded: readonly AccountWeek[],
  now: Date,
  /** The half year as the daily scorer kept it; computed from `recorded` when absent. */
  history?: BookHistory,
): Portfolio {
  const current = weekOf(now);
  const weeksOf = byAccount(recorded);
  const monthAgo = addWeeks(current, -MOVEMENT_WEEKS);
  const movements: z.output<typeof Movement>[] = [];
  const accounts = book.map((a) => {
    const ws = weeksOf.get(a.id) ?? [];
    const latest = [...ws].reverse().find((w) => w.churn);
    const d = a.derived;
    const before = [...ws].reverse().find((w) => w.week <= monthAgo);
    if (before?.tier && before.tier !== d.tier)
      movements.push({
        accountId: a.id,
        name: a.name,
        kind: 'tier',
        from: before.tier,
        to: d.tier,
        ...reviewWhy(a, now),
      });
    if (before?.quadrant && before.quadrant !== d.reviewQuadrant)
      movements.push({
        accountId: a.id,
        name: a.name,
        kind: 'quadrant',
        from: before.quadrant,
        to: d.reviewQuadrant,
        ...reviewWhy(a, now),
      });
    if (a.status === 'active' && before?.churn && latest?.churn && before.churn.level !== latest.churn.level)
      movements.push({
        accountId: a.id,
        name: a.name,
        kind: 'risk',
        from: before.churn.level,
        to: latest.churn.level,
        ...(latest.churn.reasons[0] ? { why: latest.churn.reasons[0].text } : {}),
      });
    return {
      id: a.id,
      name: a.name,
      ...(a.nameEn ? { nameEn: a.nameEn } : {}),
      status: a.status,
      tier: d.tier,
      quadrant: d.reviewQuadrant,
      lifetimeValue: d.lifetimeValue,
      shareOfWallet: a.economics.shareOfWallet,
      ...(a.economics.relationshipStrength !== undefined
        ? { relationshipStrength: a.economics.relationshipStrength }
        : {}),
      expectedRevenue: d.expectedRevenue,
      expectedProfit: d.expectedProfit,
      dedicatedProfit: expectedProfit(d.expectedRevenue, d.marginRate, 'dedicated', DEFAULT_POLICY),
      clv: d.clv,
      currentMargin: a.economics.currentMargin,
      potentialMargin: a.economics.potentialMargin,
      largeAccount: d.largeAccount,
      ...(latest?.churn && a.status === 'active' ? { churn: latest.churn } : {}),
      ...(a.statusReason ? { statusReason: a.statusReason } : {}),
      ...(a.statusSince ? { statusSince: a.statusSince } : {}),
    };
  });
  const { riskTrend, backtest: tested } = history ?? bookHistory(book, recorded, now);
  const p = DEFAULT_POLICY;
  return {
    week: current,
    thresholds: {
      highValue: p.highValueThreshold,
      strongPosition: p.strongPosition,
      smallPosition: p.smallPosition,
      profitTarget: p.profitTarget,
      highCurrentMargin: p.highCurrentMargin,
      highPotentialMargin: p.highPotentialMargin,
      riskHigh: CHURN_POLICY.levels.high,
      riskMedium: CHURN_POLICY.levels.medium,
    },
    accounts,
    movements,
    riskTrend,
    backtest: tested,
  };
}

export type BookHistory = Pick<Portfolio, 'riskTrend' | 'backtest'>;

/**
 * The half year behind the portfolio: the accounts at risk week by week, and the churn policy's
 * backtest. It reads 27 weeks of the whole book, so the daily scorer computes it once and keeps
 * it (aggregates.ts `putBookHistory`); the portfolio then reads only this month's weeks.
 */
export function bookHistory(
  book: readonly Account[],
  recorded: readonly AccountWeek[],
  now: Date,
): BookHistory {
  const current = weekOf(now);
  const first = addWeeks(current, -PORTFOLIO_WEEKS);
  const lastComplete = addWeeks(current, -1);
  const weeksOf = byAccount(recorded);
  const histories = book.map((a) => ({
    accountId: a.id,
    weeks: fillWeeks((weeksOf.get(a.id) ?? []).map(weekFacts), first, lastComplete),
    ...(a.status === 'lost' && a.statusSince ? { lostWeek: weekOf(`${a.statusSince}T12:00:00Z`) } : {}),
  }));
  const trend = new Map<string, { high: number; medium: number }>();
  for (const w of recorded) {
    const level = w.churn?.level;
    if (level !== 'high' && level !== 'medium') continue;
    const t = trend.get(w.week) ?? { high: 0, medium: 0 };
    t[level]++;
    trend.set(w.week, t);
  }
  const riskTrend = Array.from({ length: PORTFOLIO_WEEKS + 1 }, (_, i) => addWeeks(first, i)).map((week) => ({
    week,
    ...(trend.get(week) ?? { high: 0, medium: 0 }),
  }));
  return { riskTrend, backtest: { ...backtest(histories), leadWeeks: CHURN_POLICY.leadWeeks } };
}

const Count = z.record(z.string(), z.number());

export const ServiceAnalytics = z
  .object({
    weeks: z.array(z.string()),
    /** Per week, the book's totals. */
    perWeek: z.array(
      z.object({
        week: z.string(),
        inboundCalls: z.number(),
        outboundDialed: z.number(),
        outboundReached: z.number(),
        complaints: z.number(),
        breaches: z.number(),
        alerts: z.number(),
        delivered: z.number(),
        /** Due that week and still on the road past the promise: not on time, counted in the rates. */
        overdue: z.number(),
        onTimeRate: z.number().nullable(),
        perfectOrderRate: z.number().nullable(),
        complaintsByCategory: Count,
        complaintsBySeverity: Count,
      }),
    ),
    callsByHour: Count,
    /** Inbound calls by the IVR option chosen; `none`: straight to an agent (or not noted). */
    callsByReason: Count,
    callsByRegion: z.array(
      z.object({ region: z.string(), zh: z.string(), en: z.string(), calls: z.number() }),
    ),
    slaByTier: z.array(
      z.object({ tier: z.string(), resolved: z.number(), inSla: z.number(), rate: z.number().nullable() }),
    ),
    callbackOutcomes: Count,
    outboundByReason: Count,
    accounts: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        nameEn: z.string().optional(),
        tier: z.string(),
        calls: z.number(),
        complaints: z.number(),
        onTime: z.array(z.number().nullable()),
        perfectOrder: z.array(z.number().nullable()),
      }),
    ),
  })
  .meta({ id: 'ServiceAnalytics' });
export type ServiceAnalytics = z.output<typeof ServiceAnalytics>;

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};
const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);
/** The shipments a week's on-time and perfect-order rates are over: delivered, and overdue on the road. */
const judged = (w: AccountWeek) => w.counters.delivered + w.counters.overdue;

/** The service analytics over the complete weeks before `now`: no account economics in it. */
export function serviceAnalytics(
  book: readonly Pick<Account, 'id' | 'name' | 'nameEn' | 'derived'>[],
  byWeek: ReadonlyMap<string, AccountWeek[]>,
  weeks: readonly string[],
): ServiceAnalytics {
  const tierOf = new Map(book.map((a) => [a.id, a.derived.tier]));
  const callsByHour: Record<string, number> = {};
  const callsByReason: Record<string, number> = {};
  let inbound = 0;
  let reasoned = 0;
  const regions: Record<string, number> = {};
  const callbackOutcomes: Record<string, number> = {};
  const outboundByReason: Record<string, number> = {};
  const sla = new Map<string, { resolved: number; inSla: number }>();
  const perWeek = weeks.map((week) => {
    const ws = byWeek.get(week) ?? [];
    const sum = (f: (w: AccountWeek) => number) => ws.reduce((n, w) => n + f(w), 0);
    const byCategory: Record<string, number> = {};
    const bySeverity: Record<string, number> = {};
    for (const w of ws) {
      add(byCategory, w.dims.cat);
      add(bySeverity, w.dims.sev);
      add(callsByHour, w.dims.hour);
      add(callsByReason, w.dims.reason);
      inbound += w.counters.inboundCalls;
      // A week counted before calls with a reason were (reasonedCalls absent) has only its marks.
      reasoned += w.counters.reasonedCalls || Object.values(w.dims.reason).reduce((a, b) => a + b, 0);
      add(regions, w.dims.from);
      add(callbackOutcomes, w.dims.cb);
      add(outboundByReason, w.dims.out);
      const tier = tierOf.get(w.accountId) ?? 'unknown';
      const s = sla.get(tier) ?? { resolved: 0, inSla: 0 };
      s.resolved += w.counters.resolved;
      s.inSla += w.counters.resolvedInSla;
      sla.set(tier, s);
    }
    const delivered = sum((w) => w.counters.delivered);
    const overdue = sum((w) => w.counters.overdue);
    return {
      week,
      inboundCalls: sum((w) => w.counters.inboundCalls),
      outboundDialed: sum((w) => w.counters.outboundDialed),
      outboundReached: sum((w) => w.counters.outboundReached),
      complaints: sum((w) => w.counters.complaints),
      breaches: sum((w) => w.counters.breaches),
      alerts: sum((w) => w.counters.alerts),
      delivered,
      overdue,
      onTimeRate: ratio(
        sum((w) => w.counters.onTime),
        delivered + overdue,
      ),
      perfectOrderRate: ratio(
        sum((w) => w.counters.perfect),
        delivered + overdue,
      ),
      complaintsByCategory: byCategory,
      complaintsBySeverity: bySeverity,
    };
  });
  const index = new Map(
    weeks.map((week) => [week, new Map((byWeek.get(week) ?? []).map((w) => [w.accountId, w]))]),
  );
  const accounts = book
    .map((a) => {
      const mine = weeks.map((week) => index.get(week)?.get(a.id));
      return {
        id: a.id,
        name: a.name,
        ...(a.nameEn ? { nameEn: a.nameEn } : {}),
        tier: a.derived.tier,
        calls: mine.reduce((n, w) => n + (w?.counters.inboundCalls ?? 0), 0),
        complaints: mine.reduce((n, w) => n + (w?.counters.complaints ?? 0), 0),
        onTime: mine.map((w) => (w ? ratio(w.counters.onTime, judged(w)) : null)),
        perfectOrder: mine.map((w) => (w ? ratio(w.counters.perfect, judged(w)) : null)),
      };
    })
    .sort((x, y) => y.calls - x.calls);
  return {
    weeks: [...weeks],
    perWeek,
    callsByHour,
    callsByReason: { ...callsByReason, none: Math.max(0, inbound - reasoned) },
    callsByRegion: Object.entries(regions)
      .map(([region, calls]) => ({ region, ...names(region), calls }))
      .sort((x, y) => y.calls - x.calls),
    slaByTier: TIERS.map((tier) => {
      const s = sla.get(tier) ?? { resolved: 0, inSla: 0 };
      return { tier, ...s, rate: ratio(s.inSla, s.resolved) };
    }),
    callbackOutcomes,
    outboundByReason,
    accounts,
  };
}

function names(region: string) {
  const n = regionName(region);
  return { zh: n['zh-CN'], en: n.en };
}
