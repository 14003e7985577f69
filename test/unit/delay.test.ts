import { describe, expect, it } from 'vitest';
import { detectDelay, TrackingEvent } from '#shared/shipments/delay.ts';
import type { Shipment } from '#shared/shipments/model.ts';
import { inTransitShipment } from '../support/delays.ts';

const now = new Date('2026-11-23T12:00:00Z');
const h = (n: number) => new Date(now.getTime() + n * 3_600_000).toISOString();
const shipment = (o: Partial<Shipment> = {}): Shipment => inTransitShipment(now, o);

describe('delay detection', () => {
  it.each([
    // ETA vs promise (hours)  tier             severity     trigger
    [8, 'key', undefined, 'none'],
    [10.5, 'key', undefined, 'none'],
    [12, 'key', 'minor', 'eta-beyond-promise'],
    [14, 'key', 'major', 'eta-beyond-promise'],
    [34, 'key', 'critical', 'eta-beyond-promise'],
    [34, 'loyal', 'major', 'eta-beyond-promise'],
    [60, 'loyal', 'critical', 'eta-beyond-promise'],
    [60, 'low-potential', 'major', 'eta-beyond-promise'],
  ] as const)('ETA %d h from now on a %s account → %s (%s)', (eta, tier, severity, trigger) => {
    const d = detectDelay(shipment({ eta: h(eta) }), tier, now);
    expect(d.severity).toBe(severity);
    expect(d.trigger).toBe(trigger);
  });

  it('treats a key account’s delay of more than a day as critical', () => {
    expect(detectDelay(shipment({ eta: h(10 + 24 + 1) }), 'key', now).severity).toBe('critical');
  });

  it.each([
    ['loss', 'critical'],
    ['damage', 'major'],
    ['weather', 'minor'],
  ] as const)('an exception for %s is at least %s', (reason, severity) => {
    const s = shipment({
      status: 'exception',
      milestones: [{ milestone: 'exception', at: h(-1), location: 'G4', reason }],
    });
    expect(detectDelay(s, 'loyal', now)).toMatchObject({
      delayed: true,
      severity,
      trigger: 'exception',
      reason,
    });
  });

  it('flags a stagnant shipment: no scan since its next milestone was due', () => {
    expect(detectDelay(shipment({ nextMilestoneDueAt: h(-3) }), 'key', now)).toMatchObject({
      delayed: true,
      trigger: 'stagnation',
      severity: 'minor',
    });
  });

  it('never flags a delivered shipment', () => {
    expect(detectDelay(shipment({ status: 'delivered', eta: h(100) }), 'key', now).delayed).toBe(false);
  });
});

describe('tracking event validation', () => {
  it('needs a reason for an exception', () => {
    const r = TrackingEvent.safeParse({
      eventId: 'e1',
      waybill: '7100000001',
      accountId: 'acc-x',
      milestone: 'exception',
      location: 'G4',
      at: h(0),
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['reason']);
  });
});
