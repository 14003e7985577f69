/**
 * Tracking ingestion under faults: poison messages on the SQS feed, absurd timestamps, the same
 * event written another way. Against DynamoDB Local (this file's own table).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { logger } from '#shared/platform/observability/index.ts';
import { ingestBatch } from '#shared/shipments/ingest.ts';
import type { Shipment } from '#shared/shipments/model.ts';
import { Shipments, WATCHDOG_MAX_CONSECUTIVE_FAILURES } from '#shared/shipments/service.ts';
import { inTransitShipment } from '../support/delays.ts';
import { loadDemo } from '../support/demo.ts';
import { sqsRecord } from '../support/events.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const store = () => new Shipments(db, TABLE_NAME());
const ctx = { awsRequestId: 'r', functionName: 'feed', getRemainingTimeInMillis: () => 10_000 } as never;
const feed = async (...records: ReturnType<typeof sqsRecord>[]) => {
  const { handler } = await import('#functions/tracking-feed/handler.ts');
  return handler({ Records: records } as never, ctx);
};

const ACCOUNT = 'acc-review-track';
const now = new Date();
const h = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
let n = 0;

/** A key-account shipment of its own, departed five hours ago, promised in ten, ETA in eight. */
async function newShipment(o: Partial<Shipment> = {}): Promise<Shipment> {
  n++;
  const s = inTransitShipment(now, {
    waybill: `RV${String(now.getTime()).slice(-8)}${String(n).padStart(2, '0')}`,
    accountId: ACCOUNT,
    origin: '哈尔滨',
    destination: '郑州',
    consignee: { name: '郑州库' },
    milestones: [{ milestone: 'departed', at: h(-5), location: '哈尔滨' }],
    lastEventAt: h(-5),
    nextMilestoneDueAt: h(7),
    tier: 'key',
    segment: 'fmcg',
    updatedAt: h(-5),
    ...o,
  });
  await store().create(s, now);
  return s;
}

const ev = (s: Shipment, o: Record<string, unknown>) => ({
  eventId: `ev-${Math.random().toString(36).slice(2)}`,
  waybill: s.waybill,
  accountId: s.accountId,
  location: '郑州',
  ...o,
});

beforeAll(() => loadDemo());
afterEach(() => vi.restoreAllMocks());

describe('the SQS tracking feed and poison messages', () => {
  it('a message that is not JSON goes back to the queue (and on to the feed DLQ), it is not deleted', async () => {
    const res = await feed(sqsRecord('m-poison', '{"eventId":"ev-1","waybill":"RV0000'));
    // The TMS's message is gone for good when it is acknowledged: only a log line with its id is left.
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm-poison' }]);
  });

  it('a JSON array of valid events is neither dropped as "not JSON" nor lost', async () => {
    const s = await newShipment();
    const e = ev(s, { milestone: 'arrived-at-hub', location: '沈阳转运中心', at: h(-1) });
    const warn = vi.spyOn(logger, 'warn');
    const res = await feed(sqsRecord('m-array', JSON.stringify([e])));
    expect(res.batchItemFailures).toEqual([]);
    expect((await store().get(s.waybill))?.milestones.at(-1)?.location).toBe('沈阳转运中心');
    expect(JSON.stringify(warn.mock.calls)).not.toContain('not JSON');
  });

  it.each([
    ['a number', '42', 'not a tracking event, an array of events or'],
    ['a string', '"arrived"', 'not a tracking event, an array of events or'],
    ['null', 'null', 'not a tracking event, an array of events or'],
    ['an empty array', '[]', 'the batch has no events'],
  ])(
    'a body that is JSON but not an event or a batch (%s) is refused, logged with its message id and why',
    async (_what, body, why) => {
      const warn = vi.spyOn(logger, 'warn');
      const res = await feed(sqsRecord('m-shape', body));
      expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm-shape' }]);
      const logged = JSON.stringify(warn.mock.calls);
      expect(logged).toContain('m-shape');
      expect(logged).toContain(why);
    },
  );

  it('a body that is not JSON is logged with its message id and the reason, never its text', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const body = 'driver 张师傅 +8613912345678 zhang@example.cn';
    const res = await feed(sqsRecord('m-text', body));
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm-text' }]);
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).toContain('m-text');
    expect(logged).toContain('the body is not valid JSON');
    for (const pii of ['张师傅', '13912345678', 'zhang@example.cn']) expect(logged).not.toContain(pii);
  });

  it('a message with a rejected event fails as a whole, with the reason logged; its other events are applied once', async () => {
    const s = await newShipment();
    const good = ev(s, {
      milestone: 'arrived-at-hub',
      location: '沈阳转运中心',
      at: h(-1),
      driver: { name: '张师傅', phone: '+8613912345678' },
    });
    const unknown = ev(s, { waybill: '7199999997', milestone: 'arrived-at-hub', at: h(-1) });
    const warn = vi.spyOn(logger, 'warn');
    const message = sqsRecord('m-mixed', JSON.stringify({ events: [good, unknown] }));
    const s2 = await newShipment();
    const other = sqsRecord('m-fine', JSON.stringify(ev(s2, { milestone: 'out-for-delivery', at: h(-0.5) })));
    expect(await feed(message, other)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-mixed' }] });
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).toContain('m-mixed');
    expect(logged).toContain('waybill 7199999997 is not a known shipment');
    expect(logged).not.toContain('13912345678');
    // Redelivered (and on to the DLQ after its last receive): the good event is a duplicate then.
    expect(await feed(message)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-mixed' }] });
    const after = await store().get(s.waybill);
    expect(after?.milestones.map((m) => m.milestone)).toEqual(['departed', 'arrived-at-hub']);
    expect((await store().get(s2.waybill))?.milestones.at(-1)?.milestone).toBe('out-for-delivery');
  });
});

