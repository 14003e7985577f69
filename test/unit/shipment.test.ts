import { describe, expect, it } from 'vitest';
import { delayOf, deliveryKpis, type Shipment } from '#shared/shipments/model.ts';

const now = new Date('2026-11-23T12:00:00Z');
const h = (n: number) => new Date(now.getTime() + n * 3_600_000).toISOString();
const base: Shipment = {
  waybill: '7100000001',
  accountId: 'acc-x',
  origin: 'A',
  destination: 'B',
  consignee: { name: 'C' },
  promisedAt: h(10),
  eta: h(8),
  status: 'in-transit',
  milestones: [{ milestone: 'departed', at: h(-5), location: 'A' }],
  version: 1,
  updatedAt: h(0),
};

describe('delayOf', () => {
  it('is on time when the ETA is inside the promise', () => {
    expect(delayOf(base, now)).toEqual({ delayed: false, minutesLate: 0, reason: 'none' });
  });

  it('flags an ETA beyond the promise plus tolerance', () => {
    expect(delayOf({ ...base, eta: h(10.5) }, now).delayed).toBe(false);
    expect(delayOf({ ...base, eta: h(13) }, now)).toEqual({
      delayed: true,
      minutesLate: 180,
      reason: 'eta-beyond-promise',
    });
  });

  it('flags an exception with its reason', () => {
    const s: Shipment = {
      ...base,
      status: 'exception',
      milestones: [
        ...base.milestones,
        { milestone: 'exception', at: h(-1), location: 'G4', reason: 'weather' },
      ],
    };
    expect(delayOf(s, now)).toMatchObject({ delayed: true, reason: 'exception', exceptionReason: 'weather' });
  });

  it('flags an open shipment whose promise has passed', () => {
    expect(delayOf({ ...base, promisedAt: h(-3), eta: h(-3) }, now)).toMatchObject({
      delayed: true,
      reason: 'overdue',
      minutesLate: 180,
    });
  });

  it('judges a delivered shipment on its delivery time', () => {
    const done: Shipment = {
      ...base,
      status: 'delivered',
      delivery: { deliveredAt: h(12), complete: true, errorFree: true },
    };
    expect(delayOf(done, now)).toMatchObject({ delayed: true, minutesLate: 120 });
  });
});

describe('deliveryKpis', () => {
  const delivered = (late: boolean, complete: boolean, errorFree: boolean): Shipment => ({
    ...base,
    status: 'delivered',
    delivery: { deliveredAt: late ? h(15) : h(9), complete, errorFree },
  });

  it('computes on-time, fill, error-free and perfect-order rates', () => {
    const k = deliveryKpis([
      delivered(false, true, true),
      delivered(true, true, true),
      delivered(false, false, true),
      delivered(false, true, false),
    ]);
    expect(k).toEqual({
      delivered: 4,
      onTimeRate: 0.75,
      fillRate: 0.75,
      errorFreeRate: 0.75,
      perfectOrderRate: 0.25,
    });
  });

  it('has nothing to measure without deliveries', () => {
    expect(deliveryKpis([])).toEqual({
      delivered: 0,
      onTimeRate: null,
      fillRate: null,
      errorFreeRate: null,
      perfectOrderRate: null,
    });
  });
});
