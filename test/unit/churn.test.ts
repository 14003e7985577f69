import { describe, expect, it } from 'vitest';
import {
  type AccountHistory,
  backtest,
  CHURN_POLICY,
  churnRisk,
  emptyWeek,
  fillWeeks,
  knownBy,
  strength,
  type WeekFacts,
} from '#shared/accounts/churn.ts';
import { retentionNote } from '#shared/accounts/churn-run.ts';
import { addWeeks, weekOf, weekStart, weeksBetween } from '#shared/analytics/weeks.ts';
import { both } from '#shared/platform/messages/index.ts';

const FIRST = '2026-W01';

/** A steady account: 20 shipments a week, all on time and perfect, a call a week, share 0.5. */
function steady(week: string, over: Partial<WeekFacts> = {}): WeekFacts {
  return {
    ...emptyWeek(week),
    shipments: 20,
    delivered: 20,
    onTime: 20,
    perfect: 20,
    contacts: 1,
    shareOfWallet: 0.5,
    ...over,
  };
}

/** 12 weeks: 8 of baseline as `base`, then 4 recent weeks as `recent`. */
function history(recent: Partial<WeekFacts>, base: Partial<WeekFacts> = {}): WeekFacts[] {
  return Array.from({ length: 12 }, (_, i) => steady(addWeeks(FIRST, i), i < 8 ? base : recent));
}

