/**
 * Tracking ingestion and the watchdog against DynamoDB Local, on shipments of their own (one
 * account, a fresh waybill per test): the promise watchdog, scans dated ahead, equal times, scans
 * after delivery, a batch's order across UTC offsets.
 */
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { ingestBatch } from '#shared/shipments/ingest.ts';
import type { Shipment } from '#shared/shipments/model.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { inTransitShipment } from '../support/delays.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const ACCOUNT = 'acc-tracking-rules';
const store = () => new Shipments(createDocumentClient(), TABLE_NAME());
const now = new Date();
const h = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
let n = 0;

/** A key-account shipment of its own, departed five hours ago, due in ten. */
async function newShipment(o: Partial<Shipment> = {}, createdAt = now): Promise<Shipment> {
  n++;
  const s = inTransitShipment(now, {
    waybill: `TR${String(now.getTime()).slice(-8)}${String(n).padStart(2, '0')}`,
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
  await store().create(s, createdAt);
  return s;
}

const ev = (s: Shipment, o: Record<string, unknown>) => ({
  eventId: `ev-${Math.random().toString(36).slice(2)}`,
  waybill: s.waybill,
  accountId: s.accountId,
  location: '郑州',
  ...o,
});

describe('a scan dated ahead of the time it is received', () => {
  it('is refused naming `at`, and does not swallow the real scans after it', async () => {
    const s = await newShipment();
    const typo = ev(s, { milestone: 'arrived-at-hub', at: h(24 * 365) }); // next year instead of this one
    const first = await ingestBatch(store(), [typo], now);
    expect(first).toMatchObject({ applied: 0, stale: 0 });
    expect(first.rejected).toEqual([
      {
        index: 0,
        eventId: typo.eventId,
        reason: expect.stringMatching(/^at: .*at most 15 minutes ahead/),
        reasonZh: expect.stringMatching(/^at: .*最多可超前 15 分钟/),
      },
    ]);
    const delivered = await ingestBatch(
      store(),
      [ev(s, { milestone: 'delivered', at: now.toISOString() })],
      now,
    );
    expect(delivered.applied).toBe(1);
    expect((await store().get(s.waybill))?.status).toBe('delivered');
  });
});

describe('scans dated the same instant', () => {
  it('a delivered scan with the timestamp of the scan before it is applied, not dropped as stale', async () => {
    const s = await newShipment();
    const at = new Date(now.getTime() - 60_000).toISOString();
    await ingestBatch(store(), [ev(s, { milestone: 'out-for-delivery', at })], now);
    const r = await ingestBatch(store(), [ev(s, { milestone: 'delivered', at })], now);
    expect(r).toMatchObject({ applied: 1, stale: 0 });
    expect((await store().get(s.waybill))?.status).toBe('delivered');
  });

  it('still counts the same event delivered twice as a duplicate', async () => {
    const s = await newShipment();
    const e = ev(s, { milestone: 'arrived-at-hub', at: new Date(now.getTime() - 60_000).toISOString() });
    await ingestBatch(store(), [e], now);
    expect(await ingestBatch(store(), [e], now)).toMatchObject({ applied: 0, stale: 0, duplicates: 1 });
  });
});

describe('a scan after delivery', () => {
  it('keeps the shipment delivered, announces nothing, moves no counter, and records the damage', async () => {
    const s = await newShipment();
    await ingestBatch(store(), [ev(s, { milestone: 'delivered', at: h(-1) })], now);
    const stats = await store().stats(ACCOUNT);
    const r = await ingestBatch(
      store(),
      [
        ev(s, { milestone: 'exception', reason: 'damage', at: h(-0.5) }),
        ev(s, { milestone: 'arrived-at-hub', at: h(-0.25) }),
      ],
      now,
    );
    expect(r).toMatchObject({ applied: 1, stale: 1, delaysAnnounced: 0, rejected: [] });
    const after = await store().get(s.waybill);
    expect(after).toMatchObject({ status: 'delivered', delivery: { undamaged: false, errorFree: false } });
    expect(after?.delay).toBeUndefined();
    expect(after?.milestones.at(-1)?.milestone).toBe('delivered');
    expect(await store().stats(ACCOUNT)).toEqual(stats);
    expect(
      (await store().stagnant(new Date(now.getTime() + 48 * 3_600_000))).map((x) => x.waybill),
    ).not.toContain(s.waybill);
  });
});

describe('a batch', () => {
  it('is applied by instant, not by the text of timestamps with different UTC offsets', async () => {
    const s = await newShipment();
    const base = new Date(now.getTime() - 3 * 3_600_000);
    base.setUTCMinutes(0, 0, 0);
    const pad = (x: number) => String(x).padStart(2, '0');
    const local = new Date(base.getTime() + 8 * 3_600_000);
    // The damage, earlier, written in +08:00; the delivery 90 minutes later, in UTC: as text the
    // delivery sorts first.
    const damagedAt = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:00:00+08:00`;
    const deliveredAt = new Date(base.getTime() + 90 * 60_000).toISOString();
    expect(deliveredAt < damagedAt).toBe(true);
    const report = await ingestBatch(
      store(),
      [
        ev(s, { milestone: 'exception', reason: 'damage', at: damagedAt }),
        ev(s, { milestone: 'delivered', at: deliveredAt }),
      ],
      now,
    );
    expect(report).toMatchObject({ applied: 2, stale: 0 });
    const after = await store().get(s.waybill);
    expect(after?.milestones.map((m) => m.milestone)).toEqual(['departed', 'exception', 'delivered']);
    expect(after?.delivery?.undamaged).toBe(false);
  });

  it('applies scans of one instant in milestone order, delivered last, whatever order they came in', async () => {
    const s = await newShipment();
    const at = new Date(now.getTime() - 60_000).toISOString();
    const report = await ingestBatch(
      store(),
      [ev(s, { milestone: 'delivered', at }), ev(s, { milestone: 'out-for-delivery', at })],
      now,
    );
    expect(report).toMatchObject({ applied: 2, stale: 0 });
    expect((await store().get(s.waybill))?.status).toBe('delivered');
  });
});

describe('the watchdog and a passed promise', () => {
  it('finds a shipment whose promise plus tolerance passed without a scan, not only 12 h after its last scan', async () => {
    // Out for delivery four hours ago, promised three hours ago; the account tolerates an hour.
    const s = await newShipment(
      {
        origin: '天津',
        destination: '北京',
        promisedAt: h(-3),
        eta: h(-3),
        milestones: [{ milestone: 'out-for-delivery', at: h(-4), location: '北京顺义' }],
        lastEventAt: h(-4),
        nextMilestoneDueAt: h(8), // last scan + 12 h
        delayToleranceMinutes: 60,
        updatedAt: h(-4),
      },
      new Date(now.getTime() - 4 * 3_600_000),
    );
    // What functions/delay-watchdog does on its run now:
    const due = await store().stagnant(now);
    expect(due.map((x) => x.waybill)).toContain(s.waybill);
    for (const x of due) if (x.accountId === ACCOUNT) await store().checkStagnation(x.waybill, now);
    expect((await store().get(s.waybill))?.delay).toMatchObject({
      state: 'detected',
      trigger: 'overdue',
      announcedSeverity: 'minor',
    });
    // Announced once: the next run does not pick it again before its milestone is due.
    expect((await store().stagnant(new Date(now.getTime() + 60_000))).map((x) => x.waybill)).not.toContain(
      s.waybill,
    );
  });
});
