/**
 * Key-account prioritization: the business rules of DESIGN.md §1 as pure functions.
 *
 * Money is in CNY per year unless a name says otherwise. Shares and strengths are fractions 0–1.
 */
import type * as z from 'zod';
import type { AccountEconomicsSchema, Derived } from './model.ts';

export const TIERS = ['key', 'high-growth', 'loyal', 'low-potential'] as const;
export type Tier = (typeof TIERS)[number];

export const QUADRANTS = ['grow', 'cultivate', 'milk', 'deprioritize', 'remove'] as const;
export type ReviewQuadrant = (typeof QUADRANTS)[number];

/** Thresholds of the key-account list and the two matrices. One policy for the whole book. */
export interface PrioritizationPolicy {
  /** Expected account profit an account must reach to earn a place on the key-account list. */
  profitTarget: number;
  /** Expected account value at or above which an account counts as high value. */
  highValueThreshold: number;
  /** Relationship strength at or above which a relationship counts as strong. */
  strongRelationship: number;
  /** Current margin contribution at or above which it counts as high. */
  highCurrentMargin: number;
  /** Potential margin contribution at or above which it counts as high. */
  highPotentialMargin: number;
  /** Contribution target used when an account sets none of its own. */
  defaultContributionTarget: number;
}

export const DEFAULT_POLICY: PrioritizationPolicy = {
  profitTarget: 1_000_000,
  highValueThreshold: 5_000_000,
  strongRelationship: 0.6,
  highCurrentMargin: 1_500_000,
  highPotentialMargin: 2_500_000,
  defaultContributionTarget: 200_000,
};

/** An account's economics and what the registry derives from them: types of the zod schemas. */
export type AccountEconomics = z.output<typeof AccountEconomicsSchema>;
export type DerivedPrioritization = z.output<typeof Derived>;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Expected account value = account value (or its potential) × competitive position. */
export function expectedAccountValue(
  e: Pick<AccountEconomics, 'accountValue' | 'potentialValue' | 'shareOfWallet'>,
) {
  const base = Math.max(e.accountValue, e.potentialValue ?? 0);
  return round2(base * e.shareOfWallet);
}

/** Expected account profit = expected account value − cost to serve. */
export function expectedAccountProfit(
  e: Pick<AccountEconomics, 'accountValue' | 'potentialValue' | 'shareOfWallet' | 'costToServe'>,
) {
  return round2(expectedAccountValue(e) - e.costToServe);
}

/**
 * The value × relationship matrix. High value means an expected account value at or above the
 * threshold *and* an expected profit that meets the profit target: an account whose cost to
 * serve eats its value has not earned a dedicated team, so it is never "key".
 */
export function tierOf(
  expectedValue: number,
  meetsProfitTarget: boolean,
  relationshipStrength: number,
  policy: PrioritizationPolicy = DEFAULT_POLICY,
): Tier {
  const highValue = expectedValue >= policy.highValueThreshold && meetsProfitTarget;
  const strong = relationshipStrength >= policy.strongRelationship;
  if (highValue) return strong ? 'key' : 'high-growth';
  return strong ? 'loyal' : 'low-potential';
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

/** CLV = average transaction value × yearly purchase frequency × expected lifetime (years). */
export function customerLifetimeValue(
  e: Pick<AccountEconomics, 'averageTransactionValue' | 'yearlyFrequency' | 'expectedLifetimeYears'>,
) {
  return round2(e.averageTransactionValue * e.yearlyFrequency * e.expectedLifetimeYears);
}

const TIER_BASE: Record<Tier, number> = { key: 700, 'high-growth': 500, loyal: 300, 'low-potential': 100 };
const ROUTING_PRIORITY: Record<Tier, number> = { key: 1, 'high-growth': 2, loyal: 3, 'low-potential': 4 };

/**
 * Priority score, 0–1000. The tier sets the band (key 700+, high-growth 500+, loyal 300+,
 * low potential 100+), so a higher tier always outranks a lower one. Inside a band, up to 199
 * points come from CLV on a log scale (CNY 10k → 0, CNY 10bn → 150) and from the expected
 * profit margin (up to 49, the band never spills into the next), so a bigger, more profitable account ranks first.
 */
export function priorityScore(
  tier: Tier,
  clv: number,
  expectedValue: number,
  expectedProfit: number,
): number {
  const clvPoints = Math.min(150, Math.max(0, (Math.log10(Math.max(clv, 1)) - 4) * 25));
  const margin = expectedValue > 0 ? Math.max(0, Math.min(1, expectedProfit / expectedValue)) : 0;
  return TIER_BASE[tier] + Math.min(199, Math.floor(clvPoints + margin * 49));
}

/** Everything the registry derives from an account's economics. Recomputed on every write. */
export function derivePrioritization(
  e: AccountEconomics,
  policy: PrioritizationPolicy = DEFAULT_POLICY,
): DerivedPrioritization {
  const expectedValue = expectedAccountValue(e);
  const expectedProfit = expectedAccountProfit(e);
  const meetsProfitTarget = expectedProfit >= policy.profitTarget;
  const tier = tierOf(expectedValue, meetsProfitTarget, e.relationshipStrength, policy);
  const clv = customerLifetimeValue(e);
  return {
    expectedValue,
    expectedProfit,
    meetsProfitTarget,
    tier,
    reviewQuadrant: reviewQuadrantOf(e, policy),
    clv,
    priorityScore: priorityScore(tier, clv, expectedValue, expectedProfit),
    routingPriority: ROUTING_PRIORITY[tier],
  };
}

/**
 * Order service priority = profit grade × importance (1 = a delay loses the sale, 2 = a slight
 * delay is acceptable, 3 = a longer delay is acceptable). Lower scores are served first.
 */
export function orderServicePriority(profitGrade: 1 | 2 | 3 | 4 | 5, importance: 1 | 2 | 3): number {
  return profitGrade * importance;
}
