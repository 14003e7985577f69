/**
 * Analytics counts a shipment's facts once per fact id (aggregates.ts claims each id), each in the
 * week of its promise. Before bookings a promise never moved; a re-promise (PUT /shipments/{waybill})
 * now moves it, so a shipment seen overdue in one week and delivered after a re-promise into the
 * next counted `shipments` and `overdue` in the first week, and `delivered` with `overdue: -1` in
 * the second: a week with more deliveries than shipments and a negative overdue count.
 */
import { describe, expect, it } from 'vitest';
import { factsOf } from '#shared/analytics/facts.ts';
import { type BookingAccount, book, ShipmentBooking } from '#shared/shipments/booking.ts';
import type { Shipment } from '#shared/shipments/model.ts';
import { ShipmentEntity } from '#shared/shipments/repo.ts';

const ACCOUNT: BookingAccount = {
  id: 'acc-a',
  segment: 'fmcg',
  delayToleranceMinutes: 60,
  derived: { tier: 'loyal' },
  serviceLines: [],
};
const booking = (o: Record<string, unknown>) =>
  ShipmentBooking.parse({
    waybill: 'WB000777',
    accountId: 'acc-a',
    origin: '济南',
    destination: '上海',
    consignee: { name: '上海仓' },
    ...o,
  });

describe('a re-promise into another week', () => {
  it("keeps all of the shipment's analytics facts in one week", () => {
    // Friday's promise (ISO week 48), booked on Wednesday.
    const first = book(
      undefined,
      booking({ promisedAt: '2026-11-27T10:00:00Z', bookedAt: '2026-11-25T10:00:00Z' }),
      ACCOUNT,
      new Date('2026-11-25T10:00:00Z'),
    );
    if (first.kind !== 'created') throw new Error(first.kind);
    // The watchdog saw it open past the promise on Friday evening.
    const overdue: Shipment = { ...first.next, overdueAt: '2026-11-27T12:00:00.000Z', version: 2 };
    // On Saturday the client agrees a new promise: next Tuesday (week 49).
    const now = new Date('2026-11-28T08:00:00Z');
    const again = book(
      overdue,
      booking({ promisedAt: '2026-12-01T10:00:00Z', bookedAt: '2026-11-28T08:00:00Z' }),
      ACCOUNT,
      now,
    );
    if (again.kind !== 'updated') throw new Error(again.kind);
    const delivered: Shipment = {
      ...again.next,
      status: 'delivered',
      delivery: { deliveredAt: '2026-12-01T09:00:00.000Z', complete: true, errorFree: true },
      version: again.next.version + 1,
      updatedAt: '2026-12-01T09:00:00.000Z',
    };
    // Each fact id counts once, the first time the stream brings it.
    const counted = new Map<string, string>();
    for (const s of [first.next, overdue, again.next, delivered])
      for (const f of factsOf(ShipmentEntity.toItem(s) as never))
        if (!counted.has(f.id)) counted.set(f.id, f.week);
    expect([...counted.keys()].sort()).toEqual(['delivered#WB000777', 'overdue#WB000777', 'ship#WB000777']);
    expect(new Set(counted.values()).size).toBe(1);
  });
});
