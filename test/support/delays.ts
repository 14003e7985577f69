import type { DelayDetected } from '#shared/shipments/delay.ts';
import type { Shipment } from '#shared/shipments/model.ts';

/** A DelayDetected event: a key account's shipment held up by the weather, with `o` on top. */
export const delayDetected = (o: Partial<DelayDetected> = {}): DelayDetected => ({
  type: 'DelayDetected',
  waybill: '7100000000',
  accountId: 'acc-jinhe-grain',
  tier: 'key',
  severity: 'major',
  trigger: 'exception',
  reason: 'weather',
  minutesLate: 1800,
  eta: '2026-11-25T07:00:00.000Z',
  location: 'G4 京港澳高速 信阳段',
  createdAt: '2026-11-24T02:00:00.000Z',
  ...o,
});

/**
 * A shipment in transit on the pure rules' clock: promised 10 h after `now`, ETA 8 h after it,
 * departed 5 h before it, with `o` on top.
 */
export const inTransitShipment = (now: Date, o: Partial<Shipment> = {}): Shipment => {
  const h = (n: number) => new Date(now.getTime() + n * 3_600_000).toISOString();
  return {
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
    ...o,
  };
};

/** An open 金禾 shipment whose major delay was detected at `at` and not yet announced. */
export const delayedShipment = (waybill: string, at: Date): Shipment => ({
  waybill,
  accountId: 'acc-jinhe-grain',
  origin: '哈尔滨',
  destination: '郑州',
  consignee: { name: '郑州金禾粮油库' },
  promisedAt: '2026-11-24T00:00:00.000Z',
  eta: '2026-11-25T07:00:00.000Z',
  status: 'in-transit',
  milestones: [],
  tier: 'key',
  delay: {
    state: 'detected',
    severity: 'major',
    trigger: 'exception',
    minutesLate: 1860,
    detectedAt: at.toISOString(),
    announcedSeverity: 'major',
  },
  version: 1,
  updatedAt: at.toISOString(),
});
