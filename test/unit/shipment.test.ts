import { describe, expect, it } from 'vitest';
import { type DeliveryOutcome, delayOf, deliveryKpis, type Shipment } from '#shared/shipments/model.ts';
import { inTransitShipment } from '../support/delays.ts';

const now = new Date('2026-11-23T12:00:00Z');
const h = (n: number) => new Date(now.getTime() + n * 3_600_000).toISOString();
const base: Shipment = inTransitShipment(now);

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

describe('deliveryKpis: the perfect order (seed 002)', () => {
  const delivered = (late: boolean, d: Partial<DeliveryOutcome> = {}): Shipment => ({
    ...base,
    status: 'delivered',
    delivery: {
      deliveredAt: late ? h(15) : h(9),
      complete: true,
      undamaged: true,
      rightDestination: true,
      paperworkComplete: true,
      errorFree: true,
      ...d,
    },
  });
  const none = {
    delivered: 0,
    onTimeRate: null,
    fillRate: null,
    undamagedRate: null,
    rightDestinationRate: null,
    paperworkRate: null,
    errorFreeRate: null,
    perfectOrderRate: null,
  };

  it('computes each component and the perfect order: on time, complete, undamaged, right door, papers', () => {
    const k = deliveryKpis([
      delivered(false, { undamaged: true, rightDestination: true, paperworkComplete: true }),
      delivered(true),
      delivered(false, { complete: false }),
      delivered(false, { undamaged: false, errorFree: false }),
      delivered(false, { rightDestination: false, errorFree: false }),
      delivered(false, { paperworkComplete: false, errorFree: false }),
      delivered(false, { podReference: 'POD-1' }),
      delivered(false),
    ]);
    expect(k).toEqual({
      delivered: 8,
      onTimeRate: 0.875,
      fillRate: 0.875,
      undamagedRate: 0.875,
      rightDestinationRate: 0.875,
      paperworkRate: 0.875,
      errorFreeRate: 0.625,
      perfectOrderRate: 0.375,
    });
  });

  it('reads a delivery recorded before the components by its error-free flag', () => {
    const legacy = (errorFree: boolean): Shipment => ({
      ...base,
      status: 'delivered',
      delivery: { deliveredAt: h(9), complete: true, errorFree },
    });
    const k = deliveryKpis([legacy(false), legacy(true)]);
    expect(k).toMatchObject({
      undamagedRate: 0.5,
      rightDestinationRate: 0.5,
      paperworkRate: 0.5,
      errorFreeRate: 0.5,
    });
  });

  it('judges on time by the account’s tolerance, or the shipment’s own', () => {
    // Delivered 45 minutes after the promise: late at 30 minutes’ tolerance, on time at 60.
    const slightly: Shipment = {
      ...base,
      status: 'delivered',
      delivery: { deliveredAt: h(10.75), complete: true, errorFree: true },
    };
    expect(deliveryKpis([slightly], 30).onTimeRate).toBe(0);
    expect(deliveryKpis([slightly], 60).onTimeRate).toBe(1);
    expect(deliveryKpis([{ ...slightly, delayToleranceMinutes: 30 }], 60).onTimeRate).toBe(0);
  });

  it('has nothing to measure without deliveries', () => {
    expect(deliveryKpis([])).toEqual(none);
  });
});
