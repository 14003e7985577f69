/**
 * POST /campaigns against DynamoDB Local behind the fault-injecting proxy: a create retried after
 * a failure part-way leaves one campaign with each callback once (and a retry whose form was edited
 * holds only its own callbacks), and what the dialer could never
 * work (a window that never opens or ends at its start, an expiry past, nobody to call, a quota of
 * its own) is refused with a 400 naming the field, in both languages.
 */
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '#functions/campaigns/routes.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { resolveAudience } from '#shared/campaigns/audience.ts';
import type { Dialer, DialRequest } from '#shared/campaigns/connect-dialer.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { CampaignInput } from '#shared/campaigns/model.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let proxy: DynamoProxy;
let api: ReturnType<typeof apiClient>;
const ACCOUNT = 'acc-api-faults';
/** Now, in a Monday's calling hours in Shanghai. */
const T = DateTime.now()
  .setZone('Asia/Shanghai')
  .set({ weekday: 1, hour: 10, minute: 0 })
  .plus({ weeks: 1 })
  .toJSDate();

beforeAll(async () => {
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  const db = createDocumentClient();
  await new Accounts(db, TABLE_NAME()).save(
    ACCOUNT,
    AccountInput.parse(
      accountBody({
        contacts: [0, 1, 2].map((i) => ({
          id: `c-faults-${i}`,
          name: `联系人${i}`,
          phones: [{ number: `+861394000000${i}`, label: 'mobile' as const }],
          consent: { calls: true, sms: true, email: true },
        })),
      }),
    ),
  );
  db.destroy();
  api = apiClient((await import('#functions/campaigns/handler.ts')).handler, campaignRoutes);
});
afterEach(async () => {
  await proxy.settled();
  proxy.reset();
});
afterAll(() => proxy.stop());

const body = (extra: Record<string, unknown> = {}) => ({
  name: '回访活动',
  type: 'account-review',
  audience: { accountIds: [ACCOUNT], onePerAccount: false },
  ...extra,
});

/** Every campaign of that name, read a page at a time to the end. */
async function campaignsNamed(name: string) {
  const found: { id: string; name: string; counts: { targets: number } }[] = [];
  let next: string | undefined;
  do {
    const page = await api('GET', `/campaigns?limit=100${next ? `&next=${next}` : ''}`);
    found.push(...page.json.items.filter((c: { name: string }) => c.name === name));
    next = page.json.next;
  } while (next);
  return found;
}

const paths = (res: { json: { errors?: { path: string }[] } }) => (res.json.errors ?? []).map((e) => e.path);

