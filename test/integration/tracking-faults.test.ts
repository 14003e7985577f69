/**
 * Tracking ingestion under faults: poison messages on the SQS feed, absurd timestamps, the same
 * event written another way. Against DynamoDB Local (this file's own table).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { ingestBatch } from '#shared/shipments/ingest.ts';
import type { Shipment } from '#shared/shipments/model.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { inTransitShipment } from '../support/delays.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const store = () => new Shipments(db, TABLE_NAME());

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
