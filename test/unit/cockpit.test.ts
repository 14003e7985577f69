/**
 * The cockpit's figures from the weekly aggregates (pure): the facts an item carries, added up as
 * WeeklyAggregates.count adds them (each fact id once), read by the portfolio and service views.
 */
import { describe, expect, it } from 'vitest';
import { CHURN_POLICY, churnRisk, emptyWeek, knownBy, type WeekFacts } from '#shared/accounts/churn.ts';
import type { Account } from '#shared/accounts/model.ts';
import { type AccountEconomics, derivePrioritization } from '#shared/accounts/prioritization.ts';
import { type AccountWeek, addFact, emptyAccountWeek, weekFacts } from '#shared/analytics/aggregates.ts';
import { portfolio, serviceAnalytics } from '#shared/analytics/cockpit.ts';
import { factsOf } from '#shared/analytics/facts.ts';
import { addWeeks } from '#shared/analytics/weeks.ts';
import type { Shipment } from '#shared/shipments/model.ts';
import { applyScan, stagnationCheck } from '#shared/shipments/tracking.ts';
import { inTransitShipment } from '../support/delays.ts';

const ACCOUNT = 'acc-jinhe-grain';
const WEEK = '2026-W48'; // Monday 2026-11-23 … Sunday 2026-11-29, Shanghai
const BOOK = [{ id: ACCOUNT, name: '金禾粮油', derived: { tier: 'key' } } as never];

/** The images' facts counted as the aggregator counts them: each id once, the first time seen. */
function counted(images: readonly { image: Record<string, unknown>; writtenAt?: string }[]) {
  const seen = new Set<string>();
  const weeks = new Map<string, AccountWeek>();
  for (const { image, writtenAt } of images)
    for (const f of factsOf(image, writtenAt)) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      weeks.set(f.week, addFact(weeks.get(f.week) ?? emptyAccountWeek(f.accountId, f.week), f));
    }
  return new Map([...weeks].map(([week, w]) => [week, [w]]));
}
const images = (...items: Record<string, unknown>[]) => items.map((image) => ({ image }));

describe('inbound calls by reason', () => {
  it('puts every call that chose no IVR option, and only those, under "straight to an agent"', () => {
    const at = '2026-11-24T02:15:00.000Z';
    const calls = Array.from({ length: 10 }, (_, i) => [
      {
        entity: 'Call',
        connectContactId: `c-${i}`,
        at,
        e164: '+8613910012001',
        accountId: ACCOUNT,
        direction: 'inbound',
      },
      // Calls 0–2 heard the tracking prompt, were back at the menu and pressed 2 for a complaint.
      ...(i < 3
        ? [
            {
              entity: 'InboundCall',
              contactId: `c-${i}`,
              at,
              accountId: ACCOUNT,
              reason_tracking: at,
              reason_complaint: at,
            },
          ]
        : []),
    ]).flat();
    const s = serviceAnalytics(BOOK, counted(images(...calls)), [WEEK]);
    expect(s.perWeek[0]?.inboundCalls).toBe(10);
    expect(s.callsByReason).toEqual({ tracking: 3, complaint: 3, none: 7 });
  });

  it('reads a week counted before calls with a reason were by its marks, as before', () => {
    const w = emptyAccountWeek(ACCOUNT, WEEK);
    w.counters.inboundCalls = 10;
    w.dims.reason = { tracking: 3 };
    expect(serviceAnalytics(BOOK, new Map([[WEEK, [w]]]), [WEEK]).callsByReason.none).toBe(7);
  });
});

