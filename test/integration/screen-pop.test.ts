import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contactFlowEvent, type SimulatedCall } from '#local/connect-simulator.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { planSave } from '#shared/accounts/registry.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { CallLog } from '#shared/inbound/directory.ts';
import { MAX_RESPONSE_BYTES } from '#shared/platform/connect/event.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { COUNTS_INDEX } from '#shared/platform/dynamo/table.ts';
import { decided } from '#shared/platform/errors.ts';
import { loadDemo } from '../support/demo.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';

type Handler = (event: unknown, context?: unknown) => Promise<Record<string, string>>;
let handler: Handler;
let proxy: DynamoProxy;
const BUDGET_MS = 400;

beforeAll(async () => {
  await loadDemo();
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  process.env.LOOKUP_BUDGET_MS = String(BUDGET_MS);
  process.env.DEFAULT_QUEUE = 'general-service';
  process.env.QUEUE_ARNS = JSON.stringify({
    'ka-grain-oil': 'arn:aws:connect:cn-north-1:000000000000:instance/x/queue/ka-grain-oil',
  });
  ({ handler } = (await import('#functions/screen-pop/handler.ts')) as { handler: Handler });
  // Warm the SDK's connection pool, as a warm Lambda has it: the round-trip count below reads
  // the proxy's clock, and opening a second socket on a cold client would blur "in parallel".
  await handler(contactFlowEvent({ from: '+8613910012002' }));
  await handler(contactFlowEvent({ from: '+8613910012002' }));
});

afterAll(() => proxy.stop());
beforeEach(async () => {
  // The records of the test before, which land after its answer, are not this test's calls.
  await proxy.settled();
  proxy.reset();
});

/** Where 金禾's key-account callers go: its dedicated team's queue. */
const KEY_ROUTE = {
  known: 'true',
  accountId: 'acc-jinhe-grain',
  tier: 'key',
  priority: '1',
  routingQueueName: 'ka-grain-oil',
  dedicatedAgent: '李晓雯',
};

const call = (c: SimulatedCall) => handler(contactFlowEvent(c), { getRemainingTimeInMillis: () => 8000 });

/** Connect's STRING_MAP rules: flat, string values, restricted keys, under 32 KB. */
function expectConnectShape(answer: Record<string, string>) {
  for (const [k, v] of Object.entries(answer)) {
    expect(k).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(typeof v).toBe('string');
  }
  expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThan(MAX_RESPONSE_BYTES);
  for (const key of [
    'known',
    'lookupStatus',
    'accountId',
    'accountName',
    'tier',
    'priority',
    'segment',
    'routingQueue',
    'dedicatedAgent',
    'language',
    'contactName',
    'openComplaints',
    'delayedShipments',
    'screenPopUrl',
  ]) {
    expect(answer).toHaveProperty(key);
  }
}

