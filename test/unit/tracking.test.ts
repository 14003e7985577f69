/**
 * Tracking rules, pure: when the watchdog looks at a shipment and what it concludes.
 */
import { describe, expect, it } from 'vitest';
import type { Shipment } from '#shared/shipments/model.ts';
import {
  applyScan,
  compareScans,
  scanTimeRefused,
  stagnationCheck,
  watchdogDueAt,
} from '#shared/shipments/tracking.ts';
import { inTransitShipment } from '../support/delays.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const h = (n: number) => new Date(NOW.getTime() + n * 3_600_000).toISOString();
const at = (n: number) => new Date(NOW.getTime() + n * 3_600_000);
const base: Shipment = inTransitShipment(NOW, {
  lastEventAt: h(-5),
  nextMilestoneDueAt: h(7),
  tier: 'key',
  segment: 'fmcg',
  updatedAt: h(-5),
});

describe('the watchdog looks when the next milestone or the promise is due', () => {
  it('is due at the next milestone when that comes first', () => {
    expect(watchdogDueAt(base)).toBe(h(7));
  });

  it('is due when the promise plus the account’s tolerance runs out, when that comes first', () => {
    // Out for delivery, scanned an hour ago: promised in two hours, 30 minutes’ tolerance.
    const s = { ...base, promisedAt: h(2), nextMilestoneDueAt: h(11), delayToleranceMinutes: 30 };
    expect(watchdogDueAt(s)).toBe(new Date(Date.parse(h(2.5)) + 60_000).toISOString());
    // Without its own tolerance, the default hour.
    const { delayToleranceMinutes: _, ...plain } = s;
    expect(watchdogDueAt(plain)).toBe(new Date(Date.parse(h(3)) + 60_000).toISOString());
  });

  it('leaves the promise once a delay is recorded, unless it was cleared before the promise ran out', () => {
    // Seen past its promise (the look that detected the delay recorded it overdue).
    const s = { ...base, promisedAt: h(-3), nextMilestoneDueAt: h(8), overdueAt: h(-1) };
    const open = {
      ...s,
      delay: { state: 'notified', severity: 'minor', trigger: 'overdue', minutesLate: 60, detectedAt: h(-1) },
    } as const;
    expect(watchdogDueAt(open)).toBe(h(8));
    const clearedByAgent = {
      ...open,
      delay: { ...open.delay, state: 'cleared', clearedAt: h(-0.5) },
    } as const;
    expect(watchdogDueAt(clearedByAgent)).toBe(h(8));
    const clearedBefore = { ...open, delay: { ...open.delay, state: 'cleared', clearedAt: h(-4) } } as const;
    expect(Date.parse(watchdogDueAt(clearedBefore) ?? '')).toBeLessThan(NOW.getTime());
  });

  it('has nothing due for a delivered shipment', () => {
    expect(watchdogDueAt({ ...base, status: 'delivered', promisedAt: h(-3) })).toBeUndefined();
  });
});

describe('the watchdog’s look', () => {
  // Out for delivery, promised three hours ago, an hour’s tolerance; the last scan 4 h ago.
  const late: Shipment = {
    ...base,
    promisedAt: h(-3),
    eta: h(-3),
    milestones: [{ milestone: 'out-for-delivery', at: h(-4), location: 'B' }],
    lastEventAt: h(-4),
    nextMilestoneDueAt: h(8),
    delayToleranceMinutes: 60,
  };

  it('announces a passed promise as overdue, by the tier’s thresholds, without moving the milestone’s due time', () => {
    const d = stagnationCheck(late, NOW);
    expect(d?.detection).toMatchObject({
      delayed: true,
      trigger: 'overdue',
      minutesLate: 180,
      severity: 'minor',
    });
    expect(d?.announce).toBe('minor');
    expect(d?.next.nextMilestoneDueAt).toBe(h(8));
    expect(d?.next.delay).toMatchObject({
      state: 'detected',
      trigger: 'overdue',
      announcedSeverity: 'minor',
    });
    // Recorded, the promise is no longer due: the next look is the milestone’s.
    expect(watchdogDueAt(d?.next as Shipment)).toBe(h(8));
    expect(stagnationCheck(d?.next as Shipment, at(1))).toBeUndefined();
  });

  it('is severe as the delay rules say: a key account five hours past its promise is major', () => {
    expect(stagnationCheck({ ...late, promisedAt: h(-5) }, NOW)?.announce).toBe('major');
  });

  it('does nothing before the promise runs out or the milestone is due', () => {
    expect(stagnationCheck({ ...late, promisedAt: h(-0.5) }, NOW)).toBeUndefined();
  });

  it('records a passed promise once, the time it was seen: the on-time rate counts it from then', () => {
    const d = stagnationCheck(late, NOW);
    expect(d?.next.overdueAt).toBe(NOW.toISOString());
    // A later look at the overdue milestone keeps the first time.
    const again = stagnationCheck({ ...(d?.next as Shipment), nextMilestoneDueAt: h(1) }, at(2));
    expect(again?.next.overdueAt).toBe(NOW.toISOString());
  });

  it('looks once at the promise of a shipment whose delay was announced before it, to record it overdue, announcing nothing', () => {
    // The ETA ran past the promise yesterday: announced then; no scan since, the milestone not due.
    const announced = {
      ...late,
      eta: h(20),
      delay: {
        state: 'notified',
        severity: 'critical',
        trigger: 'eta-beyond-promise',
        minutesLate: 1380,
        detectedAt: h(-20),
        announcedSeverity: 'critical',
      },
    } as const satisfies Shipment;
    expect(Date.parse(watchdogDueAt(announced) ?? '')).toBeLessThan(NOW.getTime());
    const d = stagnationCheck(announced, NOW);
    expect(d?.announce).toBeUndefined();
    expect(d?.next.delay).toEqual(announced.delay);
    expect(d?.next.overdueAt).toBe(NOW.toISOString());
    expect(watchdogDueAt(d?.next as Shipment)).toBe(h(8));
  });

  it('after a look at an overdue milestone, looks again six hours later', () => {
    const d = stagnationCheck({ ...base, nextMilestoneDueAt: h(-1) }, NOW);
    expect(d?.detection).toMatchObject({ trigger: 'stagnation', severity: 'minor' });
    expect(d?.next.nextMilestoneDueAt).toBe(h(6));
  });
});