describe('the portfolio’s profit against the large-account target', () => {
  // Weak position (not a key account, a shared team by the rules), 24 % margin on 9 M of revenue.
  const economics: AccountEconomics = {
    accountValue: 30_000_000,
    shareOfWallet: 0.3,
    currentMargin: 2_160_000,
    potentialMargin: 2_000_000,
    averageTransactionValue: 10_000,
    yearlyFrequency: 900,
    expectedLifetimeYears: 5,
  };
  const account = {
    id: 'acc-boundary',
    name: '边界客户',
    status: 'active',
    economics,
    derived: derivePrioritization(economics),
  } as unknown as Account;

  it('gives each account the profit with a dedicated team, which the target line is drawn against', () => {
    const p = portfolio([account], [], new Date('2026-11-27T04:00:00Z'));
    const a = p.accounts[0];
    // With the shared team serving it (48 K) it makes 2 112 000, above the 2 M target; with the
    // dedicated team the target is measured on (288 K), 1 872 000: not on the large-account list.
    expect(a).toMatchObject({ expectedProfit: 2_112_000, dedicatedProfit: 1_872_000, largeAccount: false });
    expect((a?.dedicatedProfit ?? 0) >= p.thresholds.profitTarget).toBe(a?.largeAccount);
  });
});

describe('on-time and perfect-order rates of a week with shipments overdue on the road', () => {
  const shipment = (n: number, over: Record<string, unknown> = {}) => ({
    entity: 'Shipment',
    waybill: `SF${String(n).padStart(10, '0')}`,
    accountId: ACCOUNT,
    origin: '上海',
    destination: '北京',
    consignee: { name: '收货人' },
    promisedAt: '2026-11-25T10:00:00+08:00', // Wednesday of week 48
    eta: '2026-11-25T09:00:00+08:00',
    status: 'in-transit',
    milestones: [],
    version: 1,
    updatedAt: '2026-11-23T10:00:00+08:00',
    ...over,
  });
  const delivered = (at: string) => ({
    status: 'delivered',
    delivery: { deliveredAt: at, complete: true, errorFree: true },
  });
  // Eight delivered on time; two still on the road, which the watchdog saw past the promise plus
  // the hour's tolerance (stagnationCheck records `overdueAt`).
  const onTime = Array.from({ length: 8 }, (_, i) => shipment(i, delivered('2026-11-25T08:00:00+08:00')));
  const stuck = [8, 9].map((i) =>
    shipment(i, { eta: '2026-12-03T10:00:00+08:00', overdueAt: '2026-11-25T11:05:00+08:00' }),
  );
  // They arrive in week 50, late.
  const arrived = stuck.map((s) => ({ ...s, ...delivered('2026-12-08T10:00:00+08:00') }));
  const known = counted(images(...onTime, ...stuck));
  const later = counted(images(...onTime, ...stuck, ...arrived));

  it('counts a shipment overdue on the road as not on time in its promise week, before it arrives', () => {
    const s = serviceAnalytics(BOOK, known, [WEEK]);
    expect(s.perWeek[0]).toMatchObject({ delivered: 8, overdue: 2, onTimeRate: 0.8, perfectOrderRate: 0.8 });
    expect(s.accounts[0]).toMatchObject({ onTime: [0.8], perfectOrder: [0.8] });
  });

  it('takes it off when it arrives: the late delivery is not counted twice', () => {
    const s = serviceAnalytics(BOOK, later, [WEEK]);
    expect(s.perWeek[0]).toMatchObject({ delivered: 10, overdue: 0, onTimeRate: 0.8, perfectOrderRate: 0.8 });
    // The delivered image alone (its overdue record never counted) says the same.
    const alone = counted(images(...onTime, ...arrived));
    expect(serviceAnalytics(BOOK, alone, [WEEK]).perWeek[0]).toMatchObject({
      delivered: 10,
      onTimeRate: 0.8,
    });
  });

  it('keeps what was learnt after the week apart, so the backtest replays the week as the live score saw it', () => {
    const w = later.get(WEEK)?.[0] as AccountWeek;
    expect(w.knownLater).toEqual({ '2026-W50': { delivered: 2, overdue: -2 } });
    // Eleven steady weeks, then week 48: as the daily score read it on Monday of week 49, and as
    // the backtest replays it once the deliveries of week 50 were counted into it.
    const steady = (week: string): WeekFacts => ({
      ...emptyWeek(week),
      shipments: 10,
      delivered: 10,
      onTime: 10,
      perfect: 10,
      contacts: 1,
    });
    const before = Array.from({ length: 11 }, (_, i) => steady(addWeeks('2026-W37', i)));
    const live = churnRisk([...before, weekFacts(known.get(WEEK)?.[0] as AccountWeek)], CHURN_POLICY);
    const replayed = churnRisk([...before, knownBy(weekFacts(w), WEEK)], CHURN_POLICY);
    expect(live.reasons.map((r) => r.signal)).toContain('on-time');
    expect(replayed.score).toBe(live.score);
  });

  it('reads a shipment of the previous release (no overdue record) as before', () => {
    const old = shipment(8, delivered('2026-12-08T10:00:00+08:00'));
    expect(factsOf(old).map((f) => f.id)).toEqual(['ship#SF0000000008', 'delivered#SF0000000008']);
    expect(factsOf(old).find((f) => f.id.startsWith('delivered#'))?.add).toEqual({
      delivered: 1,
      onTime: 0,
      perfect: 0,
    });
  });
});

