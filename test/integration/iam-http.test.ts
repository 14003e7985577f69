/**
 * Exact IAM for the HTTP functions: each goes through every one of its routes (creates, updates,
 * the idempotent retry, the conflicts and refusals) through a proxy in front of DynamoDB Local
 * that records the IAM actions every request needs; the set is exactly the one its role is
 * granted (functions/index.ts), no more and no less, and no route is left out.
 */
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_FUNCTIONS, HTTP_FUNCTIONS } from '#functions/index.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { demoWaybill } from '#local/demo/shipments.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { storeAsOwnItemCounted } from '../support/complaints.ts';
import { loadDemo } from '../support/demo.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { accountBody } from '../support/fixtures.ts';
import { granted, sweepClient, used } from '../support/iam.ts';

let proxy: DynamoProxy;
/** The test's own writes (a complaint as stored before) go around the proxy. */
let direct: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  await loadDemo();
  direct = createDocumentClient({ endpoint: String(process.env.AWS_ENDPOINT_URL_DYNAMODB) });
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
});
afterAll(() => proxy.stop());

async function sweep(name: string, paths: (call: ReturnType<typeof sweepClient>['call']) => Promise<void>) {
  const f = HTTP_FUNCTIONS.find((x) => x.name === name);
  if (!f) throw new Error(`no HTTP function ${name}`);
  const client = sweepClient((await f.load()).handler as never, f.routes);
  const actions = await used(proxy, () => paths(client.call));
  expect(client.missing()).toEqual([]);
  expect(actions).toEqual([...granted(f.access)].sort());
}

const idem = (key: string) => ({ 'Idempotency-Key': key });

