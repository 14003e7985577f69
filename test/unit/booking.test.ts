import { describe, expect, it } from 'vitest';
import { type BookingAccount, book, ShipmentBooking, shipmentProfile } from '#shared/shipments/booking.ts';
import type { Shipment } from '#shared/shipments/model.ts';

const NOW = new Date('2026-11-24T02:00:00Z');
const h = (x: number) => new Date(NOW.getTime() + x * 3_600_000).toISOString();
const ACCOUNT: BookingAccount = {
  id: 'acc-a',
  segment: 'pharma',
  delayToleranceMinutes: 30,
  derived: { tier: 'key' },
  serviceLines: [
    { id: 'vaccines', name: '疫苗', profitGrade: 2, importance: 1 },
    { id: 'otc', name: '非处方药', profitGrade: 4, importance: 2 },
    { id: 'bulk', name: '原料', profitGrade: 4, importance: 2 },
  ],
};
const booking = (o: Record<string, unknown> = {}) =>
  ShipmentBooking.parse({
    waybill: 'WB000001',
    accountId: 'acc-a',
    origin: '苏州',
    destination: '成都',
    consignee: { name: '成都医药仓' },
    serviceLineId: 'otc',
    promisedAt: '2026-11-26T18:00:00+08:00',
    bookedAt: h(-1),
    ...o,
  });
const created = (o: Record<string, unknown> = {}): Shipment => {
  const d = book(undefined, booking(o), ACCOUNT, NOW);
  if (d.kind !== 'created') throw new Error(d.kind);
  return d.next;
};

describe('booking a shipment (pure)', () => {
  it('ranks the lines as order service priority does, equal scores sharing a rank', () => {
    const { profile, lines } = shipmentProfile(ACCOUNT);
    expect(profile).toEqual({ tier: 'key', segment: 'pharma', delayToleranceMinutes: 30 });
    expect(lines.map((l) => [l.id, l.rank])).toEqual([
      ['vaccines', 1],
      ['otc', 2],
      ['bulk', 2],
    ]);
  });

  it('a new waybill: in transit, no milestones, times as UTC, the ETA the promise', () => {
    const s = created();
    expect(s).toMatchObject({
      status: 'in-transit',
      milestones: [],
      promisedAt: '2026-11-26T10:00:00.000Z',
      eta: '2026-11-26T10:00:00.000Z',
      serviceLine: { id: 'otc', rank: 2, score: 8 },
      tier: 'key',
      version: 1,
    });
    expect(s.lastEventAt).toBeUndefined();
  });

  it('an older booking than the one applied, or the same again, is unchanged', () => {
    const s = { ...created({ bookedAt: h(-1) }), version: 4 };
    expect(book(s, booking({ bookedAt: h(-2), promisedAt: h(80) }), ACCOUNT, NOW).kind).toBe('unchanged');
    expect(book(s, booking({ bookedAt: h(0) }), ACCOUNT, NOW).kind).toBe('unchanged');
    const later = book(s, booking({ bookedAt: h(0), promisedAt: h(80) }), ACCOUNT, NOW);
    expect(later).toMatchObject({ kind: 'updated', next: { promisedAt: h(80), eta: h(80), version: 5 } });
  });

  it('a booking dated 15 minutes ahead is taken, 16 refused; a promise 180 days on is taken, 181 refused', () => {
    expect(book(undefined, booking({ bookedAt: h(0.25) }), ACCOUNT, NOW).kind).toBe('created');
    expect(book(undefined, booking({ bookedAt: h(16 / 60) }), ACCOUNT, NOW)).toMatchObject({
      kind: 'refused',
      error: { errors: [{ path: 'bookedAt' }] },
    });
    expect(book(undefined, booking({ bookedAt: h(0), promisedAt: h(180 * 24) }), ACCOUNT, NOW).kind).toBe(
      'created',
    );
    expect(book(undefined, booking({ bookedAt: h(0), promisedAt: h(181 * 24) }), ACCOUNT, NOW)).toMatchObject(
      {
        kind: 'refused',
        error: { problem: 'invalid', errors: [{ path: 'promisedAt' }] },
      },
    );
  });
});