describe('an on-time delivery the TMS feed reports after the watchdog marked it overdue', () => {
  // Promised Sunday 29 November at 23:30 (week 48), the hour's tolerance: the watchdog sees it
  // past that on Monday at 00:35 (week 49); the feed, behind, reports on Monday at 02:00 that it
  // was delivered on Sunday at 23:00, on time.
  const open = inTransitShipment(new Date('2026-11-29T10:00:00Z'), {
    accountId: ACCOUNT,
    promisedAt: '2026-11-29T15:30:00.000Z',
    eta: '2026-11-29T15:00:00.000Z',
    delayToleranceMinutes: 60,
    nextMilestoneDueAt: '2026-11-30T10:00:00.000Z',
    lastEventAt: '2026-11-29T05:00:00.000Z',
    tier: 'key',
  });
  const overdue = stagnationCheck(open, new Date('2026-11-29T16:35:00Z'))?.next as Shipment;
  const scan = applyScan(
    overdue,
    {
      eventId: 'dlv-1',
      waybill: open.waybill,
      accountId: ACCOUNT,
      milestone: 'delivered',
      location: 'B',
      at: '2026-11-29T15:00:00.000Z',
    } as never,
    new Date('2026-11-29T18:00:00Z'),
  );
  const delivered = (scan.kind === 'applied' ? scan.next : overdue) as Shipment;
  const w = counted(images({ ...overdue, entity: 'Shipment' }, { ...delivered, entity: 'Shipment' })).get(
    WEEK,
  )?.[0] as AccountWeek;

  it('counts the delivery on time in its promise week, the overdue record taken off', () => {
    expect(overdue.overdueAt).toBe('2026-11-29T16:35:00.000Z');
    expect(delivered.delivery?.deliveredAt).toBe('2026-11-29T15:00:00.000Z');
    expect(w.counters).toMatchObject({ delivered: 1, overdue: 0, onTime: 1 });
  });

  it('dates the delivery when it was learnt, so the week replays as known then without a negative overdue', () => {
    // Both learnt on Monday, week 49: the delivery with its `overdue: -1` no earlier than the
    // record it takes off.
    expect(w.knownLater).toEqual({ '2026-W49': { delivered: 1, overdue: 0, onTime: 1, perfect: 1 } });
    const asKnown = knownBy(weekFacts(w), WEEK);
    expect(asKnown).toMatchObject({ delivered: 0, overdue: 0, onTime: 0, perfect: 0 });
    expect(knownBy(weekFacts(w), '2026-W49')).toMatchObject({ delivered: 1, overdue: 0, onTime: 1 });
  });
});

