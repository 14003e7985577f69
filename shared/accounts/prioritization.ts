/**
 * Key-account prioritization as the large-account practice defines it (seed 000, DESIGN.md §1),
 * as pure functions: the value × account-position matrix, the large-account list, the service
 * modes and what each costs, the serving decision, and the regular review's quadrant.
 *
 * Money is in CNY per year unless a name says otherwise. Shares are fractions 0–1.
 */
import type * as z from 'zod';
import type { AccountEconomicsSchema, Derived } from './model.ts';

/** Changes whenever the rules below change what they derive (accounts are re-derived on re-import). */
export const RULES_VERSION = 'practice-axes-2026-11';

export const TIERS = ['key', 'high-growth', 'loyal', 'low-potential'] as const;
export type Tier = (typeof TIERS)[number];

export const QUADRANTS = ['grow', 'cultivate', 'milk', 'deprioritize', 'remove'] as const;
export type ReviewQuadrant = (typeof QUADRANTS)[number];

/** Account position, from the share of wallet: strong, weak, or small (a competitor dominates). */
export const POSITIONS = ['strong', 'weak', 'small'] as const;
export type Position = (typeof POSITIONS)[number];

/** How an account is served, most expensive first. */
export const SERVICE_MODES = ['dedicated', 'shared', 'channel', 'monitor'] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

/** Why the serving decision picked a mode (worded in both languages by the catalog). */
export const MODE_REASONS = [
  'large-account',
  'competitor-dominates',
  'profitable',
  'profitable-through-channel',
  'strategic',
  'low-priority',
  'review-chart',
  'review',
] as const;
export type ModeReason = (typeof MODE_REASONS)[number];

/** What one service mode costs: a team's salaries plus other expenses, split over the accounts it serves. */
export interface ServiceModeCost {
  accountsServed: number;
  /** Yearly salaries of the team's members, CNY. */
  salaries: readonly number[];
  /** Other expenses as a fraction of the salaries. */
  otherExpenseRate: number;
}

/** Thresholds of the matrices and the cost model. One policy for the whole book. */
export interface PrioritizationPolicy {
  /** Expected profit (served by a dedicated team) an account must reach for the large-account list. */
  profitTarget: number;
  /** Lifetime value at or above which an account counts as high value. */
  highValueThreshold: number;
  /** Share of wallet at or above which the position is strong. */
  strongPosition: number;
  /** Share of wallet below which the position is small: a competitor dominates. */
  smallPosition: number;
  /** Current margin contribution at or above which it counts as high. */
  highCurrentMargin: number;
  /** Potential margin contribution at or above which it counts as high. */
  highPotentialMargin: number;
  /** Contribution target used when an account sets none of its own. */
  defaultContributionTarget: number;
  /** Net margin target after the cost to serve, as a fraction of revenue (15 % in the practice). */
  marginTarget: number;
  /** Margin rate assumed where there is no current revenue to measure it on (a prospect). */
  defaultMarginRate: number;
  /** Days between an account's regular reviews (quarterly by default). */
  reviewIntervalDays: number;
  serviceModes: Record<ServiceMode, ServiceModeCost>;
}

export const DEFAULT_POLICY: PrioritizationPolicy = {
  profitTarget: 2_000_000,
  highValueThreshold: 100_000_000,
  strongPosition: 0.5,
  smallPosition: 0.2,
  highCurrentMargin: 1_500_000,
  highPotentialMargin: 2_500_000,
  defaultContributionTarget: 200_000,
  marginTarget: 0.15,
  defaultMarginRate: 0.2,
  reviewIntervalDays: 91,
  // The practice's cost assumptions: a dedicated team serves one account (sales and support at
  // 120K a year each), a shared team about five (100K each), a channel about a hundred (channel
  // support 100K, channel manager 100K, channel support 80K); each with 20 % other expenses.
  // A monitored account is served through the channel while it is watched.
  serviceModes: {
    dedicated: { accountsServed: 1, salaries: [120_000, 120_000], otherExpenseRate: 0.2 },
    shared: { accountsServed: 5, salaries: [100_000, 100_000], otherExpenseRate: 0.2 },
    channel: { accountsServed: 100, salaries: [100_000, 100_000, 80_000], otherExpenseRate: 0.2 },
    monitor: { accountsServed: 100, salaries: [100_000, 100_000, 80_000], otherExpenseRate: 0.2 },
  },
};

/** An account's economics and what the registry derives from them: types of the zod schemas. */
export type AccountEconomics = z.output<typeof AccountEconomicsSchema>;
export type DerivedPrioritization = z.output<typeof Derived>;

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Whole yuan up, from the cent: a revenue to reach is shown rounded up, but 48 000 ÷ (0.35 − 0.15)
 * is 240 000.00000000003 in floating point, which would go up to 240 001.
 */
const ceilYuan = (x: number) => Math.ceil(round2(x));

/** Yearly cost to serve one account in a mode: salaries × (1 + other expenses) ÷ accounts served. */
export function costToServe(mode: ServiceMode, policy: PrioritizationPolicy = DEFAULT_POLICY): number {
  const c = policy.serviceModes[mode];
  const team = c.salaries.reduce((a, b) => a + b, 0) * (1 + c.otherExpenseRate);
  return round2(team / Math.max(1, c.accountsServed));
}

