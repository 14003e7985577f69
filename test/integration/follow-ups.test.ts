/**
 * Scheduled follow-up calls (回访): booked once per account and period (key accounts monthly,
 * the others quarterly) in the standing campaign, and their outcomes with satisfaction scores make
 * the account's trend, through the campaigns API.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '#functions/campaigns/routes.ts';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { FOLLOW_UP_DAYS, scheduleFollowUps } from '#shared/campaigns/follow-ups.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { loadDemo } from '../support/demo.ts';
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
  it('books one per account and period, however often the scheduler runs', async () => {
    const first = await scheduleFollowUps(deps(), NOW);
    expect(first.accounts).toBe(17);
    expect(first.booked + first.noTarget).toBe(17);
    expect(first.booked).toBeGreaterThan(10);
    const again = await Promise.all([scheduleFollowUps(deps(), NOW), scheduleFollowUps(deps(), NOW)]);
    expect(again.map((r) => r.booked)).toEqual([0, 0]);
    const callbacks = await deps().campaigns.listCallbacks('account-follow-up');
    expect(callbacks).toHaveLength(first.booked);
    expect(callbacks.every((c) => c.reason === 'account-review' && c.state === 'scheduled')).toBe(true);
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
