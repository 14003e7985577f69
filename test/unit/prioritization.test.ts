import { describe, expect, it } from 'vitest';
import {
  type AccountEconomics,
  customerLifetimeValue,
  DEFAULT_POLICY,
  derivePrioritization,
  expectedAccountProfit,
  expectedAccountValue,
  orderServicePriority,
  priorityScore,
  reviewQuadrantOf,
  tierOf,
} from '#shared/accounts/prioritization.ts';

const base: AccountEconomics = {
  accountValue: 20_000_000,
  potentialValue: 40_000_000,
  shareOfWallet: 0.5,
  costToServe: 2_000_000,
  relationshipStrength: 0.8,
  currentMargin: 3_000_000,
  potentialMargin: 5_000_000,
  averageTransactionValue: 10_000,
  yearlyFrequency: 1_000,
  expectedLifetimeYears: 5,
};

describe('expected account value and profit', () => {
  it('multiplies the larger of value and potential by the competitive position', () => {
    expect(expectedAccountValue(base)).toBe(20_000_000);
    expect(expectedAccountValue({ ...base, potentialValue: undefined })).toBe(10_000_000);
  });

  it('subtracts the cost to serve from the expected value', () => {
    expect(expectedAccountProfit(base)).toBe(18_000_000);
    expect(expectedAccountProfit({ ...base, costToServe: 25_000_000 })).toBe(-5_000_000);
  });
});

describe('tier: the value × relationship matrix', () => {
  const p = DEFAULT_POLICY;
  it.each([
    // expectedValue, meetsProfitTarget, relationship, tier
    [p.highValueThreshold, true, p.strongRelationship, 'key'],
    [p.highValueThreshold, true, p.strongRelationship - 0.01, 'high-growth'],
    [p.highValueThreshold - 1, true, p.strongRelationship, 'loyal'],
    [p.highValueThreshold - 1, true, p.strongRelationship - 0.01, 'low-potential'],
    [p.highValueThreshold * 10, false, 0.99, 'loyal'],
    [p.highValueThreshold * 10, false, 0.1, 'low-potential'],
    [0, false, 0, 'low-potential'],
  ] as const)('value %d, profit target met %s, relationship %d → %s', (value, meets, rel, tier) => {
    expect(tierOf(value, meets, rel)).toBe(tier);
  });
});

describe('review quadrant: current × potential margin', () => {
  const p = DEFAULT_POLICY;
  it.each([
    [p.highCurrentMargin, p.highPotentialMargin, undefined, 'grow'],
    [p.highCurrentMargin - 1, p.highPotentialMargin, undefined, 'cultivate'],
    [p.highCurrentMargin, p.highPotentialMargin - 1, undefined, 'milk'],
    [p.defaultContributionTarget, p.highPotentialMargin - 1, undefined, 'deprioritize'],
    [p.defaultContributionTarget - 1, p.highPotentialMargin - 1, undefined, 'remove'],
    [500_000, 0, 600_000, 'remove'],
    [500_000, 0, 400_000, 'deprioritize'],
  ] as const)(
    'current %d, potential %d, target %s → %s',
    (currentMargin, potentialMargin, contributionTarget, q) => {
      expect(reviewQuadrantOf({ currentMargin, potentialMargin, contributionTarget })).toBe(q);
    },
  );
});

describe('customer lifetime value', () => {
  it('is average transaction value × yearly frequency × expected lifetime', () => {
    expect(customerLifetimeValue(base)).toBe(50_000_000);
    expect(customerLifetimeValue({ ...base, expectedLifetimeYears: 0 })).toBe(0);
  });
});

describe('priority score', () => {
  it('always ranks a higher tier above a lower one, whatever the size', () => {
    const smallKey = priorityScore('key', 1, 1, 0);
    const hugeGrowth = priorityScore('high-growth', 1e12, 1e9, 1e9);
    expect(smallKey).toBeGreaterThan(hugeGrowth);
  });

  it('ranks a larger, more profitable account first within a tier', () => {
    expect(priorityScore('loyal', 50_000_000, 10, 5)).toBeGreaterThan(
      priorityScore('loyal', 5_000_000, 10, 5),
    );
    expect(priorityScore('loyal', 5_000_000, 10, 8)).toBeGreaterThan(
      priorityScore('loyal', 5_000_000, 10, 2),
    );
  });

  it('stays within 0–1000', () => {
    expect(priorityScore('key', 1e15, 1, 1)).toBeLessThanOrEqual(1000);
    expect(priorityScore('low-potential', 0, 0, -5)).toBeGreaterThanOrEqual(0);
  });
});

describe('derivePrioritization', () => {
  it('derives every figure from the economics', () => {
    const d = derivePrioritization(base);
    expect(d).toEqual({
      expectedValue: 20_000_000,
      expectedProfit: 18_000_000,
      meetsProfitTarget: true,
      tier: 'key',
      reviewQuadrant: 'grow',
      clv: 50_000_000,
      priorityScore: priorityScore('key', 50_000_000, 20_000_000, 18_000_000),
      routingPriority: 1,
    });
  });

  it('keeps an account off the key tier when the cost to serve eats its profit', () => {
    const d = derivePrioritization({ ...base, costToServe: 19_500_000 });
    expect(d.meetsProfitTarget).toBe(false);
    expect(d.tier).toBe('loyal');
  });

  it('honours a custom policy', () => {
    const d = derivePrioritization(base, { ...DEFAULT_POLICY, highValueThreshold: 50_000_000 });
    expect(d.tier).toBe('loyal');
  });
});

describe('order service priority', () => {
  it.each([
    [1, 1, 1],
    [2, 3, 6],
    [5, 2, 10],
  ] as const)(
    'profit grade %d × importance %d = %d (lower is served first)',
    (grade, importance, expected) => {
      expect(orderServicePriority(grade, importance)).toBe(expected);
    },
  );
});