describe('a scan of a shipment past its promise', () => {
  const promised: Shipment = { ...base, promisedAt: h(-3), eta: h(-3), delayToleranceMinutes: 60 };
  const scan = (milestone: 'arrived-at-hub' | 'delivered', when: string) => ({
    eventId: `${milestone}-${when}`,
    waybill: base.waybill,
    accountId: base.accountId,
    milestone,
    location: 'C',
    at: when,
  });
  const next = (s: Shipment, e: ReturnType<typeof scan>, now: Date) => {
    const d = applyScan(s, e, now);
    return d.kind === 'applied' ? d.next : s;
  };

  it('records it overdue once, when first seen so; its delivery keeps the record', () => {
    const onTheRoad = next(promised, scan('arrived-at-hub', h(-0.5)), NOW);
    expect(onTheRoad.overdueAt).toBe(NOW.toISOString());
    expect(next(onTheRoad, scan('arrived-at-hub', h(0.5)), at(1)).overdueAt).toBe(NOW.toISOString());
    const arrived = next(onTheRoad, scan('delivered', h(2)), at(2));
    expect(arrived).toMatchObject({ status: 'delivered', overdueAt: NOW.toISOString() });
  });

  it('records nothing within the tolerance, nor for a delivery after it (the delivery itself is late)', () => {
    expect(next(promised, scan('arrived-at-hub', h(-2.5)), at(-2)).overdueAt).toBeUndefined();
    expect(next(promised, scan('delivered', h(-0.5)), NOW).overdueAt).toBeUndefined();
  });
});

describe('a scan dated ahead of the time it is received', () => {
  it('is accepted up to 15 minutes ahead (a clock a little fast), refused beyond, saying why', () => {
    expect(scanTimeRefused({ at: h(0.25) }, NOW)).toBeUndefined();
    expect(scanTimeRefused({ at: '2026-11-23T20:10:00+08:00' }, NOW)).toBeUndefined(); // 12:10 UTC
    const refused = scanTimeRefused({ at: h(24 * 365) }, NOW);
    expect(refused?.path).toBe('at');
    expect(refused?.reason.en).toMatch(
      /525600 minutes after the time it was received.*at most 15 minutes ahead/,
    );
    expect(refused?.reason['zh-CN']).toMatch(/晚 525600 分钟.*最多可超前 15 分钟/);
  });
});

describe('a scan dated far back (a typed year)', () => {
  it('is accepted up to a year back (a TMS replaying its backlog), refused beyond, saying why', () => {
    expect(scanTimeRefused({ at: h(-24 * 364) }, NOW)).toBeUndefined();
    const refused = scanTimeRefused({ at: '0001-11-23T12:00:00Z' }, NOW);
    expect(refused?.path).toBe('at');
    expect(refused?.reason.en).toMatch(/^0001-11-23T12:00:00Z is \d+ days before .*at most 365 days back/);
    expect(refused?.reason['zh-CN']).toMatch(/最多可追溯 365 天/);
  });
});

