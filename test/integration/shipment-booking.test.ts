/**
 * Shipment registration (booking) against DynamoDB Local, with the registry's accounts and no demo
 * shipment: the TMS books a waybill over HTTP or its feed, and tracking and delay alerts work on it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trackingRoutes } from '#functions/tracking/routes.ts';
import { loadDemoData } from '#local/demo/load.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { ShipmentBooking } from '#shared/shipments/booking.ts';
import { TrackingEvent } from '#shared/shipments/delay.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { sqsRecord } from '../support/events.ts';
import { TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let api: ReturnType<typeof apiClient>;
let proxy: DynamoProxy;
const db = () => createDocumentClient();
const store = () => new Shipments(db(), TABLE_NAME());
const ACCOUNT = 'acc-jinhe-grain';
const h = (x: number) => new Date(Date.now() + x * 3_600_000).toISOString();
let n = 0;
const nextWaybill = () => `BK${Date.now() % 1_000_000}${String(n++).padStart(3, '0')}`;

const booking = (o: Record<string, unknown> = {}) => ({
  accountId: ACCOUNT,
  origin: '济南',
  destination: '上海',
  consignee: { name: '上海华联配送中心', address: '上海市浦东新区' },
  cargo: '食用油 20 吨',
  serviceLineId: 'rice',
  promisedAt: h(30),
  bookedAt: h(-1),
  ...o,
});
const event = (waybill: string, o: Record<string, unknown> = {}) => ({
  eventId: `ev-${Math.random().toString(36).slice(2)}`,
  waybill,
  accountId: ACCOUNT,
  milestone: 'picked-up',
  location: '济南',
  at: h(-0.5),
  ...o,
});

beforeAll(async () => {
  // The registry only: every shipment here is booked by the test.
  await loadDemoData(new Accounts(createDocumentClient(), TABLE_NAME()));
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  api = apiClient((await import('#functions/tracking/handler.ts')).handler, trackingRoutes);
});
afterAll(() => proxy.stop());
beforeEach(() => proxy.reset());

describe('booking a shipment over HTTP', () => {
  it("creates it in transit with the account's tier and the ranked service line; tracking then detects and announces a delay", async () => {
    const waybill = nextWaybill();
    const account = await new Accounts(db(), TABLE_NAME()).require(ACCOUNT);
    const before = (await store().stats(ACCOUNT)).inTransitShipments;
    const res = await api('PUT', `/shipments/${waybill}`, booking());
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      waybill,
      accountId: ACCOUNT,
      status: 'in-transit',
      milestones: [],
      tier: account.derived.tier,
      segment: 'fmcg',
      delayToleranceMinutes: account.delayToleranceMinutes,
      // edible-oil 3×1, rice 5×2, flour 6×3: rice is second.
      serviceLine: { id: 'rice', score: 10, rank: 2 },
      version: 1,
    });
    expect(res.json.eta).toBe(res.json.promisedAt);
    expect((await store().stats(ACCOUNT)).inTransitShipments).toBe(before + 1);

    const scan = await api('POST', '/tracking-events', { events: [event(waybill)] });
    expect(scan.json).toMatchObject({ applied: 1, rejected: [] });
    const late = await api('POST', '/tracking-events', {
      events: [
        event(waybill, {
          milestone: 'exception',
          reason: 'weather',
          location: '徐州',
          at: h(-0.2),
          carrierEta: h(30 + 20),
        }),
      ],
    });
    expect(late.json).toMatchObject({ applied: 1, delaysAnnounced: 1, rejected: [] });
    const s = await store().get(waybill);
    expect(s?.milestones.map((m) => m.milestone)).toEqual(['picked-up', 'exception']);
    const delay = s?.delay;
    expect(delay?.state).toBe('detected');
    const outbox = await db().send(
      new GetCommand({
        TableName: TABLE_NAME(),
        Key: keys.outbox.item(
          keys.outbox.delayDetectedId(waybill, delay?.severity ?? 'minor', delay?.detectedAt ?? ''),
        ),
      }),
    );
    expect(outbox.Item).toMatchObject({ eventType: 'DelayDetected', payload: { waybill } });
  });

  it('an identical resend is unchanged and writes nothing', async () => {
    const waybill = nextWaybill();
    const b = booking({ eta: h(29) });
    expect((await api('PUT', `/shipments/${waybill}`, b)).status).toBe(201);
    proxy.reset();
    const again = await api('PUT', `/shipments/${waybill}`, { ...b, bookedAt: h(-0.5) });
    expect(again.status).toBe(200);
    expect(again.json.version).toBe(1);
    expect(proxy.calls.map((c) => c.op)).not.toContain('TransactWriteItems');
  });

  it("a resend after a carrier's late ETA keeps that ETA and the delay, and writes nothing", async () => {
    const waybill = nextWaybill();
    const b = booking({ eta: h(29), carrier: { name: '顺达物流' } });
    await api('PUT', `/shipments/${waybill}`, b);
    const lateEta = h(30 + 20);
    const scan = event(waybill, { carrierEta: lateEta, driver: { name: '张师傅', phone: '+8613800000000' } });
    expect((await api('POST', '/tracking-events', { events: [scan] })).json.delaysAnnounced).toBe(1);
    const scanned = await store().get(waybill);
    proxy.reset();
    const again = await api('PUT', `/shipments/${waybill}`, { ...b, bookedAt: h(-0.4) });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ eta: lateEta, version: scanned?.version, driver: { name: '张师傅' } });
    expect(again.json.delay).toEqual(scanned?.delay);
    expect(proxy.calls.map((c) => c.op)).not.toContain('TransactWriteItems');
  });

  it('a re-promise updates the promise and keeps the milestones', async () => {
    const waybill = nextWaybill();
    await api('PUT', `/shipments/${waybill}`, booking());
    await api('POST', '/tracking-events', { events: [event(waybill)] });
    const later = h(54);
    const res = await api('PUT', `/shipments/${waybill}`, booking({ promisedAt: later, bookedAt: h(-0.1) }));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ promisedAt: later, version: 3, status: 'in-transit' });
    expect(res.json.milestones.map((m: { milestone: string }) => m.milestone)).toEqual(['picked-up']);
    expect((await store().get(waybill))?.promisedAt).toBe(later);
    // An older booking, redelivered after the re-promise, changes nothing.
    const old = await api('PUT', `/shipments/${waybill}`, booking({ bookedAt: h(-1) }));
    expect(old.json).toMatchObject({ promisedAt: later, version: 3 });
  });
});

describe('refusals, in both languages, naming the field', () => {
  const refused = async (waybill: string, body: unknown) => ({
    en: await api('PUT', `/shipments/${waybill}`, body),
    zh: await api('PUT', `/shipments/${waybill}`, body, { 'accept-language': 'zh-CN' }),
  });

  it('an unknown account: 404 on accountId', async () => {
    const { en, zh } = await refused(nextWaybill(), booking({ accountId: 'acc-nobody' }));
    expect(en.status).toBe(404);
    expect(en.json.errors).toEqual([
      {
        path: 'body.accountId',
        message: 'account acc-nobody does not exist: create it in the registry first',
      },
    ]);
    expect(zh.status).toBe(404);
    expect(zh.json.errors).toEqual([
      { path: 'body.accountId', message: '客户 acc-nobody 不存在：请先在客户档案中建立该客户' },
    ]);
  });

  it('a service line the account does not have: 400 on serviceLineId', async () => {
    const { en, zh } = await refused(nextWaybill(), booking({ serviceLineId: 'caviar' }));
    expect(en.status).toBe(400);
    expect(en.json.errors).toEqual([
      {
        path: 'body.serviceLineId',
        message: 'the account has no service line caviar; its lines: edible-oil, rice, flour',
      },
    ]);
    expect(zh.json.errors).toEqual([
      { path: 'body.serviceLineId', message: '该客户没有产品线 caviar；可用：edible-oil、rice、flour' },
    ]);
  });

  it("another account's waybill: 409 on the waybill", async () => {
    const waybill = nextWaybill();
    await api('PUT', `/shipments/${waybill}`, booking());
    const { en, zh } = await refused(
      waybill,
      booking({ accountId: 'acc-alpina-chocolate', serviceLineId: undefined }),
    );
    expect(en.status).toBe(409);
    expect(en.json.errors).toEqual([
      { path: 'path.waybill', message: `waybill ${waybill} belongs to another account` },
    ]);
    expect(zh.json.message).toBe('该记录已存在');
    expect(zh.json.errors).toEqual([{ path: 'path.waybill', message: `运单 ${waybill} 属于其他客户` }]);
    expect((await store().get(waybill))?.accountId).toBe(ACCOUNT);
  });

  it('a delivered shipment: 409 on the waybill', async () => {
    const waybill = nextWaybill();
    await api('PUT', `/shipments/${waybill}`, booking());
    await api('POST', '/tracking-events', {
      events: [event(waybill, { milestone: 'delivered', location: '上海' })],
    });
    const { en, zh } = await refused(waybill, booking({ promisedAt: h(40), bookedAt: h(0) }));
    expect(en.status).toBe(409);
    expect(en.json.errors).toEqual([
      { path: 'path.waybill', message: `waybill ${waybill} is delivered: its booking can no longer change` },
    ]);
    expect(zh.json.message).toBe('当前状态下不允许此操作');
    expect(zh.json.errors).toEqual([
      { path: 'path.waybill', message: `运单 ${waybill} 已签收，不能再修改下单信息` },
    ]);
  });

  it('absurd times: a typed year in the promise, an ETA before the booking, a booking a year back', async () => {
    const waybill = nextWaybill();
    const promise = await refused(waybill, booking({ promisedAt: '2062-01-05T10:00:00+08:00' }));
    expect(promise.en.status).toBe(400);
    expect(promise.en.json.errors[0].path).toBe('body.promisedAt');
    expect(promise.en.json.errors[0].message).toMatch(/days after the booking .*check the year/);
    expect(promise.zh.json.errors[0].message).toMatch(
      /^承诺送达时间 2062-01-05T02:00:00.000Z 比下单时间.*请检查年份/,
    );
    const eta = await refused(waybill, booking({ eta: h(-60) }));
    expect(eta.en.json.errors.map((e: { path: string }) => e.path)).toEqual(['body.eta']);
    expect(eta.en.json.errors[0].message).toMatch(/hours before the booking/);
    expect(eta.zh.json.errors[0].message).toMatch(/^预计到达时间 .* 小时/);
    const old = await refused(waybill, booking({ bookedAt: '0001-01-01T00:00:00Z' }));
    expect(old.en.json.errors[0]).toMatchObject({ path: 'body.bookedAt' });
    expect(old.en.json.errors[0].message).toMatch(/a booking may be dated at most 365 days back/);
    expect(old.zh.json.errors[0].message).toMatch(/最多可追溯 365 天/);
    expect(await store().get(waybill)).toBeUndefined();
  });

  it('a remedy recorded without naming it is refused in both languages', async () => {
    const body = { action: 'remedy' };
    const en = await api('POST', '/shipments/7100012345/delay', body);
    const zh = await api('POST', '/shipments/7100012345/delay', body, { 'accept-language': 'zh-CN' });
    expect(en.json.errors).toEqual([{ path: 'body.remedy', message: 'say which remedy was arranged' }]);
    expect(zh.json.errors).toEqual([{ path: 'body.remedy', message: '请说明安排了哪种补救措施' }]);
  });
});

describe('booking through the TMS feed', () => {
  const feed = async (records: ReturnType<typeof sqsRecord>[]) => {
    const { handler } = await import('#functions/tracking-feed/handler.ts');
    const ctx = { awsRequestId: 'r', functionName: 'f', getRemainingTimeInMillis: () => 60_000 };
    return (await handler({ Records: records } as never, ctx as never)) as {
      batchItemFailures: { itemIdentifier: string }[];
    };
  };

  it('a booking then its first scan in one array: booked, then scanned', async () => {
    const waybill = nextWaybill();
    const r = await feed([
      sqsRecord('m1', JSON.stringify([{ type: 'ShipmentBooked', waybill, ...booking() }, event(waybill)])),
    ]);
    expect(r.batchItemFailures).toEqual([]);
    const s = await store().get(waybill);
    expect(s).toMatchObject({ status: 'in-transit', serviceLine: { id: 'rice' }, version: 2 });
    expect(s?.milestones.map((m) => m.milestone)).toEqual(['picked-up']);
  });

  it('a bad booking fails its message (on to the DLQ) as a bad event does; the others are applied', async () => {
    const good = nextWaybill();
    const r = await feed([
      sqsRecord(
        'bad',
        JSON.stringify({
          type: 'ShipmentBooked',
          waybill: nextWaybill(),
          ...booking({ serviceLineId: 'x1' }),
        }),
      ),
      sqsRecord('shape', JSON.stringify({ type: 'ShipmentBooked', waybill: 'lower', accountId: ACCOUNT })),
      sqsRecord('good', JSON.stringify({ type: 'ShipmentBooked', waybill: good, ...booking() })),
    ]);
    expect(r.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad', 'shape']);
    expect((await store().get(good))?.accountId).toBe(ACCOUNT);
  });
});

it('two bookings of a new waybill at once: one creates it, the other updates it or finds it unchanged; neither is lost', async () => {
  const waybill = nextWaybill();
  const before = (await store().stats(ACCOUNT)).inTransitShipments;
  const a = booking({ cargo: '大米 10 吨', bookedAt: h(-0.3) });
  const b = booking({ cargo: '大米 12 吨', bookedAt: h(-0.2) });
  const [ra, rb] = await Promise.all([
    store().book(ShipmentBooking.parse({ ...a, waybill })),
    store().book(ShipmentBooking.parse({ ...b, waybill })),
  ]);
  expect([ra.outcome, rb.outcome].filter((o) => o === 'created')).toHaveLength(1);
  expect([ra.outcome, rb.outcome].filter((o) => o !== 'created')[0]).toMatch(/^(updated|unchanged)$/);
  // The newer booking wins whichever came first.
  expect((await store().get(waybill))?.cargo).toBe('大米 12 吨');
  expect((await store().stats(ACCOUNT)).inTransitShipments).toBe(before + 1);
});

it('two bookings that both read the waybill absent: the create that loses is decided again and lands as an update', async () => {
  const waybill = nextWaybill();
  // Both reads wait, so both find nothing and both try to create.
  proxy.fault = { ops: ['GetItem'], delayMs: 150, when: (body) => body.includes(`SHIPMENT#${waybill}`) };
  try {
    const bookedAt = h(-0.2);
    const [ra, rb] = await Promise.all([
      store().book(ShipmentBooking.parse({ ...booking({ cargo: 'A', bookedAt }), waybill })),
      store().book(ShipmentBooking.parse({ ...booking({ cargo: 'B', bookedAt }), waybill })),
    ]);
    await proxy.settled();
    // Two creates (one cancelled by the other), then the loser's update (a single put: no counter moves).
    const writes = proxy.calls
      .map((c) => c.op)
      .filter((op) => op === 'TransactWriteItems' || op === 'PutItem');
    expect(writes).toEqual(['TransactWriteItems', 'TransactWriteItems', 'PutItem']);
    const [winner, loser] = ra.outcome === 'created' ? [ra, rb] : [rb, ra];
    expect([winner.outcome, loser.outcome]).toEqual(['created', 'updated']);
    expect(await store().get(waybill)).toMatchObject({ cargo: loser.shipment.cargo, version: 2 });
  } finally {
    proxy.fault = undefined;
  }
});

it('a re-promise and a scan that read the same version: both land, neither undoes the other', async () => {
  const waybill = nextWaybill();
  await store().book(ShipmentBooking.parse({ ...booking(), waybill }));
  proxy.fault = { ops: ['GetItem'], delayMs: 150, when: (body) => body.includes(`SHIPMENT#${waybill}`) };
  try {
    const later = h(60);
    const [booked, scanned] = await Promise.all([
      store().book(ShipmentBooking.parse({ ...booking({ promisedAt: later, bookedAt: h(-0.1) }), waybill })),
      store().applyEvent(TrackingEvent.parse(event(waybill))),
    ]);
    expect([booked.outcome, scanned.result]).toEqual(['updated', 'applied']);
    const s = await store().get(waybill);
    expect(s).toMatchObject({ promisedAt: later, version: 3 });
    expect(s?.milestones.map((m) => m.milestone)).toEqual(['picked-up']);
  } finally {
    proxy.fault = undefined;
  }
});
