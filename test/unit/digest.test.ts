/**
 * The weekly digest to key-account managers (shared/analytics/digest.ts), from a portfolio and its
 * recorded weeks; sending it, once a week, is in test/integration/cockpit.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ChurnRisk } from '#shared/accounts/churn.ts';
import type { Account } from '#shared/accounts/model.ts';
import { type AccountEconomics, derivePrioritization } from '#shared/accounts/prioritization.ts';
import { type AccountWeek, emptyAccountWeek } from '#shared/analytics/aggregates.ts';
import { portfolio } from '#shared/analytics/cockpit.ts';
import { weeklyDigests } from '#shared/analytics/digest.ts';

const economics: AccountEconomics = {
  accountValue: 60_000_000,
  shareOfWallet: 0.55,
  currentMargin: 3_000_000,
  potentialMargin: 4_000_000,
  averageTransactionValue: 20_000,
  yearlyFrequency: 1_500,
  expectedLifetimeYears: 5,
};
const account = (over: Partial<Account> = {}) =>
  ({
    id: 'acc-cuile-snacks',
    name: '脆乐食品',
    nameEn: 'Cuile Snacks',
    status: 'active',
    accountManager: '王经理',
    economics,
    derived: derivePrioritization(economics),
    ...over,
  }) as Account;
const managers = [{ name: '王经理', email: 'wang@example.com' }];

const risk = (level: ChurnRisk['level'], score: number): AccountWeek['churn'] => ({
  score,
  level,
  reasons: [{ signal: 'volume', points: 30, text: { 'zh-CN': '发货量下降', en: 'Shipments down' } }],
});
const week = (accountId: string, w: string, churn?: AccountWeek['churn']): AccountWeek => ({
  ...emptyAccountWeek(accountId, w),
  tier: 'key',
  quadrant: 'grow',
  shareOfWallet: 0.55,
  status: 'active',
  ...(churn ? { churn } : {}),
});

function digestsAt(now: Date, book: Account[], recorded: AccountWeek[], previous?: Map<string, string[]>) {
  const p = portfolio(book, recorded, now);
  return weeklyDigests(book, p, recorded, managers, 'https://x/#cockpit', now, previous);
}

const CUILE = 'acc-cuile-snacks';
const told = (d: { mail: { text: string } }[]) => d[0]?.mail.text.includes('Cuile Snacks: Shipments down');

describe('the weekly digest’s accounts newly at high risk', () => {
  // Mondays 23 and 30 November 2026 (weeks 48 and 49), 08:00 Shanghai.
  const monday48 = new Date('2026-11-23T00:00:00Z');
  const monday49 = new Date('2026-11-30T00:00:00Z');

  it('tells once of an account that turned high on a Tuesday, against what the previous digest found', () => {
    // Monday 23 November that morning's score is medium.
    const first = digestsAt(
      monday48,
      [account()],
      [week(CUILE, '2026-W47', risk('medium', 30)), week(CUILE, '2026-W48', risk('medium', 35))],
    );
    expect(first[0]?.highRisk).toEqual([]);
    // Tuesday it turns high and stays high: week 48's item keeps Sunday's score, high too.
    const recorded = [week(CUILE, '2026-W48', risk('high', 62)), week(CUILE, '2026-W49', risk('high', 64))];
    const previous = new Map([['wang@example.com', first[0]?.highRisk ?? []]]);
    const second = digestsAt(monday49, [account()], recorded, previous);
    expect([told(first), told(second)]).toEqual([false, true]);
    expect(second[0]?.mail.subject).toMatch(/: 1 newly at high churn risk$/);
    expect(second[0]?.highRisk).toEqual([CUILE]);
    // The Monday after, still high: the previous digest told it already.
    const third = digestsAt(
      new Date('2026-12-07T00:00:00Z'),
      [account()],
      [week(CUILE, '2026-W50', risk('high', 66))],
      new Map([['wang@example.com', [CUILE]]]),
    );
    expect(told(third)).toBe(false);
  });

  it('goes by last week’s recorded level for a manager with no previous digest on record', () => {
    const recorded = [week(CUILE, '2026-W48', risk('medium', 35)), week(CUILE, '2026-W49', risk('high', 64))];
    expect(told(digestsAt(monday49, [account()], recorded))).toBe(true);
    const already = [week(CUILE, '2026-W48', risk('high', 62)), week(CUILE, '2026-W49', risk('high', 64))];
    expect(told(digestsAt(monday49, [account()], already))).toBe(false);
  });
});

describe('the weekly digest’s credit reviews', () => {
  it('names the active accounts’ reviews due, not a lost account’s', () => {
    // Monday 30 November 2026, 08:00 Shanghai: both reviews are overdue.
    const now = new Date('2026-11-30T00:00:00Z');
    const credit = { rating: 'BBB' as const, limit: 1_000_000, reviewDue: '2026-10-31' };
    const book = [
      account({ credit }),
      account({
        id: 'acc-beichen-lighting',
        name: '北辰照明',
        nameEn: 'Beichen Lighting',
        status: 'lost',
        statusReason: '转投竞争对手',
        credit,
      }),
    ];
    const text = digestsAt(now, book, [])[0]?.mail.text ?? '';
    expect(text).toContain('Cuile Snacks: overdue since 2026-10-31');
    expect(text).not.toContain('Beichen Lighting');
  });
});
