/**
 * The account review end to end: the proposal and its conflicts through the API, a manager's
 * decision, and the next call routed by it (the screen-pop Lambda, as Connect invokes it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { accountRoutes } from '#functions/accounts/routes.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { loadDemo } from '../support/demo.ts';
import { apiClient } from '../support/http.ts';

type Handler = (event: unknown, context?: unknown) => Promise<Record<string, string>>;
let api: ReturnType<typeof apiClient>;
let pop: Handler;

beforeAll(async () => {
  await loadDemo();
  process.env.DEFAULT_QUEUE = 'general-service';
  api = apiClient((await import('#functions/accounts/handler.ts')).handler, accountRoutes);
  pop = (await import('#functions/screen-pop/handler.ts')).handler as Handler;
});

/** The demo's lost accounts (DEMO_LOSSES): no tier, team or credit line left to decide. */
const LOST = ['acc-beichen-lighting', 'acc-dongfang-electric'];
const ZHAO = '+8613910012001'; // 金禾粮油 (Jinhe Grain & Oil)
const call = (contactId: string) =>
  pop(contactFlowEvent({ from: ZHAO, contactId }), { getRemainingTimeInMillis: () => 8000 });

describe('the account review', () => {
  it('proposes, with its conflicts, and lists what is due: conflicts first, then by priority', async () => {
    const review = await api('GET', '/accounts/acc-hengju-plastics/review');
    expect(review.status).toBe(200);
    expect(review.json.proposal).toMatchObject({
      tier: 'high-growth',
      serviceMode: 'dedicated',
      conflicts: ['no-dedicated-team'],
      current: { source: 'rules', queue: 'chemicals-service' },
      due: true,
    });
    expect(review.json.history).toEqual([]);
    const due = (await api('GET', '/reviews')).json.items as {
      account: { id: string };
      proposal: { conflicts: string[] };
    }[];
    expect(due.length).toBe(15); // the demo's 17 accounts, not the two lost
    expect(due[0]?.proposal.conflicts.length).toBeGreaterThan(0);
    expect(due.map((d) => d.account.id)).toContain('acc-jinhe-grain');
  });

  it('leaves lost accounts off the revised priority list and the credit reviews to do', async () => {
    const due = (await api('GET', '/reviews')).json.items as { account: { id: string } }[];
    const credit = (await api('GET', '/credit-reviews?withinDays=366')).json.items as {
      account: { id: string };
    }[];
    const ids = [...due, ...credit].map((i) => i.account.id);
    expect(ids).toContain('acc-cuile-snacks');
    expect(ids.filter((id) => LOST.includes(id))).toEqual([]);
  });

  it('moves the account only on a decision, and the next call routes by it', async () => {
    expect(await call('c-review-before')).toMatchObject({
      tier: 'key',
      priority: '1',
      routingQueueName: 'ka-grain-oil',
    });
    const account = (await api('GET', '/accounts/acc-jinhe-grain')).json;
    // An amendment needs its reason; the field is named.
    const refused = await api('POST', '/accounts/acc-jinhe-grain/review', {
      version: account.version,
      decision: 'amend',
      tier: 'loyal',
      serviceMode: 'shared',
    });
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual([{ path: 'body.reason', message: 'an amendment needs its reason' }]);
    // In the agent's language when the desktop asks for Chinese.
    const zh = await api(
      'POST',
      '/accounts/acc-jinhe-grain/review',
      { version: account.version, decision: 'amend', tier: 'loyal' },
      { 'accept-language': 'zh-CN' },
    );
    expect(zh.json.errors).toEqual([{ path: 'body.reason', message: '修改须填写理由' }]);
    const decided = await api('POST', '/accounts/acc-jinhe-grain/review', {
      version: account.version,
      decision: 'amend',
      tier: 'loyal',
      serviceMode: 'shared',
      reason: '份额被竞争对手蚕食，季度评审改为共享团队',
    });
    expect(decided.status).toBe(200);
    expect(decided.json.account).toMatchObject({
      version: account.version + 1,
      review: { decision: 'amended', tier: 'loyal', serviceMode: 'shared' },
      derived: { tier: 'loyal', serviceMode: 'shared', rules: { tier: 'key', serviceMode: 'dedicated' } },
    });
    // The next call goes to the shared service group, at the loyal tier's priority.
    expect(await call('c-review-after')).toMatchObject({
      tier: 'loyal',
      priority: '3',
      routingQueueName: 'fmcg-service',
    });
    const history = (await api('GET', '/accounts/acc-jinhe-grain/review')).json;
    expect(history.history).toMatchObject([
      {
        decision: 'amended',
        reason: '份额被竞争对手蚕食，季度评审改为共享团队',
        before: { tier: 'key', serviceMode: 'dedicated', queue: 'ka-grain-oil' },
        after: { tier: 'loyal', serviceMode: 'shared', queue: 'fmcg-service' },
      },
    ]);
    expect(history.proposal).toMatchObject({
      due: false,
      current: { source: 'review', queue: 'fmcg-service' },
      // The shared service released the team: going back to a dedicated one needs a team again.
      changes: ['tier', 'serviceMode'],
      conflicts: ['no-dedicated-team'],
    });
    // A stale version is refused, naming the current one.
    const stale = await api('POST', '/accounts/acc-jinhe-grain/review', {
      version: account.version,
      decision: 'accept',
    });
    expect(stale.status).toBe(409);
    // Reviewed: no longer due this quarter, but within the next 100 days.
    const due = (await api('GET', '/reviews')).json.items.map(
      (d: { account: { id: string } }) => d.account.id,
    );
    expect(due).not.toContain('acc-jinhe-grain');
    const soon = (await api('GET', '/reviews?withinDays=100')).json.items.map(
      (d: { account: { id: string } }) => d.account.id,
    );
    expect(soon).toContain('acc-jinhe-grain');
  });

  it('holds through a change of figures until the next review', async () => {
    const account = (await api('GET', '/accounts/acc-jinhe-grain')).json;
    const { id: _id, derived: _d, review: _r, createdAt: _c, updatedAt: _u, contacts, ...input } = account;
    const saved = await api('PUT', '/accounts/acc-jinhe-grain', {
      ...input,
      contacts: contacts.map(({ accountId: _a, doNotCallSince: _s, ...c }: Record<string, unknown>) => ({
        ...c,
        phones: (c.phones as { e164: string; label: string }[]).map((p) => ({
          number: p.e164,
          label: p.label,
        })),
      })),
      economics: { ...input.economics, shareOfWallet: 0.7 },
    });
    expect(saved.status).toBe(200);
    expect(saved.json.derived).toMatchObject({
      tier: 'loyal',
      serviceMode: 'shared',
      rules: { tier: 'key' },
    });
    expect(await call('c-review-later')).toMatchObject({ tier: 'loyal', routingQueueName: 'fmcg-service' });
  });

  it('keeps each account’s credit and lists the credit reviews to do: overdue, coming up, unrated', async () => {
    const review = await api('GET', '/accounts/acc-cuile-snacks/review');
    expect(review.json.creditState).toBe('review-overdue');
    const { items } = (await api('GET', '/credit-reviews?withinDays=366')).json as {
      items: { account: { id: string }; state: string; credit?: { rating: string } }[];
    };
    // Overdue first (by date), then coming up by date, then the accounts never rated.
    expect(items[0]).toMatchObject({ account: { id: 'acc-cuile-snacks' }, state: 'review-overdue' });
    const states = items.map((i) => i.state);
    expect(states.indexOf('unrated')).toBeGreaterThan(states.lastIndexOf('review-soon'));
    expect(items.filter((i) => i.state === 'unrated')).toHaveLength(10); // 12 never rated, two of them lost
    const account = (await api('GET', '/accounts/acc-ruida-chemicals')).json;
    const bad = await api('PUT', '/accounts/acc-ruida-chemicals', {
      ...inputOf(account),
      credit: { rating: 'Z', limit: 1, reviewDue: '31/12/2027' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.credit.rating',
      'body.credit.reviewDue',
    ]);
    const rated = await api('PUT', '/accounts/acc-ruida-chemicals', {
      ...inputOf(account),
      credit: { rating: 'BB', limit: 200_000, reviewDue: '2027-06-30' },
    });
    expect(rated.status).toBe(200);
    expect((await api('GET', '/accounts/acc-ruida-chemicals/review')).json.creditState).toBe('ok');
  });
});

/** An account as read, turned back into the input that replaces it. */
function inputOf(account: Record<string, unknown>) {
  const { id: _id, derived: _d, review: _r, createdAt: _c, updatedAt: _u, contacts, ...input } = account;
  return {
    ...input,
    contacts: (contacts as Record<string, unknown>[]).map(({ accountId: _a, doNotCallSince: _s, ...c }) => ({
      ...c,
      phones: (c.phones as { e164: string; label: string }[]).map((p) => ({
        number: p.e164,
        label: p.label,
      })),
    })),
  };
}