describe('absurd timestamps', () => {
  it('a carrier ETA decades ahead (a typed year) is rejected naming carrierEta, not announced as a critical delay', async () => {
    const s = await newShipment();
    const typo = ev(s, { milestone: 'arrived-at-hub', at: h(-1), carrierEta: '2062-11-24T10:00:00+08:00' });
    const r = await ingestBatch(store(), [typo], now);
    expect(r.delaysAnnounced).toBe(0);
    expect(r.rejected).toEqual([
      {
        index: 0,
        eventId: typo.eventId,
        reason: expect.stringMatching(/^carrierEta: .*days after the scan/),
        reasonZh: expect.stringMatching(/^carrierEta: 承运商预计到达时间/),
      },
    ]);
    expect((await store().get(s.waybill))?.delay).toBeUndefined();
  });

  it('a scan dated in the year 0001 is rejected naming at, and changes nothing', async () => {
    const s = await newShipment();
    const typo = ev(s, { milestone: 'arrived-at-hub', at: '0001-11-24T10:00:00+08:00' });
    const r = await ingestBatch(store(), [typo], now);
    expect(r).toMatchObject({ applied: 0, stale: 0, duplicates: 0 });
    expect(r.rejected).toEqual([
      {
        index: 0,
        eventId: typo.eventId,
        reason: expect.stringMatching(/^at: .*at most 365 days back/),
        reasonZh: expect.stringMatching(/^at: .*最多可追溯 365 天/),
      },
    ]);
    expect((await store().get(s.waybill))?.milestones).toHaveLength(1);
  });

  it('an unknown waybill and a schema failure are rejected in both languages', async () => {
    const s = await newShipment();
    const r = await ingestBatch(
      store(),
      [
        ev(s, { waybill: '7199999998', milestone: 'arrived-at-hub', at: h(-1) }),
        ev(s, { milestone: 'exception', at: h(-1) }),
        { eventId: 'ev-no-waybill', milestone: 'departed' },
      ],
      now,
    );
    expect(r.rejected.map((x) => [x.reason, x.reasonZh])).toEqual([
      ['waybill 7199999998 is not a known shipment', '运单 7199999998 不是已知的货件'],
      ['reason: an exception needs a reason', 'reason: 异常事件必须注明原因'],
      [expect.stringMatching(/waybill: is required/), expect.stringMatching(/waybill: 必填/)],
    ]);
  });
});

