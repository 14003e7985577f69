/**
 * Scheduled follow-up calls (回访): booked once per account and interval from the last one (key
 * accounts monthly, the others quarterly) in the standing campaign, and their outcomes with
 * satisfaction scores make the account's trend, through the campaigns API. Retention calls are
 * booked the same way, once per 30 days.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '#functions/campaigns/routes.ts';
import { scoreBook } from '#shared/accounts/churn-run.ts';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { bookedWithin, FOLLOW_UP_DAYS, scheduleFollowUps } from '#shared/campaigns/follow-ups.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { Claims } from '#shared/platform/dynamo/claim.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { transactWrite } from '#shared/platform/dynamo/transact.ts';
import { loadDemo, loadHistory } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

const db = createDocumentClient();
const deps = () => ({
  db,
  tableName: TABLE_NAME(),
  campaigns: new Campaigns(db, TABLE_NAME()),
  accounts: new AccountRepo(db, TABLE_NAME()),
});
const NOW = new Date('2026-11-24T02:00:00Z');
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  await loadDemo(NOW);
  api = apiClient((await import('#functions/campaigns/handler.ts')).handler, campaignRoutes);
});

describe('scheduled follow-up calls', () => {
  it('books one per account and interval, however often the scheduler runs', async () => {
    const first = await scheduleFollowUps(deps(), NOW);
    expect(first.accounts).toBe(17);
    expect(first.booked + first.noTarget).toBe(17);
    expect(first.booked).toBeGreaterThan(10);
    const again = await Promise.all([scheduleFollowUps(deps(), NOW), scheduleFollowUps(deps(), NOW)]);
    expect(again.map((r) => r.booked)).toEqual([0, 0]);
    const callbacks = await deps().campaigns.listCallbacks('account-follow-up');
    expect(callbacks).toHaveLength(first.booked);
    expect(callbacks.every((c) => c.reason === 'account-review' && c.state === 'scheduled')).toBe(true);
    // Ten days on (past 3 December 08:00 Shanghai, where a 30-day period counted from the epoch
    // ended): nothing is due, the interval runs from the last call booked.
    expect((await scheduleFollowUps(deps(), new Date('2026-12-03T22:00:00Z'))).booked).toBe(0);
    // A month on, only the key accounts are due again; the others wait for their quarter.
    const month = new Date(NOW.getTime() + (FOLLOW_UP_DAYS.key + 1) * 86_400_000);
    const later = await scheduleFollowUps(deps(), month);
    const keyAccounts = (await deps().accounts.list()).filter((a) => a.derived.tier === 'key').length;
    expect(later.booked).toBeLessThanOrEqual(keyAccounts);
    expect(later.booked).toBeGreaterThan(0);
  });

  it('keeps each call’s outcome and satisfaction, and the account’s trend', async () => {
    const callbacks = (await deps().campaigns.listCallbacks('account-follow-up')).filter(
      (c) => c.accountId === 'acc-jinhe-grain',
    );
    expect(callbacks.length).toBeGreaterThanOrEqual(2);
    // The calls were placed and answered (around the API: the dialer's part is tested elsewhere).
    for (const c of callbacks)
      await db.send(
        new UpdateCommand({
          TableName: TABLE_NAME(),
          Key: keys.callback.item(c.id),
          UpdateExpression: 'SET #s = :s',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':s': 'completed' },
        }),
      );
    const bad = await api('POST', `/callbacks/${callbacks[0]?.id}/disposition`, {
      disposition: 'reached',
      satisfaction: 6,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('body.satisfaction');
    for (const [i, c] of callbacks.entries()) {
      const r = await api('POST', `/callbacks/${c.id}/disposition`, {
        disposition: 'reached',
        satisfaction: 5 - i,
        notes: i ? '旺季运力紧张' : '满意',
      });
      expect(r.status).toBe(200);
    }
    const f = (await api('GET', '/accounts/acc-jinhe-grain/follow-ups')).json;
    expect(f.items).toHaveLength(callbacks.length);
    expect(f.items[0]).toMatchObject({ disposition: 'reached', notes: '旺季运力紧张' });
    expect(f.items.map((i: { satisfaction: number }) => i.satisfaction).sort()).toEqual(
      callbacks.map((_, i) => 5 - i).sort(),
    );
    expect(f.trend).toBe('unknown'); // fewer than four scores
    expect((await api('GET', '/accounts/acc-kangtai-pharma/follow-ups')).json).toEqual({
      items: [],
      trend: 'unknown',
    });
  });
});

describe('retention calls for an account at high risk', () => {
  // The daily scorer's runs, 06:00 in Shanghai on Thursday 3 and Friday 4 December 2026.
  const thursday = new Date('2026-12-02T22:00:00Z');
  const friday = new Date('2026-12-03T22:00:00Z');
  const churnDeps = () => ({ ...deps(), aggregates: new WeeklyAggregates(db, TABLE_NAME()) });
  const cuileCalls = async () =>
    (await deps().campaigns.callbacks.list('retention-calls')).filter(
      (c) => c.accountId === 'acc-cuile-snacks',
    );

  it('books one per 30 days from the last one, not one on each side of a fixed period', async () => {
    await loadHistory(thursday);
    expect((await scoreBook(churnDeps(), thursday)).booked).toBeGreaterThanOrEqual(1);
    // Friday is past 3 December 08:00 Shanghai, where a 30-day period counted from the epoch ended.
    const friday1 = await scoreBook(churnDeps(), friday);
    expect(friday1.booked).toBe(0);
    expect(await cuileCalls()).toHaveLength(1);
    // Thirty days after Thursday, still at high risk (its drift as recorded by then): the next one.
    const month = new Date(thursday.getTime() + 30 * 86_400_000);
    await loadHistory(month);
    const later = await scoreBook(churnDeps(), month);
    expect(later.booked).toBeGreaterThanOrEqual(1);
    expect(await cuileCalls()).toHaveLength(2);
  });

  it('counts a call booked under the fixed periods until their claims expire', async () => {
    const claims = new Claims(db, TABLE_NAME());
    const period = Math.floor(thursday.getTime() / (30 * 86_400_000));
    await transactWrite(db, [
      claims.guard('legacy', keys.claim.legacyBooking('RETENTION', 'acc-old', 30, period), {
        callbackId: 'cb-old',
      }),
    ]);
    expect(await bookedWithin(claims, 'retention', 'acc-old', thursday, 30)).toBe(true);
    expect(await bookedWithin(claims, 'retention', 'acc-old', new Date('2027-01-05T00:00:00Z'), 30)).toBe(
      false,
    );
  });
});
