/**
 * The key-account rules, with cases from the practice's own examples (seed 000: the matrix, the
 * cost assumptions, the serving matrix's sample output; seed 002: the order service priority
 * table).
 */
import { describe, expect, it } from 'vitest';
import { rankOrderServicePriority } from '#shared/accounts/order-priority.ts';
import {
  type AccountEconomics,
  costToServe,
  customerLifetimeValue,
  DEFAULT_POLICY,
  derivePrioritization,
  expectedProfit,
  expectedRevenue,
  lifetimeValue,
  marginRate,
  positionOf,
  priorityScore,
  revenueToJustify,
  reviewQuadrantOf,
  serviceModeOf,
  tierOf,
} from '#shared/accounts/prioritization.ts';

const base: AccountEconomics = {
  accountValue: 20_000_000,
  potentialValue: 40_000_000,
  shareOfWallet: 0.5,
  currentMargin: 2_500_000,
  potentialMargin: 5_000_000,
  averageTransactionValue: 10_000,
  yearlyFrequency: 1_000,
  expectedLifetimeYears: 5,
};
const p = DEFAULT_POLICY;

describe('cost to serve by service mode (the practice’s cost assumptions)', () => {
  it.each([
    // a dedicated team: sales 120K + support 120K, +20 %, one account
    ['dedicated', 288_000],
    // a shared team: sales 100K + support 100K, +20 %, five accounts
    ['shared', 48_000],
    // the channel: support 100K + manager 100K + support 80K, +20 %, a hundred accounts
    ['channel', 3_360],
  ] as const)('%s costs %d a year per account', (mode, cost) => {
    expect(costToServe(mode)).toBe(cost);
  });

  it('follows the policy', () => {
    const policy = {
      ...p,
      serviceModes: {
        ...p.serviceModes,
        shared: { accountsServed: 4, salaries: [100_000], otherExpenseRate: 0 },
      },
    };
    expect(costToServe('shared', policy)).toBe(25_000);
  });
});

describe('expected revenue, margin and profit', () => {
  it('multiplies the larger of value and potential by the projected share, or the current one', () => {
    expect(expectedRevenue(base)).toBe(20_000_000);
    expect(expectedRevenue({ ...base, projectedShareOfWallet: 0.6 })).toBe(24_000_000);
    expect(expectedRevenue({ ...base, potentialValue: undefined })).toBe(10_000_000);
  });

  it('measures the margin rate on today’s revenue, and assumes the policy’s for a prospect', () => {
    expect(marginRate(base)).toBe(0.25); // 2.5M on 20M × 0.5
    expect(marginRate({ ...base, accountValue: 0 })).toBe(p.defaultMarginRate);
    expect(marginRate({ ...base, currentMargin: 50_000_000 })).toBe(1);
  });

  it('subtracts the mode’s cost to serve', () => {
    expect(expectedProfit(20_000_000, 0.25, 'dedicated')).toBe(4_712_000);
    expect(expectedProfit(20_000_000, 0.25, 'shared')).toBe(4_952_000);
    expect(expectedProfit(100_000, 0.25, 'dedicated')).toBe(-263_000);
  });

  it('says the revenue that breaks even and the one that meets the 15 % margin target', () => {
    // A dedicated team (288K) on a 25 % margin: 1.152M breaks even; 2.88M leaves 15 % after it.
    expect(revenueToJustify('dedicated', 0.25)).toEqual({ breakEven: 1_152_000, marginTarget: 2_880_000 });
    expect(revenueToJustify('shared', 0.25)).toEqual({ breakEven: 192_000, marginTarget: 480_000 });
    // At a 12 % margin no revenue meets a 15 % target after costs.
    expect(revenueToJustify('dedicated', 0.12)).toEqual({ breakEven: 2_400_000, marginTarget: null });
    expect(revenueToJustify('dedicated', 0)).toEqual({ breakEven: null, marginTarget: null });
    // Whole yuan from the cent, not from floating-point noise: 48 000 ÷ 0.2 is 240 000, not 240 001.
    expect(revenueToJustify('shared', 0.35)).toEqual({ breakEven: 137_143, marginTarget: 240_000 });
    expect(revenueToJustify('dedicated', 0.3)).toEqual({ breakEven: 960_000, marginTarget: 1_920_000 });
  });
});