describe("a carrier's ETA far from its scan", () => {
  it.each([
    ['a typed year, decades ahead', '2062-11-24T10:00:00+08:00', /days after the scan/],
    ['half a year and a day ahead', h(24 * 181), /181 days after the scan/],
    ['two days before the scan', h(-1 - 48), /48 hours before the scan/],
  ])('is refused naming carrierEta: %s', (_what, carrierEta, why) => {
    const refused = scanTimeRefused({ at: h(-1), carrierEta }, NOW);
    expect(refused?.path).toBe('carrierEta');
    expect(refused?.reason.en).toMatch(why);
    expect(refused?.reason['zh-CN']).toMatch(/承运商预计到达时间/);
  });

  it.each([
    ['weeks ahead (a sea leg)', h(24 * 60)],
    ['an ETA the carrier has not updated, hours before the scan', h(-1 - 20)],
  ])('is accepted: %s', (_what, carrierEta) => {
    expect(scanTimeRefused({ at: h(-1), carrierEta }, NOW)).toBeUndefined();
  });
});

describe('scans dated the same instant', () => {
  const scan = (
    milestone: 'out-for-delivery' | 'delivered' | 'exception',
    when: string,
    id: string = milestone,
  ) => ({
    eventId: id,
    waybill: base.waybill,
    accountId: base.accountId,
    milestone,
    location: 'B',
    at: when,
    ...(milestone === 'exception' ? { reason: 'address-issue' as const } : {}),
  });
  const outForDelivery = applyScan(base, scan('out-for-delivery', h(-0.5)), NOW);
  const out = outForDelivery.kind === 'applied' ? outForDelivery.next : base;

  it('both apply, the later milestone last: out for delivery then delivered in one second is delivered', () => {
    const d = applyScan(out, scan('delivered', h(-0.5)), NOW);
    expect(d.kind).toBe('applied');
    expect(d.kind === 'applied' && d.next.status).toBe('delivered');
  });

  it('an earlier milestone of the same instant arriving after a later one is kept as history', () => {
    const exception = applyScan(out, scan('exception', h(-0.5)), NOW);
    const held = exception.kind === 'applied' ? exception.next : out;
    expect(held.status).toBe('exception');
    expect(applyScan(held, scan('out-for-delivery', h(-0.5), 'again'), NOW)).toEqual({ kind: 'stale' });
  });

  it('a second scan of the same milestone and instant (another event id) applies too', () => {
    expect(applyScan(out, scan('out-for-delivery', h(-0.5), 'second'), NOW).kind).toBe('applied');
  });

  it('orders scans by instant whatever their UTC offset, then by progression', () => {
    const a = { at: '2026-11-23T19:30:00+08:00', milestone: 'delivered' as const }; // 11:30 UTC
    const b = { at: '2026-11-23T12:00:00Z', milestone: 'out-for-delivery' as const };
    expect(compareScans(a, b)).toBeLessThan(0);
    expect(compareScans({ ...a, at: '2026-11-23T20:00:00+08:00' }, b)).toBeGreaterThan(0);
  });
});

describe('a scan after delivery', () => {
  const delivered: Shipment = {
    ...base,
    promisedAt: h(-2),
    eta: h(-3),
    status: 'delivered',
    milestones: [{ milestone: 'delivered', at: h(-3), location: 'B' }],
    lastEventAt: h(-3),
    delivery: { deliveredAt: h(-3), complete: true, errorFree: true },
    delay: {
      state: 'cleared',
      severity: 'minor',
      trigger: 'overdue',
      minutesLate: 60,
      detectedAt: h(-4),
      clearedAt: h(-3),
    },
    version: 3,
    updatedAt: h(-3),
  };
  const { nextMilestoneDueAt: _, ...deliveredNoDue } = delivered;
  const later = (milestone: 'exception' | 'arrived-at-hub', reason?: 'damage' | 'weather') => ({
    eventId: 'late-report',
    waybill: delivered.waybill,
    accountId: 'acc-x',
    milestone,
    location: 'B',
    at: h(-1),
    ...(reason ? { reason } : {}),
  });

  it('a damage report does not reopen it nor announce a delay: it marks the goods damaged', () => {
    const d = applyScan(deliveredNoDue, later('exception', 'damage'), NOW);
    expect(d.kind).toBe('applied');
    if (d.kind !== 'applied') return;
    expect(d.announce).toBeUndefined();
    expect(d.next).toEqual({
      ...deliveredNoDue,
      delivery: { ...deliveredNoDue.delivery, undamaged: false, errorFree: false },
      version: 4,
      updatedAt: NOW.toISOString(),
    });
    expect(watchdogDueAt(d.next)).toBeUndefined();
    // Reported again: nothing more to correct.
    expect(applyScan(d.next, { ...later('exception', 'damage'), eventId: 'again' }, NOW)).toEqual({
      kind: 'stale',
    });
  });

  it('any other scan after it is kept as history', () => {
    expect(applyScan(deliveredNoDue, later('exception', 'weather'), NOW)).toEqual({ kind: 'stale' });
    expect(applyScan(deliveredNoDue, later('arrived-at-hub'), NOW)).toEqual({ kind: 'stale' });
  });
});