/** Revenue from the account today: its logistics spend × our share of it. */
export function currentRevenue(e: Pick<AccountEconomics, 'accountValue' | 'shareOfWallet'>): number {
  return round2(e.accountValue * e.shareOfWallet);
}

/**
 * Expected account revenue = account value (or its potential, the larger) × account position:
 * the projected share of wallet where one is set, else the current one.
 */
export function expectedRevenue(
  e: Pick<AccountEconomics, 'accountValue' | 'potentialValue' | 'shareOfWallet' | 'projectedShareOfWallet'>,
): number {
  const value = Math.max(e.accountValue, e.potentialValue ?? 0);
  return round2(value * (e.projectedShareOfWallet ?? e.shareOfWallet));
}

/** Margin contribution per unit of revenue, measured on today's business (0–1). */
export function marginRate(
  e: Pick<AccountEconomics, 'accountValue' | 'shareOfWallet' | 'currentMargin'>,
  policy: PrioritizationPolicy = DEFAULT_POLICY,
): number {
  const revenue = currentRevenue(e);
  if (revenue <= 0) return policy.defaultMarginRate;
  return Math.round(Math.max(0, Math.min(1, e.currentMargin / revenue)) * 10_000) / 10_000;
}

/** Expected account profit in a mode = expected revenue × margin rate − the mode's cost to serve. */
export function expectedProfit(
  revenue: number,
  rate: number,
  mode: ServiceMode,
  policy: PrioritizationPolicy = DEFAULT_POLICY,
): number {
  return round2(revenue * rate - costToServe(mode, policy));
}

/**
 * The revenue a mode needs: to break even (revenue × margin rate = cost to serve) and to meet the
 * margin target after the cost (revenue × (rate − target) = cost). Null where the margin rate can
 * never get there.
 */
export function revenueToJustify(
  mode: ServiceMode,
  rate: number,
  policy: PrioritizationPolicy = DEFAULT_POLICY,
): { breakEven: number | null; marginTarget: number | null } {
  const cost = costToServe(mode, policy);
  return {
    breakEven: rate > 0 ? ceilYuan(cost / rate) : null,
    marginTarget: rate > policy.marginTarget ? ceilYuan(cost / (rate - policy.marginTarget)) : null,
  };
}

/** Account position from the current share of wallet. */
export function positionOf(shareOfWallet: number, policy: PrioritizationPolicy = DEFAULT_POLICY): Position {
  if (shareOfWallet >= policy.strongPosition) return 'strong';
  return shareOfWallet < policy.smallPosition ? 'small' : 'weak';
}

/** CLV = average transaction value × yearly purchase frequency × expected lifetime (years). */
export function customerLifetimeValue(
  e: Pick<AccountEconomics, 'averageTransactionValue' | 'yearlyFrequency' | 'expectedLifetimeYears'>,
) {
  return round2(e.averageTransactionValue * e.yearlyFrequency * e.expectedLifetimeYears);
}

/**
 * The value axis: lifetime value for an existing account (its CLV), value or potential for a
 * prospect, the larger of the two when both are known (the account's value or potential spend
 * over the same expected lifetime), so a growth prospect among existing accounts counts by what
 * it could bring.
 */
export function lifetimeValue(
  e: Pick<
    AccountEconomics,
    | 'accountValue'
    | 'potentialValue'
    | 'averageTransactionValue'
    | 'yearlyFrequency'
    | 'expectedLifetimeYears'
  >,
): number {
  const potential = Math.max(e.accountValue, e.potentialValue ?? 0) * e.expectedLifetimeYears;
  return round2(Math.max(customerLifetimeValue(e), potential));
}

/** The value × account-position matrix. */
export function tierOf(highValue: boolean, position: Position): Tier {
  if (highValue) return position === 'strong' ? 'key' : 'high-growth';
  return position === 'strong' ? 'loyal' : 'low-potential';
}

/** What the serving decision weighs. */
export interface ServingFacts {
  position: Position;
  /** Expected profit served by a dedicated team meets the profit target. */
  largeAccount: boolean;
  expectedProfitShared: number;
  expectedProfitChannel: number;
  strategic: boolean;
}

/**
 * The serving matrix and the practice's "Profitable? → Strategic? → low priority / give up":
 * where a competitor dominates, monitoring but low priority; a large account whose position is
 * or can be made strong, a dedicated team; otherwise the cheapest team that is profitable (shared,
 * then the channel); an unprofitable account keeps a shared team only when it is strategic, and
 * is served through the channel at low priority otherwise.
 */
export function serviceModeOf(f: ServingFacts): { mode: ServiceMode; reason: ModeReason } {
  if (f.position === 'small') return { mode: 'monitor', reason: 'competitor-dominates' };
  if (f.largeAccount) return { mode: 'dedicated', reason: 'large-account' };
  if (f.expectedProfitShared > 0) return { mode: 'shared', reason: 'profitable' };
  if (f.expectedProfitChannel > 0) return { mode: 'channel', reason: 'profitable-through-channel' };
  if (f.strategic) return { mode: 'shared', reason: 'strategic' };
  return { mode: 'channel', reason: 'low-priority' };
}