describe('screen-pop Lambda against DynamoDB Local', () => {
  it('routes a key-account caller to the dedicated team with its record, in two round trips', async () => {
    const answer = await call({ from: '+8613910012001', contactId: 'c-key-1' });
    expectConnectShape(answer);
    expect(answer).toMatchObject({
      known: 'true',
      lookupStatus: 'ok',
      accountId: 'acc-jinhe-grain',
      accountName: '金禾粮油集团',
      tier: 'key',
      priority: '1',
      segment: 'fmcg',
      routingQueue: 'arn:aws:connect:cn-north-1:000000000000:instance/x/queue/ka-grain-oil',
      routingQueueName: 'ka-grain-oil',
      dedicatedAgent: '李晓雯',
      language: 'zh-CN',
      contactName: '赵敏',
      openComplaints: '0',
      delayedShipments: '2',
    });
    expect(new URL(answer.screenPopUrl ?? '').searchParams.get('contactId')).toBe('c-key-1');
    await proxy.settled();
    expect(proxy.sequentialRoundTrips()).toBeLessThanOrEqual(2);
    // The phone lookup beside the caller journal's line, then the account's counters (all shards
    // in one Query) beside the call record, the journal line named (an update), and the check that the
    // account exists (its profile's head).
    expect(proxy.calls.map((c) => c.op).sort()).toEqual([
      'PutItem',
      'PutItem',
      'Query',
      'Query',
      'Query',
      'UpdateItem',
    ]);
  });

  it('treats a number whose lookup names no committed account as unknown (an interrupted import)', async () => {
    const store = new Accounts(createDocumentClient(), TABLE_NAME());
    const input = AccountInput.parse(
      accountBody({ contacts: [{ name: '半途', phones: [{ number: '13800138777' }] }] }),
    );
    // The import's first half only: contacts and lookups staged, the profile never committed.
    const plan = decided(
      planSave(undefined, 'acc-staged-only', input, {
        now: new Date(),
        newId: () => 'c-staged',
        asImport: true,
      }),
    ).next;
    await store.repo.stageCreates([plan], 1);
    const answer = await call({ from: '+8613800138777', contactId: 'c-staged-1' });
    expect(answer).toMatchObject({ known: 'false', lookupStatus: 'unknown', accountId: '' });
    expect(await store.findByPhone('+8613800138777')).toEqual([]);
  });

  it('records the call in the account’s history', async () => {
    await call({ from: '+8613910012002', contactId: 'c-history-1' });
    const calls = await new CallLog(createDocumentClient(), TABLE_NAME()).recent('acc-jinhe-grain');
    expect(calls.map((c) => c.connectContactId)).toContain('c-history-1');
    expect(calls.find((c) => c.connectContactId === 'c-history-1')).toMatchObject({
      contactName: '孙立伟',
      direction: 'inbound',
    });
  });

  it.each([
    // A large account that can be stronger gets its dedicated team: a high-growth prospect, not only "key".
    ['+8613720023001', 'acc-cuile-snacks', 'high-growth', '2', 'ka-fmcg-national'],
    // Dedicated service with no team named yet: its service group takes the call meanwhile.
    ['+8613660207001', 'acc-hengju-plastics', 'high-growth', '2', 'chemicals-service'],
    // Served through the channel: the general line.
    ['+8615251201301', 'acc-lanjie-care', 'low-potential', '4', 'general-service'],
    // A competitor dominates: monitoring, behind everyone, with its service group.
    ['+8613761001601', 'acc-haichuan-forwarding', 'low-potential', '4', 'general-service'],
  ])(
    'routes %s (%s, %s) by its service mode: priority %s, queue %s',
    async (from, accountId, tier, priority, queue) => {
      const answer = await call({ from, contactId: `c-mode-${accountId}` });
      expect(answer).toMatchObject({ accountId, tier, priority, routingQueueName: queue });
    },
  );

  it('picks the highest-priority account for a shared number and says ambiguous', async () => {
    const answer = await call({ from: '+86 21 5888 1234' });
    expectConnectShape(answer);
    expect(answer).toMatchObject({
      known: 'true',
      lookupStatus: 'ambiguous',
      accountId: 'acc-cuile-snacks',
      matchCount: '3',
    });
  });

  it('finds the key account behind a switchboard number that dozens of other contacts share', async () => {
    const store = new Accounts(createDocumentClient(), TABLE_NAME());
    const board = '021 6666 0000';
    const small = {
      ...accountBody().economics,
      accountValue: 50_000,
      potentialValue: 60_000,
      shareOfWallet: 0.3,
      averageTransactionValue: 1_000,
      yearlyFrequency: 50,
    };
    // Two group companies list their switchboard for every contact; their ids sort first.
    for (const id of ['acc-aa-board-1', 'acc-aa-board-2'])
      await store.save(
        id,
        AccountInput.parse(
          accountBody({
            economics: small,
            contacts: Array.from({ length: 25 }, (_, i) => ({
              name: `总机 ${i}`,
              phones: [{ number: board }],
            })),
          }),
        ),
      );
    await store.save(
      'acc-zz-board-key',
      AccountInput.parse(accountBody({ contacts: [{ name: '钱总', phones: [{ number: board }] }] })),
    );
    const answer = await call({ from: '+862166660000' });
    expect(answer).toMatchObject({
      known: 'true',
      lookupStatus: 'ambiguous',
      accountId: 'acc-zz-board-key',
      tier: 'key',
      contactName: '钱总',
    });
    // The card the desktop then draws for the number names the same account.
    expect((await store.findByPhone('+862166660000'))[0]?.accountId).toBe('acc-zz-board-key');
  });

  it('answers in English for an English-speaking contact', async () => {
    const answer = await call({ from: '+41446681800' });
    expect(answer).toMatchObject({
      accountId: 'acc-alpina-chocolate',
      language: 'en',
      voiceId: 'Joanna',
      contactName: 'Lukas Müller',
    });
  });

  it('sends an unknown caller to the default queue after one round trip', async () => {
    const answer = await call({ from: '+8613700000000' });
    expectConnectShape(answer);
    expect(answer).toMatchObject({
      known: 'false',
      lookupStatus: 'unknown',
      routingQueue: 'general-service',
      accountId: '',
    });
    // The lookup, and beside it the caller journal's line.
    await proxy.settled();
    expect(proxy.calls.map((c) => c.op).sort()).toEqual(['PutItem', 'Query']);
    expect(proxy.sequentialRoundTrips()).toBe(1);
  });

  it.each([
    ['no CustomerEndpoint', ''],
    ['anonymous', 'anonymous'],
    ['malformed', '+12'],
    ['letters', 'not-a-number'],
  ])(
    'treats a withheld or malformed number (%s) as unknown without a lookup (only the journal line)',
    async (_name, from) => {
      const answer = await call({ from });
      expectConnectShape(answer);
      expect(answer).toMatchObject({
        known: 'false',
        lookupStatus: 'unknown',
        routingQueue: 'general-service',
      });
      await proxy.settled();
      expect(proxy.calls.map((c) => c.op)).toEqual(['PutItem']);
    },
  );

  it.each(['string', 'none', 'object'] as const)('accepts Queue as %s', async (queue) => {
    expect(await call({ from: '+8613910012001', queue })).toMatchObject({ lookupStatus: 'ok' });
  });

  it('reads a national-format number as CN', async () => {
    expect(await call({ from: '13910012001' })).toMatchObject({ accountId: 'acc-jinhe-grain' });
  });

  it('uses the language the flow passes for an unknown caller', async () => {
    expect(await call({ from: '+8613700000000', parameters: { language: 'en-US' } })).toMatchObject({
      language: 'en',
    });
  });

  it.each([null, undefined, 'text', 42, {}, { Details: {} }, { Details: { ContactData: { ContactId: 7 } } }])(
    'never throws on a malformed event (%j) and answers the default route',
    async (event) => {
      const answer = await handler(event);
      expectConnectShape(answer);
      expect(answer).toMatchObject({
        known: 'false',
        lookupStatus: 'error',
        routingQueue: 'general-service',
      });
    },
  );

  it('answers the default within budget when DynamoDB throttles', async () => {
    proxy.fault = { fail: 'throttle' };
    const t = performance.now();
    const answer = await call({ from: '+8613910012001' });
    expect(performance.now() - t).toBeLessThan(BUDGET_MS + 300);
    expectConnectShape(answer);
    expect(answer).toMatchObject({ known: 'false', lookupStatus: 'error', routingQueue: 'general-service' });
  });

  it('still routes a key account to its team when its counters cannot be read (a throttled index)', async () => {
    proxy.fault = {
      fail: 'throttle',
      ops: ['Query'],
      when: (b) => b.includes(`"IndexName":"${COUNTS_INDEX.name}"`),
    };
    const t = performance.now();
    const answer = await call({ from: '+8613910012001', contactId: 'c-counts-throttled' });
    expect(performance.now() - t).toBeLessThan(BUDGET_MS + 300);
    expectConnectShape(answer);
    expect(answer).toMatchObject({
      ...KEY_ROUTE,
      lookupStatus: 'ok',
      openComplaints: '',
      delayedShipments: '',
    });
  });

  it('still routes a key account to its team when the call’s records are slow to write', async () => {
    proxy.fault = { delayMs: 2000, ops: ['PutItem', 'UpdateItem', 'TransactWriteItems'] };
    const t = performance.now();
    const answer = await call({ from: '+8613910012001', contactId: 'c-writes-slow' });
    // Answered once the route is known and the extras' short grace is over.
    expect(performance.now() - t).toBeLessThan(BUDGET_MS);
    expect(answer).toMatchObject({ ...KEY_ROUTE, lookupStatus: 'ok' });
    // The counters were read: the numbers, not "unknown".
    expect(answer.openComplaints).toMatch(/^\d+$/);
  });

  it('routes by the phone lookup alone when its account cannot be confirmed in time', async () => {
    proxy.fault = { fail: 'server-error', ops: ['Query'], when: (b) => b.includes('"PROFILE"') };
    const failed = await call({ from: '+8613910012001', contactId: 'c-heads-failed' });
    expect(failed).toMatchObject({ ...KEY_ROUTE, lookupStatus: 'ok' });
    proxy.fault = { delayMs: 2000, ops: ['Query'], when: (b) => b.includes('"PROFILE"') };
    const t = performance.now();
    const slow = await call({ from: '+8613910012001', contactId: 'c-heads-slow' });
    expect(performance.now() - t).toBeLessThan(BUDGET_MS + 100);
    expect(slow).toMatchObject({ ...KEY_ROUTE, lookupStatus: 'ok' });
  });

  it('answers the default within budget when DynamoDB fails', async () => {
    proxy.fault = { fail: 'server-error', ops: ['Query'] };
    const answer = await call({ from: '+8613910012001' });
    expect(answer).toMatchObject({ lookupStatus: 'error', routingQueue: 'general-service' });
  });

  it('answers the default within budget when DynamoDB is slow', async () => {
    proxy.fault = { delayMs: 2000, ops: ['Query'] };
    const t = performance.now();
    const answer = await call({ from: '+8613910012001' });
    const elapsed = performance.now() - t;
    expect(elapsed).toBeGreaterThanOrEqual(BUDGET_MS - 5);
    expect(elapsed).toBeLessThan(BUDGET_MS + 300);
    expect(answer).toMatchObject({ known: 'false', lookupStatus: 'error' });
  });
});