describe('a complaint resolved within its SLA, reopened by its follow-up and resolved late', () => {
  const base = {
    entity: 'Complaint',
    id: 'cmp-1',
    accountId: ACCOUNT,
    category: 'damage',
    severity: 'major',
    createdAt: '2026-11-23T02:00:00.000Z', // Monday 10:00 Shanghai
    resolveDueAt: '2026-11-24T02:00:00.000Z', // 24 h
  };
  const first = { callbackId: 'cb-1', dueAt: '2026-11-23T10:00:00.000Z' };
  const second = { callbackId: 'cb-2', dueAt: '2026-11-26T08:00:00.000Z' };
  const reopened = { reopenCount: 1, reopenedFrom: '2026-11-23T04:00:00.000Z' };
  // The images the table's stream carries, in order (what lifecycle.ts decide writes).
  const stream = [
    { ...base, status: 'new', updatedAt: base.createdAt },
    // Resolved in 2 h, within the SLA; its 回访 booked.
    {
      ...base,
      status: 'resolved',
      resolvedAt: '2026-11-23T04:00:00.000Z',
      updatedAt: '2026-11-23T04:00:00.000Z',
      followUp: first,
    },
    // The 回访 scores 1, not accepted: reopened, past the due time.
    {
      ...base,
      ...reopened,
      status: 'in-progress',
      updatedAt: '2026-11-24T08:00:00.000Z',
      followUp: { ...first, score: 1, accepted: false, at: '2026-11-24T08:00:00.000Z' },
    },
    // Resolved again two days late; a new 回访 booked, which the client scores 5: closed.
    {
      ...base,
      ...reopened,
      status: 'resolved',
      resolvedAt: '2026-11-26T02:00:00.000Z',
      updatedAt: '2026-11-26T02:00:00.000Z',
      followUp: second,
    },
    {
      ...base,
      ...reopened,
      status: 'closed',
      resolvedAt: '2026-11-26T02:00:00.000Z',
      closedAt: '2026-11-27T02:00:00.000Z',
      updatedAt: '2026-11-27T02:00:00.000Z',
      followUp: { ...second, score: 5, accepted: true, at: '2026-11-27T02:00:00.000Z' },
    },
  ].map((image) => ({ image, writtenAt: image.updatedAt }));
  const byWeek = counted(stream);

  it('counts as a missed resolution SLA, as the complaint’s own SLA view says', () => {
    const s = serviceAnalytics(BOOK, byWeek, [WEEK]);
    expect(s.perWeek[0]?.breaches).toBe(1);
    expect(s.slaByTier.find((t) => t.tier === 'key')).toEqual({
      tier: 'key',
      resolved: 1,
      inSla: 0,
      rate: 0,
    });
  });

  it('counts both follow-up scores in the satisfaction the churn signal reads', () => {
    expect(byWeek.get(WEEK)?.[0]?.counters).toMatchObject({ followUps: 2, satisfactionSum: 6 });
  });

  it('resolved again within the SLA, still counts once, in SLA', () => {
    const inTime = stream
      .slice(0, 3)
      .map(({ image }) => ({ image: { ...image, updatedAt: '2026-11-23T08:00:00.000Z' } }));
    const again = {
      ...base,
      ...reopened,
      status: 'resolved',
      resolvedAt: '2026-11-23T12:00:00.000Z',
      updatedAt: '2026-11-23T12:00:00.000Z',
      followUp: second,
    };
    const s = serviceAnalytics(BOOK, counted([...inTime, { image: again }]), [WEEK]);
    expect(s.slaByTier.find((t) => t.tier === 'key')).toMatchObject({ resolved: 1, inSla: 1 });
  });

  it('keeps the fact ids of a complaint never reopened, as counted before episodes were', () => {
    expect(factsOf(stream[1]?.image as never, stream[1]?.writtenAt).map((f) => f.id)).toEqual([
      'complaint#cmp-1',
      'resolved#cmp-1',
    ]);
  });
});
