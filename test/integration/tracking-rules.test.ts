/**
 * Tracking ingestion and the watchdog against DynamoDB Local, on shipments of their own (one
 * account, a fresh waybill per test): the promise watchdog, scans dated ahead, equal times, scans
 * after delivery, a batch's order across UTC offsets.
 */
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import type { Shipment } from '#shared/shipments/model.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const ACCOUNT = 'acc-tracking-rules';
const store = () => new Shipments(createDocumentClient(), TABLE_NAME());
const now = new Date();
const h = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
let n = 0;

/** A key-account shipment of its own, departed five hours ago, due in ten. */
async function newShipment(o: Partial<Shipment> = {}, createdAt = now): Promise<Shipment> {
  n++;
  const s: Shipment = {
    waybill: `TR${String(now.getTime()).slice(-8)}${String(n).padStart(2, '0')}`,
    accountId: ACCOUNT,
    origin: '哈尔滨',
    destination: '郑州',
    consignee: { name: '郑州库' },
    promisedAt: h(10),
    eta: h(8),
    status: 'in-transit',
    milestones: [{ milestone: 'departed', at: h(-5), location: '哈尔滨' }],
    lastEventAt: h(-5),
    nextMilestoneDueAt: h(7),
    tier: 'key',
    segment: 'fmcg',
    version: 1,
    updatedAt: h(-5),
    ...o,
  };
  await store().create(s, createdAt);
  return s;
}

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
