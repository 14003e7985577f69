/**
 * The weekly digest to key-account managers (shared/analytics/digest.ts), from a portfolio and its
 * recorded weeks; sending it, once a week, is in test/integration/cockpit.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Account } from '#shared/accounts/model.ts';
import { type AccountEconomics, derivePrioritization } from '#shared/accounts/prioritization.ts';
import type { AccountWeek } from '#shared/analytics/aggregates.ts';
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

function digestsAt(now: Date, book: Account[], recorded: AccountWeek[]) {
  return weeklyDigests(book, portfolio(book, recorded, now), recorded, managers, 'https://x/#cockpit', now);
}

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
    const text = digestsAt(now, book, [])[0]?.text ?? '';
    expect(text).toContain('Cuile Snacks: overdue since 2026-10-31');
    expect(text).not.toContain('Beichen Lighting');
  });
});