describe('the matrix: value × account position (share of wallet)', () => {
  it.each([
    [0.7, 'strong'],
    [p.strongPosition, 'strong'],
    [0.35, 'weak'],
    [p.smallPosition, 'weak'],
    [0.1, 'small'],
  ] as const)('a share of wallet of %d is a %s position', (share, position) => {
    expect(positionOf(share)).toBe(position);
  });

  it.each([
    [true, 'strong', 'key'],
    [true, 'weak', 'high-growth'],
    [true, 'small', 'high-growth'],
    [false, 'strong', 'loyal'],
    [false, 'weak', 'low-potential'],
    [false, 'small', 'low-potential'],
  ] as const)('high value %s, position %s → %s', (high, position, tier) => {
    expect(tierOf(high, position)).toBe(tier);
  });

  it('counts value as lifetime value, or value and potential over the same lifetime', () => {
    // CLV 10K × 1,000 × 5 = 50M; the potential 40M a year over 5 years is 200M.
    expect(customerLifetimeValue(base)).toBe(50_000_000);
    expect(lifetimeValue(base)).toBe(200_000_000);
    expect(lifetimeValue({ ...base, potentialValue: undefined, accountValue: 1_000_000 })).toBe(50_000_000);
  });
});

describe('the serving decision', () => {
  const facts = {
    position: 'strong' as const,
    largeAccount: false,
    expectedProfitShared: -1,
    expectedProfitChannel: -1,
    strategic: false,
  };
  // The practice's sample output (Targeting): high value, strong or can be stronger → a dedicated
  // team; dominated by a competitor → monitoring but low priority; the others a shared team or the
  // channel; "Profitable? → Strategic? → low priority / give up" for the rest.
  it.each([
    ['a large account, strong', { largeAccount: true }, 'dedicated', 'large-account'],
    [
      'a large account that can be stronger',
      { largeAccount: true, position: 'weak' },
      'dedicated',
      'large-account',
    ],
    [
      'a large account a competitor dominates',
      { largeAccount: true, position: 'small' },
      'monitor',
      'competitor-dominates',
    ],
    ['profitable with a shared team', { expectedProfitShared: 1 }, 'shared', 'profitable'],
    [
      'profitable only through the channel',
      { expectedProfitChannel: 1 },
      'channel',
      'profitable-through-channel',
    ],
    ['unprofitable but strategic', { strategic: true }, 'shared', 'strategic'],
    ['unprofitable and not strategic', {}, 'channel', 'low-priority'],
  ] as const)('%s → %s (%s)', (_name, over, mode, reason) => {
    expect(serviceModeOf({ ...facts, ...over })).toEqual({ mode, reason });
  });
});