/** Current × potential margin contribution, the regular account review. */
export function reviewQuadrantOf(
  e: Pick<AccountEconomics, 'currentMargin' | 'potentialMargin' | 'contributionTarget'>,
  policy: PrioritizationPolicy = DEFAULT_POLICY,
): ReviewQuadrant {
  const highCurrent = e.currentMargin >= policy.highCurrentMargin;
  const highPotential = e.potentialMargin >= policy.highPotentialMargin;
  if (highCurrent && highPotential) return 'grow';
  if (!highCurrent && highPotential) return 'cultivate';
  if (highCurrent && !highPotential) return 'milk';
  const target = e.contributionTarget ?? policy.defaultContributionTarget;
  return e.currentMargin < target ? 'remove' : 'deprioritize';
}

const TIER_BASE: Record<Tier, number> = { key: 700, 'high-growth': 500, loyal: 300, 'low-potential': 100 };
const ROUTING_PRIORITY: Record<Tier, number> = { key: 1, 'high-growth': 2, loyal: 3, 'low-potential': 4 };

/**
 * Priority score, 0–1000. The tier sets the band (key 700+, high-growth 500+, loyal 300+,
 * low potential 100+), so a higher tier always outranks a lower one. Inside a band, up to 199
 * points come from CLV on a log scale (CNY 10k → 0, CNY 10bn → 150) and from the expected
 * profit margin (up to 49, the band never spills into the next), so a bigger, more profitable account ranks first.
 */
export function priorityScore(tier: Tier, clv: number, revenue: number, profit: number): number {
  const clvPoints = Math.min(150, Math.max(0, (Math.log10(Math.max(clv, 1)) - 4) * 25));
  const margin = revenue > 0 ? Math.max(0, Math.min(1, profit / revenue)) : 0;
  return TIER_BASE[tier] + Math.min(199, Math.floor(clvPoints + margin * 49));
}

/** Calls from a monitored account wait behind everyone's ("monitoring but low priority"). */
export function routingPriorityOf(tier: Tier, mode: ServiceMode): number {
  return mode === 'monitor' ? 4 : ROUTING_PRIORITY[tier];
}

/** What a review decided: the tier and mode that hold until the next review. */
export interface Decided {
  tier: Tier;
  serviceMode: ServiceMode;
}

/**
 * Everything the registry derives from an account's economics, recomputed on every write: what
 * the rules say (`rules`), and the tier and mode in force, which are the last review's decision
 * when there is one (a review, not a change of figures, moves an account), else the rules'.
 * The cost, profit and revenue figures are those of the mode in force.
 */
export function derivePrioritization(
  e: AccountEconomics,
  opts: { strategic?: boolean; decided?: Decided } = {},
  policy: PrioritizationPolicy = DEFAULT_POLICY,
): DerivedPrioritization {
  const revenue = expectedRevenue(e);
  const rate = marginRate(e, policy);
  const position = positionOf(e.shareOfWallet, policy);
  const lifetime = lifetimeValue(e);
  const highValue = lifetime >= policy.highValueThreshold;
  const rulesTier = tierOf(highValue, position);
  const largeAccount = expectedProfit(revenue, rate, 'dedicated', policy) >= policy.profitTarget;
  const rules = serviceModeOf({
    position,
    largeAccount,
    expectedProfitShared: expectedProfit(revenue, rate, 'shared', policy),
    expectedProfitChannel: expectedProfit(revenue, rate, 'channel', policy),
    strategic: opts.strategic === true,
  });
  const tier = opts.decided?.tier ?? rulesTier;
  const mode = opts.decided?.serviceMode ?? rules.mode;
  const profit = expectedProfit(revenue, rate, mode, policy);
  const clv = customerLifetimeValue(e);
  const justify = revenueToJustify(mode, rate, policy);
  const dedicated = revenueToJustify('dedicated', rate, policy);
  return {
    expectedRevenue: revenue,
    marginRate: rate,
    lifetimeValue: lifetime,
    highValue,
    position,
    tier,
    largeAccount,
    serviceMode: mode,
    serviceModeReason: opts.decided ? 'review' : rules.reason,
    rules: { tier: rulesTier, serviceMode: rules.mode, reason: rules.reason },
    costToServe: costToServe(mode, policy),
    expectedProfit: profit,
    breakEvenRevenue: justify.breakEven,
    targetRevenue: justify.marginTarget,
    dedicatedTargetRevenue: dedicated.marginTarget,
    largeAccountRevenue:
      rate > 0 ? ceilYuan((policy.profitTarget + costToServe('dedicated', policy)) / rate) : null,
    reviewQuadrant: reviewQuadrantOf(e, policy),
    clv,
    priorityScore: priorityScore(tier, clv, revenue, profit),
    routingPriority: routingPriorityOf(tier, mode),
  };
}