describe('POST /campaigns retried after a failure part-way', () => {
  it('leaves one campaign, not two, when the callbacks’ batch write failed the first time', async () => {
    const name = `retry-${Date.now()}`;
    // DynamoDB fails the callbacks' batch write.
    proxy.fault = { fail: 'server-error', ops: ['BatchWriteItem'] };
    const first = await api('POST', '/campaigns', body({ name, startNow: true }), {
      'Idempotency-Key': 'faults-retry-0001',
    });
    expect(first.status).toBe(500);
    proxy.reset();
    const retried = await api('POST', '/campaigns', body({ name, startNow: true }), {
      'Idempotency-Key': 'faults-retry-0001',
    });
    expect(retried.status).toBe(201);
    const all = await campaignsNamed(name);
    expect(all).toHaveLength(1);
    const callbacks = await api('GET', `/campaigns/${all[0]?.id}/callbacks`);
    expect(callbacks.json.items).toHaveLength(3);
  });

  it('answers the campaign already made to a retry whose first reply was lost, and rewrites no callback', async () => {
    const db = createDocumentClient();
    const campaigns = new Campaigns(db, TABLE_NAME());
    const accounts = new Accounts(db, TABLE_NAME());
    const input = CampaignInput.parse(body({ name: `lost-reply-${Date.now()}`, startNow: true }));
    const { targets, excluded } = await resolveAudience(accounts, input.audience, input.type);
    const key = 'team-lead:lead-1:faults-lost-reply';
    const first = await campaigns.createCampaign(input, targets, excluded, 'lead', T, key);
    // The dialer has started on it meanwhile.
    const [cb] = await campaigns.listCallbacks(first.id);
    if (!cb) throw new Error('no callback');
    expect(await campaigns.callbacks.claim(cb, 'run-1', T)).toBeDefined();
    const again = await campaigns.createCampaign(
      input,
      targets,
      excluded,
      'lead',
      new Date(T.getTime() + 60_000),
      key,
    );
    expect(again).toEqual(first);
    const after = await campaigns.listCallbacks(first.id);
    expect(after).toHaveLength(3);
    expect(after.find((c) => c.id === cb.id)?.state).toBe('dialing');
    db.destroy();
  });

  it('holds only an edited retry’s callbacks: a contact taken out after the failure is not called', async () => {
    // The first create's callbacks are written, then the campaign item's put fails (a throttle, the
    // Lambda's timeout): the request answers 500 and Powertools drops its idempotency record. The
    // desktop keeps the key until a create succeeds, so the lead's edited form comes with the same key.
    const db = createDocumentClient();
    const accounts = new Accounts(db, TABLE_NAME());
    const account = async (id: string, phone: string) =>
      (
        await accounts.save(
          id,
          AccountInput.parse(
            accountBody({
              contacts: [
                {
                  id: `${id}-c`,
                  name: '联系人',
                  phones: [{ number: phone, label: 'mobile' as const }],
                  consent: { calls: true, sms: true, email: true },
                },
              ],
            }),
          ),
          { now: T },
        )
      ).account;
    const a = await account('acc-faults-edited-a', '+8613950009911');
    const b = await account('acc-faults-edited-b', '+8613950009912');
    const input = (accountIds: string[]) =>
      CampaignInput.parse({
        name: `edited-retry-${Date.now()}`,
        type: 'account-review',
        audience: { accountIds, onePerAccount: false },
        startNow: true,
        pacing: { dialsPerMinute: 600, maxConcurrent: 500 },
      });
    const key = 'team-lead:u-1:faults-edited-retry';

    const failing = new Campaigns(db, TABLE_NAME());
    failing.repo.create = async () => {
      throw Object.assign(new Error('Throughput exceeds the current capacity'), {
        name: 'ProvisionedThroughputExceededException',
      });
    };
    const first = input([a.id, b.id]);
    const r1 = await resolveAudience(accounts, first.audience, first.type);
    await expect(failing.createCampaign(first, r1.targets, r1.excluded, 'lead', T, key)).rejects.toThrow();

    // The lead takes B out and submits again with the same key.
    const second = input([a.id]);
    const r2 = await resolveAudience(accounts, second.audience, second.type);
    const campaigns = new Campaigns(db, TABLE_NAME());
    const c = await campaigns.createCampaign(second, r2.targets, r2.excluded, 'lead', T, key);
    expect(c.counts.targets).toBe(1);
    expect((await campaigns.listCallbacks(c.id)).map((cb) => cb.accountId)).toEqual([a.id]);

    let clock = T.getTime();
    const calls: DialRequest[] = [];
    const dialer: Dialer = {
      dial: async (req) => {
        calls.push(req);
        return { contactId: `contact-${req.callbackId}-${req.attempt}` };
      },
    };
    await runDialer(
      { campaigns, accounts: accounts.repo, dialer },
      {
        quotaPerSecond: 2,
        burst: 5,
        maxRunMs: 50_000,
        now: () => new Date(clock),
        sleep: async (ms) => {
          clock += ms;
        },
      },
    );
    // Other tests' running campaigns in this table may be dialed too: only A and B are looked at.
    const dialed = calls.map((d) => d.attributes.accountId).filter((id) => id === a.id || id === b.id);
    expect(dialed).toEqual([a.id]);
    db.destroy();
  });

  it('makes two campaigns from two keys: the id is the key’s (and the body’s), not the body’s alone', async () => {
    const name = `two-keys-${Date.now()}`;
    const a = await api('POST', '/campaigns', body({ name }), { 'Idempotency-Key': 'faults-two-keys-a' });
    const b = await api('POST', '/campaigns', body({ name }), { 'Idempotency-Key': 'faults-two-keys-b' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json.id).not.toBe(b.json.id);
  });
});

describe('POST /campaigns refuses what the dialer could never work', () => {
  it.each(['en', 'zh-CN'])(
    'answers 400 naming body.window for a window that never opens (every open day a holiday), in %s',
    async (lang) => {
      // Sundays only, and every Sunday of the next two and a half weeks a holiday.
      const today = DateTime.now().setZone('Asia/Shanghai').startOf('day');
      const sundays: string[] = [];
      for (let i = -1; i <= 18; i++) {
        const d = today.plus({ days: i });
        if (d.weekday === 7) sundays.push(d.toISODate() ?? '');
      }
      const res = await api(
        'POST',
        '/campaigns',
        body({ window: { days: [7], start: '09:00', end: '18:00', holidays: sundays } }),
        { 'accept-language': lang },
      );
      expect(res.status).toBe(400);
      const error = res.json.errors.find((e: { path: string }) => e.path === 'body.window');
      expect(error.message).toMatch(lang === 'en' ? /does not open in the next 15 days/ : /从不开放/);
    },
  );

  it.each([
    ['en', /must differ from the start/],
    ['zh-CN', /不能与开始时间相同/],
  ])('answers 400 naming body.window.end for a window ending at its start, in %s', async (lang, words) => {
    const res = await api('POST', '/campaigns', body({ window: { start: '09:00', end: '09:00' } }), {
      'accept-language': lang,
    });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ path: 'body.window.end', message: expect.stringMatching(words) }]);
  });

  it('answers 400 naming body.expiresAt for an expiry already past', async () => {
    const res = await api('POST', '/campaigns', body({ expiresAt: '2020-01-01T00:00:00+08:00' }));
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['body.expiresAt']);
  });

  it('answers 400 naming body.audience when nobody in the audience can be called, and creates nothing', async () => {
    const name = `nobody-${Date.now()}`;
    const res = await api(
      'POST',
      '/campaigns',
      body({ name, audience: { accountIds: ['acc-nobody-here'] } }),
      { 'accept-language': 'zh-CN' },
    );
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([
      { path: 'body.audience', message: expect.stringMatching(/没有可拨打的联系人/) },
    ]);
    expect(await campaignsNamed(name)).toHaveLength(0);
  });

  it.each(['quotaPerSecond', 'burst'])(
    'answers 400 naming body.pacing.%s: the Connect quota is the deployment’s',
    async (field) => {
      const res = await api('POST', '/campaigns', body({ pacing: { dialsPerMinute: 30, [field]: 2 } }));
      expect(res.status).toBe(400);
      expect(res.json.errors).toEqual([
        { path: `body.pacing.${field}`, message: expect.stringMatching(/DIAL_QUOTA_PER_SECOND/) },
      ]);
    },
  );

  it('keeps the campaign’s own pace (dials a minute, agents) and stores no quota of its own', async () => {
    const res = await api('POST', '/campaigns', body({ pacing: { dialsPerMinute: 12, maxConcurrent: 3 } }));
    expect(res.status).toBe(201);
    expect(res.json.pacing).toEqual({ dialsPerMinute: 12, maxConcurrent: 3 });
    const stored = await new Campaigns(createDocumentClient(), TABLE_NAME()).requireCampaign(res.json.id);
    expect(stored.pacing).toEqual({ dialsPerMinute: 12, maxConcurrent: 3 });
  });
});