describe('review quadrant: current × potential margin', () => {
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

describe('priority score', () => {
  it('always ranks a higher tier above a lower one, whatever the size', () => {
    expect(priorityScore('key', 1, 1, 0)).toBeGreaterThan(priorityScore('high-growth', 1e12, 1e9, 1e9));
  });

  it('ranks a larger, more profitable account first within a tier, and stays within 0–1000', () => {
    expect(priorityScore('loyal', 50_000_000, 10, 5)).toBeGreaterThan(
      priorityScore('loyal', 5_000_000, 10, 5),
    );
    expect(priorityScore('loyal', 5_000_000, 10, 8)).toBeGreaterThan(
      priorityScore('loyal', 5_000_000, 10, 2),
    );
    expect(priorityScore('key', 1e15, 1, 1)).toBeLessThanOrEqual(1000);
    expect(priorityScore('low-potential', 0, 0, -5)).toBeGreaterThanOrEqual(0);
  });
});

describe('derivePrioritization', () => {
  it('derives every figure from the economics', () => {
    expect(derivePrioritization(base)).toEqual({
      expectedRevenue: 20_000_000,
      marginRate: 0.25,
      lifetimeValue: 200_000_000,
      highValue: true,
      position: 'strong',
      tier: 'key',
      largeAccount: true,
      serviceMode: 'dedicated',
      serviceModeReason: 'large-account',
      rules: { tier: 'key', serviceMode: 'dedicated', reason: 'large-account' },
      costToServe: 288_000,
      expectedProfit: 4_712_000,
      breakEvenRevenue: 1_152_000,
      targetRevenue: 2_880_000,
      dedicatedTargetRevenue: 2_880_000,
      // (2M profit target + 288K) ÷ 25 %
      largeAccountRevenue: 9_152_000,
      reviewQuadrant: 'grow',
      clv: 50_000_000,
      priorityScore: priorityScore('key', 50_000_000, 20_000_000, 4_712_000),
      routingPriority: 1,
    });
  });

  it('does not need the profit target for the key tier, and keeps the large-account list apart', () => {
    // Strong and high value, but a thin margin: key, yet not on the large-account list.
    const d = derivePrioritization({ ...base, currentMargin: 500_000 });
    expect(d.tier).toBe('key');
    expect(d.largeAccount).toBe(false);
    expect(d.serviceMode).toBe('shared');
  });

  it('puts an account a competitor dominates under monitoring, at the lowest routing priority', () => {
    const d = derivePrioritization({ ...base, shareOfWallet: 0.1, currentMargin: 500_000 });
    expect(d).toMatchObject({ tier: 'high-growth', serviceMode: 'monitor', routingPriority: 4 });
  });

  it('keeps a shared team for an unprofitable strategic account', () => {
    const tiny = { ...base, accountValue: 100_000, potentialValue: 100_000, currentMargin: 1_000 };
    expect(derivePrioritization(tiny).serviceMode).toBe('channel');
    expect(derivePrioritization(tiny, { strategic: true })).toMatchObject({
      serviceMode: 'shared',
      serviceModeReason: 'strategic',
    });
  });

  it('keeps a review’s tier and mode in force, costed in that mode, beside what the rules say', () => {
    const d = derivePrioritization(base, { decided: { tier: 'loyal', serviceMode: 'shared' } });
    expect(d).toMatchObject({
      tier: 'loyal',
      serviceMode: 'shared',
      serviceModeReason: 'review',
      costToServe: 48_000,
      routingPriority: 3,
      rules: { tier: 'key', serviceMode: 'dedicated', reason: 'large-account' },
    });
  });

  it('honours a custom policy', () => {
    expect(derivePrioritization(base, {}, { ...p, highValueThreshold: 500_000_000 }).tier).toBe('loyal');
  });

  it('rounds the large-account revenue up from the cent, as the break-even and target revenues', () => {
    // 14.3 %: (2 000 000 + 288 000) ÷ 0.143 is 16 000 000 exactly, 16 000 000.000000002 in
    // floating point; that revenue already meets the profit target.
    const d = derivePrioritization({ ...base, currentMargin: 1_430_000 });
    expect(d.marginRate).toBe(0.143);
    expect(expectedProfit(16_000_000, 0.143, 'dedicated')).toBe(p.profitTarget);
    expect(d.largeAccountRevenue).toBe(16_000_000);
  });
});

describe('order service priority (seed 002’s table)', () => {
  it('ranks profit grade × importance lowest first; equal products share a rank and the next skips', () => {
    const lines = [
      ['A', 1, 2],
      ['B', 4, 3],
      ['C', 2, 3],
      ['D', 10, 2],
      ['E', 6, 2],
      ['F', 3, 1],
      ['G', 5, 3],
      ['H', 8, 2],
      ['L', 9, 3],
      ['Y', 7, 1],
    ] as const;
    const ranked = rankOrderServicePriority(
      lines.map(([id, profitGrade, importance]) => ({ id, profitGrade, importance })),
    );
    expect(ranked.map((l) => [l.id, l.score, l.rank])).toEqual([
      ['A', 2, 1],
      ['F', 3, 2],
      ['C', 6, 3],
      ['Y', 7, 4],
      ['B', 12, 5],
      ['E', 12, 5],
      ['G', 15, 7],
      ['H', 16, 8],
      ['D', 20, 9],
      ['L', 27, 10],
    ]);
  });
});