describe('exact IAM of the HTTP functions', () => {
  it('accounts', async () => {
    await sweep('accounts', async (call) => {
      await call('GET', '/accounts');
      await call('GET', '/accounts?tier=key');
      await call('GET', '/accounts?segment=pharma');
      await call('GET', '/accounts?q=金禾');
      const body = { ...accountBody({ name: '权限测试客户', nameEn: 'IAM Test Co' }), id: 'acc-iam-created' };
      expect((await call('POST', '/accounts', body, idem('iam-acc-1'))).status).toBe(201);
      await call('POST', '/accounts', body, idem('iam-acc-1')); // the client retried
      const put = await call('PUT', '/accounts/acc-iam-put', accountBody({ name: '权限测试二' }));
      expect(put.status).toBeLessThan(300);
      await call(
        'PUT',
        '/accounts/acc-iam-put',
        accountBody({ name: '权限测试二', version: put.json.version }),
      );
      await call('PUT', '/accounts/acc-iam-put', accountBody({ version: 1 })); // stale
      // The contact's mobile is replaced: the old number leaves the phone lookup.
      const changed = accountBody({ name: '权限测试二', version: put.json.version + 1 });
      changed.contacts = [
        { ...changed.contacts?.[0], name: '赵敏', phones: [{ number: '138 0099 8877', label: 'mobile' }] },
      ];
      expect((await call('PUT', '/accounts/acc-iam-put', changed)).status).toBe(200);
      // A create the book refuses (the id exists) releases its Idempotency-Key.
      expect((await call('POST', '/accounts', body, idem('iam-acc-2'))).status).toBe(409);
      const got = await call('GET', '/accounts/acc-jinhe-grain');
      expect(got.status).toBe(200);
      await call('GET', '/accounts/acc-nobody');
      await call('GET', '/accounts/acc-jinhe-grain/contacts');
      const contact = { name: '权限联系人', phones: [{ number: '139 1111 2222', label: 'mobile' }] };
      const added = await call('POST', '/accounts/acc-iam-created/contacts', contact, idem('iam-contact-1'));
      expect(added.status).toBe(201);
      await call('POST', '/accounts/acc-iam-created/contacts', contact, idem('iam-contact-1'));
      expect(
        (await call('POST', '/accounts/acc-nobody/contacts', contact, idem('iam-contact-2'))).status,
      ).toBe(404);
      const phone = await call('POST', `/accounts/acc-iam-created/contacts/${added.json.id}/phones`, {
        number: '+8613922223333',
      });
      expect(phone.status).toBe(200);
      // The account review: the proposal, a refused and an accepted decision, the list of those due.
      const review = await call('GET', '/accounts/acc-jinhe-grain/review');
      expect(review.status).toBe(200);
      const version = (await call('GET', '/accounts/acc-jinhe-grain')).json.version;
      expect(
        (await call('POST', '/accounts/acc-jinhe-grain/review', { version, decision: 'amend' })).status,
      ).toBe(400);
      expect(
        (await call('POST', '/accounts/acc-jinhe-grain/review', { version, decision: 'accept' })).status,
      ).toBe(200);
      expect((await call('GET', '/reviews?withinDays=30')).status).toBe(200);
      expect((await call('GET', '/credit-reviews')).status).toBe(200);
    });
  });

  it('screen-pop-api', async () => {
    await sweep('screen-pop-api', async (call) => {
      expect((await call('GET', '/screen-pop?phone=%2B8613910012001')).status).toBe(200);
      await call('GET', '/screen-pop?phone=%2B8613700000000');
      await call('GET', '/accounts/acc-jinhe-grain/screen-pop?phone=%2B8613910012001');
      const desk = await call('GET', '/desk');
      expect(desk.status).toBe(200);
      await call('GET', '/desk?mine=true');
    });
  });

  it('complaints', async () => {
    await sweep('complaints', async (call) => {
      const body = {
        accountId: 'acc-jinhe-grain',
        contactId: 'jinhe-zhao',
        waybills: [demoWaybill(0, 0)],
        category: 'delay',
        severity: 'high',
        description: '权限测试：货物晚到。',
      };
      const c = await call('POST', '/complaints', body, idem('iam-complaint-1'));
      expect(c.status).toBe(201);
      await call('POST', '/complaints', body, idem('iam-complaint-1'));
      expect(
        (await call('POST', '/complaints', { ...body, accountId: 'acc-nobody' }, idem('iam-c-2'))).status,
      ).toBe(400);
      await call('GET', '/complaints');
      await call('GET', '/complaints?accountId=acc-jinhe-grain');
      await call('GET', `/complaints/${c.json.id}`);
      await call('GET', `/complaints?reference=${c.json.reference}`);
      await call('POST', `/complaints/${c.json.id}/transitions`, { to: 'acknowledged', version: 1 });
      await call('POST', `/complaints/${c.json.id}/transitions`, { to: 'acknowledged', version: 1 }); // stale
      const resolved = await call('POST', `/complaints/${c.json.id}/transitions`, {
        to: 'resolved',
        version: 2,
      });
      expect(resolved.status).toBe(200);
      const f = await call('POST', `/complaints/${c.json.id}/follow-up`, {
        score: 5,
        accepted: true,
        version: resolved.json.version,
      });
      expect(f.status).toBe(200);
      // Closed, it is found through its reference item.
      expect((await call('GET', `/complaints?reference=${c.json.reference}`)).json.items).toHaveLength(1);
      // A complaint filed before complaints counted themselves: its own count item goes on
      // resolving it (DeleteItem).
      const old = await call('POST', '/complaints', body, idem('iam-complaint-old'));
      await storeAsOwnItemCounted(direct, old.json.id, body.accountId);
      expect(
        (await call('POST', `/complaints/${old.json.id}/transitions`, { to: 'acknowledged', version: 1 }))
          .status,
      ).toBe(200);
      expect(
        (await call('POST', `/complaints/${old.json.id}/transitions`, { to: 'resolved', version: 2 })).status,
      ).toBe(200);
      await call('GET', '/accounts/acc-jinhe-grain/service-metrics');
      expect((await call('GET', '/accounts/acc-jinhe-grain/review-pack')).status).toBe(200);
    });
  });

  it('campaigns', async () => {
    // Two inbound calls in the journal, through the screen pop as Connect sends them.
    const pop = (await import('#functions/screen-pop/handler.ts')).handler as (
      e: unknown,
      c: unknown,
    ) => unknown;
    await pop(contactFlowEvent({ from: '+8613910012001', contactId: 'iam-journal-1' }), {
      getRemainingTimeInMillis: () => 3000,
    } as Context);
    expect(CONNECT_FUNCTIONS.length).toBeGreaterThan(0);
    await sweep('campaigns', async (call) => {
      const audience = { segments: ['electrical'], onePerAccount: false };
      await call('POST', '/campaigns/preview', { audience });
      const created = await call(
        'POST',
        '/campaigns',
        { name: '权限测试回访', type: 'account-review', audience },
        idem('iam-campaign-1'),
      );
      expect(created.status).toBe(201);
      await call(
        'POST',
        '/campaigns',
        { name: '权限测试回访', type: 'account-review', audience },
        idem('iam-campaign-1'),
      );
      // The store fails while the callbacks are written: the create releases its Idempotency-Key.
      proxy.fault = { ops: ['BatchWriteItem'], fail: 'server-error' };
      await call(
        'POST',
        '/campaigns',
        { name: '权限测试失败', type: 'account-review', audience },
        idem('iam-campaign-2'),
        true,
      );
      proxy.fault = undefined;
      await call('GET', '/campaigns');
      await call('GET', '/campaigns?status=draft');
      await call('GET', `/campaigns/${created.json.id}`);
      await call('POST', `/campaigns/${created.json.id}/actions`, { action: 'start' });
      await call('POST', `/campaigns/${created.json.id}/actions`, { action: 'pause' });
      await call('POST', `/campaigns/${created.json.id}/actions`, { action: 'resume' });
      const callbacks = await call('GET', `/campaigns/${created.json.id}/callbacks`);
      const cb = callbacks.json.items[0];
      await call('GET', `/callbacks/${cb.id}`);
      await call('POST', `/callbacks/${cb.id}/disposition`, { disposition: 'resolved', notes: '权限测试' });
      await call('POST', `/campaigns/${created.json.id}/actions`, { action: 'cancel' });
      expect((await call('GET', '/accounts/acc-jinhe-grain/follow-ups')).status).toBe(200);
      const journal = await call('GET', '/calls');
      expect(journal.json.items.length).toBeGreaterThan(0);
      const booked = await call('POST', '/calls/iam-journal-1/callback');
      expect(booked.status).toBe(200);
      await call('POST', '/calls/iam-journal-1/callback'); // a second click
    });
  });

  it('cockpit', async () => {
    await sweep('cockpit', async (call) => {
      expect((await call('GET', '/cockpit/portfolio')).json.accounts.length).toBeGreaterThan(0);
      expect((await call('GET', '/cockpit/service?weeks=4')).json.weeks).toHaveLength(4);
      await call('GET', '/cockpit/service?weeks=99'); // refused before any read
    });
  });

  it('tracking', async () => {
    await sweep('tracking', async (call) => {
      const waybill = demoWaybill(0, 2);
      const events = [
        {
          eventId: 'iam-ev-1',
          waybill,
          accountId: 'acc-jinhe-grain',
          milestone: 'arrived-at-hub',
          location: '济南转运中心',
          at: new Date().toISOString(),
        },
      ];
      expect((await call('POST', '/tracking-events', { events })).status).toBe(200);
      await call('POST', '/tracking-events', { events }); // a duplicate
      const shipment = await call('GET', `/shipments/${waybill}`);
      // A carrier ETA far past the promise: a delay is detected and announced, then delivered.
      const late = new Date(Date.parse(shipment.json.promisedAt) + 30 * 3_600_000).toISOString();
      const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
      const announced = await call('POST', '/tracking-events', {
        events: [{ ...events[0], eventId: 'iam-ev-2', carrierEta: late, at: at(2) }],
      });
      expect(announced.json.delaysAnnounced).toBe(1);
      await call('POST', `/shipments/${waybill}/delay`, { action: 'acknowledge' });
      await call('POST', `/shipments/${waybill}/delay`, { action: 'clear', note: '权限测试' });
      await call('POST', '/tracking-events', {
        events: [{ ...events[0], eventId: 'iam-ev-3', milestone: 'delivered', at: at(3) }],
      });
      const booking = {
        accountId: 'acc-jinhe-grain',
        origin: '济南',
        destination: '上海',
        consignee: { name: '权限测试' },
        serviceLineId: 'rice',
        promisedAt: at(2 * 86_400),
        bookedAt: at(0),
      };
      expect((await call('PUT', '/shipments/IAMBOOK002', booking)).status).toBe(201);
      await call('PUT', '/shipments/IAMBOOK002', { ...booking, promisedAt: at(3 * 86_400) });
      await call('GET', '/accounts/acc-jinhe-grain/shipments');
      await call('GET', '/accounts/acc-jinhe-grain/shipments?delayed=true');
      await call('GET', '/accounts/acc-jinhe-grain/tracking-report');
      await call('GET', '/accounts/acc-jinhe-grain/notifications');
    });
  });
});