describe('idempotency per event id', () => {
  /** One instant, to the second, written in UTC and in Shanghai time. */
  const instant = () => {
    const t = new Date(Math.floor((now.getTime() - 3_600_000) / 1000) * 1000);
    const shanghai = new Date(t.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    return { utc: t.toISOString(), shanghai };
  };

  it('the same event redelivered with its time written in another UTC offset is a duplicate, not a second scan', async () => {
    const s = await newShipment();
    const { utc, shanghai } = instant();
    expect(Date.parse(utc)).toBe(Date.parse(shanghai));
    const e = ev(s, { eventId: 'tms-42', milestone: 'arrived-at-hub', location: '沈阳', at: utc });
    expect((await ingestBatch(store(), [e], now)).applied).toBe(1);
    const again = await ingestBatch(store(), [{ ...e, at: shanghai }], now);
    expect(again).toMatchObject({ applied: 0, duplicates: 1 });
    const after = await store().get(s.waybill);
    expect(after?.milestones.filter((m) => m.milestone === 'arrived-at-hub')).toHaveLength(1);
  });

  it('stores the times as UTC instants, whatever offset the TMS wrote them in', async () => {
    const s = await newShipment();
    const { utc, shanghai } = instant();
    const e = ev(s, { milestone: 'arrived-at-hub', location: '沈阳', at: shanghai, carrierEta: shanghai });
    expect((await ingestBatch(store(), [e], now)).applied).toBe(1);
    const after = await store().get(s.waybill);
    expect(after?.milestones.at(-1)?.at).toBe(utc);
    expect(after?.lastEventAt).toBe(utc);
    expect(after?.eta).toBe(utc);
  });

  it('the same event id sent again with a corrected time is a duplicate: the first time stands', async () => {
    const s = await newShipment();
    const e = ev(s, { eventId: 'tms-43', milestone: 'arrived-at-hub', location: '沈阳', at: h(-2) });
    expect((await ingestBatch(store(), [e], now)).applied).toBe(1);
    const corrected = await ingestBatch(store(), [{ ...e, at: h(-1) }], now);
    expect(corrected).toMatchObject({ applied: 0, stale: 0, duplicates: 1 });
    const after = await store().get(s.waybill);
    expect(after?.milestones.filter((m) => m.milestone === 'arrived-at-hub')).toEqual([
      expect.objectContaining({ at: h(-2) }),
    ]);
  });
});

describe('the delay watchdog', () => {
  /** Shipments of their own whose next milestone was due an hour ago (no scan since). */
  const stagnant = (count: number) =>
    Promise.all(
      Array.from({ length: count }, () =>
        newShipment({ lastEventAt: h(-13), nextMilestoneDueAt: h(-1), milestones: [] }),
      ),
    );

  it('a shipment whose check throws is logged and left due; the others in the run are checked', async () => {
    const [bad, ...good] = await stagnant(3);
    const check = Shipments.prototype.checkStagnation;
    vi.spyOn(Shipments.prototype, 'checkStagnation').mockImplementation(function (this: Shipments, w, at) {
      if (w === bad?.waybill) return Promise.reject(new Error('ValidationException: item too large'));
      return check.call(this, w, at);
    });
    const failures: string[] = [];
    const run = await store().watchdogRun(now, (w) => failures.push(w));
    expect(run).toMatchObject({ failed: [bad?.waybill], stopped: false });
    expect(failures).toEqual([bad?.waybill]);
    for (const s of good) expect((await store().get(s.waybill))?.delay?.trigger).toBe('stagnation');
    // Nothing lost: the failed one is still due for the next run.
    expect((await store().stagnant(now)).map((s) => s.waybill)).toContain(bad?.waybill);
  });

  it(`stops a run after ${WATCHDOG_MAX_CONSECUTIVE_FAILURES} checks failed in a row (DynamoDB down), and the handler fails`, async () => {
    await stagnant(WATCHDOG_MAX_CONSECUTIVE_FAILURES + 1);
    const check = vi
      .spyOn(Shipments.prototype, 'checkStagnation')
      .mockRejectedValue(new Error('ServiceUnavailable'));
    const run = await store().watchdogRun(now, () => {});
    expect(run.stopped).toBe(true);
    expect(run.failed).toHaveLength(WATCHDOG_MAX_CONSECUTIVE_FAILURES);
    expect(check).toHaveBeenCalledTimes(WATCHDOG_MAX_CONSECUTIVE_FAILURES);
    const error = vi.spyOn(logger, 'error');
    const { handler } = await import('#functions/delay-watchdog/handler.ts');
    await expect(handler({}, ctx)).rejects.toThrow(/stopped after 5 checks failed in a row/);
    const logged = error.mock.calls.map(([, a]) => a as { waybill?: string; error?: Error });
    expect(logged.filter((a) => a.error?.message === 'ServiceUnavailable' && a.waybill)).toHaveLength(
      WATCHDOG_MAX_CONSECUTIVE_FAILURES,
    );
  });
});