describe('the book’s weeks', () => {
  it('names ISO weeks in Shanghai time, Monday to Sunday', () => {
    // Sunday 2026-11-29 23:30 in Shanghai is 15:30 UTC: still week 48.
    expect(weekOf('2026-11-29T15:30:00Z')).toBe('2026-W48');
    // 16:30 UTC is Monday 00:30 in Shanghai: week 49.
    expect(weekOf('2026-11-29T16:30:00Z')).toBe('2026-W49');
    expect(weekStart('2026-W49').toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(addWeeks('2026-W52', 2)).toBe('2027-W01'); // 2026 has 53 ISO weeks
    expect(addWeeks('2027-W01', -1)).toBe('2026-W53');
    expect(weeksBetween('2026-W50', '2027-W02')).toBe(5);
  });
});

describe('churn risk: each signal against the account’s own history', () => {
  it('ramps a signal linearly between where it starts and where it counts in full', () => {
    expect(strength(0.1, { from: 0.15, full: 0.5 })).toBe(0);
    expect(strength(0.325, { from: 0.15, full: 0.5 })).toBeCloseTo(0.5);
    expect(strength(0.9, { from: 0.15, full: 0.5 })).toBe(1);
    // A falling ramp (satisfaction: lower is worse).
    expect(strength(3.25, { from: 4, full: 2.5 })).toBeCloseTo(0.5);
  });

  it('scores a steady account 0, low, with no reasons', () => {
    const r = churnRisk(history({}));
    expect(r).toMatchObject({ score: 0, level: 'low', reasons: [], week: '2026-W12' });
  });

  it.each([
    // signal, recent weeks, baseline weeks, points, English reason
    ['volume', { shipments: 10 }, {}, 30, 'Shipments down 50% against its own baseline (20 → 10 a week)'],
    ['volume', { shipments: 14 }, {}, 13, 'Shipments down 30% against its own baseline (20 → 14 a week)'],
    ['on-time', { onTime: 17 }, {}, 15, 'On-time rate falling: 100% → 85%'],
    ['on-time', { onTime: 18.5 }, {}, 7, 'On-time rate falling: 100% → 92.5%'],
    ['perfect-order', { perfect: 18 }, {}, 8, 'Perfect-order rate falling: 100% → 90%'],
    ['complaints', { complaints: 1 }, {}, 11, '4 complaint(s) in 4 weeks, 0 past their SLA'],
    ['complaints', { complaints: 1, breaches: 1 }, {}, 15, '4 complaint(s) in 4 weeks, 4 past their SLA'],
    [
      'follow-up',
      { followUps: 1, satisfactionSum: 2 },
      { followUps: 0 },
      10,
      'Low follow-up satisfaction: 2/5 on average (4 call(s))',
    ],
    [
      'share-of-wallet',
      { shareOfWallet: 0.3 },
      {},
      10,
      'It is moving business elsewhere: our share of its logistics is falling',
    ],
    [
      'silence',
      { contacts: 0 },
      { contacts: 0 },
      10,
      'No contact for 12 weeks (calls in or out, follow-ups)',
    ],
    ['silence', { contacts: 0 }, {}, 0, undefined],
  ] as const)('%s: %j after %j → %i points', (signal, recent, base, points, reason) => {
    const r = churnRisk(history(recent, base));
    const found = r.reasons.find((x) => x.signal === signal);
    expect(found?.points ?? 0).toBe(points);
    expect(found?.text.en).toBe(reason);
    if (found) expect(found.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  });

  it('adds the signals up, levels them, and keeps the three largest reasons, largest first', () => {
    const r = churnRisk(history({ shipments: 8, onTime: 13, perfect: 13, complaints: 2, contacts: 0 }));
    expect(r.score).toBe(30 + 15 + 10 + 15);
    expect(r.level).toBe('high');
    expect(r.reasons.map((x) => x.signal)).toEqual(['volume', 'on-time', 'complaints']);
    expect(r.reasons[0]?.text['zh-CN']).toBe('发货量比自身基线下降 60%（每周 20 票 → 8 票）');
    const medium = churnRisk(history({ shipments: 12 }));
    // A 40 % fall alone: (0.40 − 0.15) / 0.35 of 30 points.
    expect([medium.score, medium.level]).toEqual([21, 'low']);
    const two = churnRisk(history({ shipments: 12, complaints: 1 }));
    expect([two.score, two.level]).toEqual([32, 'medium']);
  });

  it('needs a baseline before it judges volume, rates and share', () => {
    const short = [steady('2026-W01'), steady('2026-W02', { shipments: 1 })];
    expect(churnRisk(short).reasons.map((r) => r.signal)).toEqual([]);
  });

  it('fills unrecorded weeks with zeros and carries the share of wallet forward', () => {
    const filled = fillWeeks(
      [steady('2026-W02', { shareOfWallet: 0.4 }), steady('2026-W05')],
      '2026-W01',
      '2026-W06',
    );
    expect(filled.map((w) => w.week)).toEqual([
      '2026-W01',
      '2026-W02',
      '2026-W03',
      '2026-W04',
      '2026-W05',
      '2026-W06',
    ]);
    expect(filled.map((w) => w.shipments)).toEqual([0, 20, 0, 0, 20, 0]);
    expect(filled.map((w) => w.shareOfWallet)).toEqual([undefined, 0.4, 0.4, 0.4, 0.5, 0.5]);
  });
});

describe('backtest on a known history', () => {
  const weeks = 26;
  const span = (shape: (i: number) => Partial<WeekFacts>) =>
    Array.from({ length: weeks }, (_, i) => steady(addWeeks(FIRST, i), shape(i)));
  const histories: AccountHistory[] = [
    // Drifts from week 12 and is lost at week 20: flagged at 16 (volume halves, complaints).
    {
      accountId: 'drifter',
      weeks: span((i) =>
        i >= 12 ? { shipments: 6, complaints: 1, onTime: 5, delivered: 6, perfect: 5 } : {},
      ),
      lostWeek: addWeeks(FIRST, 20),
    },
    // Lost suddenly at week 18, nothing showed before: missed.
    { accountId: 'sudden', weeks: span(() => ({})), lostWeek: addWeeks(FIRST, 18) },
    // Dips at weeks 12–15, flagged, recovers and is never lost: a false alarm (retention worked).
    {
      accountId: 'recovered',
      weeks: span((i) =>
        i >= 12 && i < 16 ? { shipments: 6, complaints: 2, delivered: 6, onTime: 4, perfect: 4 } : {},
      ),
    },
    // Steady throughout.
    { accountId: 'steady', weeks: span(() => ({})) },
    // Starts drifting at week 22: flagged, outcome not known yet.
    {
      accountId: 'late-drifter',
      weeks: span((i) =>
        i >= 22 ? { shipments: 4, complaints: 2, delivered: 4, onTime: 2, perfect: 2 } : {},
      ),
    },
  ];

  it('counts caught, missed, false alarms, pending and quiet accounts, and their precision and recall', () => {
    const b = backtest(histories);
    const by = Object.fromEntries(b.accounts.map((a) => [a.accountId, a]));
    // Three weeks into the drift the recent window shows it: 30 (volume) + 8 + 5 + 8 points.
    expect(by.drifter).toMatchObject({
      outcome: 'caught',
      flaggedWeek: '2026-W15',
      lostWeek: '2026-W21',
      leadWeeks: 6,
    });
    expect(by.sudden).toMatchObject({ outcome: 'missed' });
    expect(by.recovered).toMatchObject({ outcome: 'false-alarm', flaggedWeek: '2026-W15' });
    expect(by.steady).toMatchObject({ outcome: 'quiet' });
    expect(by['late-drifter']).toMatchObject({ outcome: 'pending' });
    expect(b).toMatchObject({
      caught: 1,
      missed: 1,
      falseAlarms: 1,
      pending: 1,
      quiet: 1,
      medianLeadWeeks: 6,
    });
    expect(b.precision).toBe(0.5);
    expect(b.recall).toBe(0.5);
  });

  it('judges a policy change before it ships: a stricter high level misses the drifter', () => {
    const strict = backtest(histories, { ...CHURN_POLICY, levels: { medium: 60, high: 95 } });
    expect(strict.caught).toBe(0);
    expect(strict.recall).toBe(0);
    expect(strict.precision).toBeNull();
  });

  it('leaves an account lost before the history could warn unjudged, out of precision and recall', () => {
    const b = backtest([
      { accountId: 'new', weeks: span(() => ({})).slice(0, 6), lostWeek: addWeeks(FIRST, 5) },
    ]);
    expect(b.accounts[0]?.outcome).toBe('unjudged');
    expect([b.recall, b.precision]).toEqual([null, null]);
  });

  it('replays each week as it was known then: what was learnt later is not credited to the policy', () => {
    // Volume halves in W13–W16 (known then: 30 points, medium), and every delivery of those weeks
    // was late, which a feed backlog told only in W21 (counted back into each delivery's week).
    const backDated: AccountHistory = {
      accountId: 'back-dated',
      weeks: span((i) =>
        i >= 12 && i < 16
          ? {
              shipments: 10,
              delivered: 10,
              onTime: 0,
              perfect: 0,
              knownLater: { [addWeeks(FIRST, 20)]: { delivered: 10 } },
            }
          : {},
      ),
    };
    expect(backtest([backDated]).accounts[0]).toMatchObject({ outcome: 'quiet' });
    // Read with the late news back-dated, the policy would have flagged it in W16.
    const asStored = backDated.weeks.map(({ knownLater: _, ...w }) => w);
    expect(backtest([{ ...backDated, weeks: asStored }]).accounts[0]).toMatchObject({
      outcome: 'false-alarm',
      flaggedWeek: '2026-W16',
    });
    // From W21 on, the week reads as stored.
    expect(knownBy(backDated.weeks[12] as WeekFacts, addWeeks(FIRST, 20))).toEqual(asStored[12]);
  });

  it('judges an account lost this week, after its last complete week', () => {
    const drifter = histories[0] as AccountHistory;
    // The history ends at week 20 (index 19); the loss is in week 21, the current one.
    const b = backtest([{ ...drifter, weeks: drifter.weeks.slice(0, 20), lostWeek: addWeeks(FIRST, 20) }]);
    expect(b.accounts[0]).toMatchObject({ outcome: 'caught', leadWeeks: 6 });
  });
});

describe('the retention callback’s note', () => {
  it('gives the agent who calls the reasons the card shows them: not the share-of-wallet one', () => {
    const risk = churnRisk([]);
    const reasons = [
      { signal: 'share-of-wallet' as const, points: 10, text: both('churn.share-of-wallet') },
      { signal: 'silence' as const, points: 10, text: both('churn.silence', { weeks: 8 }) },
    ];
    const note = retentionNote({ ...risk, score: 55, reasons }, '王建国');
    expect(note).toContain('55/100');
    expect(note).toContain(both('churn.silence', { weeks: 8 })['zh-CN']);
    expect(note).toContain(both('churn.silence', { weeks: 8 }).en);
    expect(note).not.toContain(both('churn.share-of-wallet')['zh-CN']);
    expect(note).not.toContain(both('churn.share-of-wallet').en);
  });
});
