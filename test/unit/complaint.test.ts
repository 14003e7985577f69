import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  checkTransition,
  nextEscalationCheck,
  requiredEscalation,
} from '#shared/complaints/lifecycle.ts';
import { complaintMetrics } from '#shared/complaints/metrics.ts';
import { COMPLAINT_STATUSES, type Complaint, slaView, TRANSITIONS } from '#shared/complaints/model.ts';
import { ReferenceBlocks } from '#shared/complaints/repo.ts';

const t0 = new Date('2026-11-23T02:00:00Z');
const min = (n: number) => new Date(t0.getTime() + n * 60_000).toISOString();
const base: Complaint = {
  id: '01JXXXXXXXXXXXXXXXXXXXXXXX',
  reference: '2611230001',
  accountId: 'acc-x',
  accountName: 'X',
  tier: 'key',
  waybills: [],
  category: 'delay',
  severity: 'critical',
  channel: 'agent-phone',
  description: 'late',
  status: 'open',
  clock: '24x7',
  createdAt: t0.toISOString(),
  createdBy: 'a',
  ackAtRiskAt: min(22.5),
  ackDueAt: min(30),
  resolveAtRiskAt: min(360),
  resolveDueAt: min(480),
  escalationLevel: 0,
  reopenCount: 0,
  version: 1,
  updatedAt: t0.toISOString(),
};

describe('lifecycle', () => {
  const legal: [string, string][] = [
    ['open', 'acknowledged'],
    ['acknowledged', 'in-progress'],
    ['acknowledged', 'resolved'],
    ['in-progress', 'resolved'],
    ['resolved', 'closed'],
  ];
  it.each(legal)('allows %s → %s', (from, to) => {
    expect(
      checkTransition({ status: from as never, resolvedAt: min(10) }, to as never, new Date(min(20)), 60),
    ).toEqual({ ok: true });
  });

  const illegal = COMPLAINT_STATUSES.flatMap((from) =>
    COMPLAINT_STATUSES.filter((to) => !TRANSITIONS[from].includes(to)).map(
      (to) => [from, to] as [string, string],
    ),
  );
  it.each(illegal)('refuses %s → %s and names the allowed states', (from, to) => {
    const r = checkTransition(
      { status: from as never, resolvedAt: min(10) },
      to as never,
      new Date(min(20)),
      60,
    );
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.allowed).toEqual(
      allowedTransitions({ status: from as never, resolvedAt: min(10) }, new Date(min(20)), 60),
    );
  });

  it('reopens resolved or closed complaints only inside the window', () => {
    expect(
      checkTransition({ status: 'resolved', resolvedAt: min(0) }, 'in-progress', new Date(min(60)), 60),
    ).toEqual({ ok: true });
    expect(
      checkTransition({ status: 'closed', resolvedAt: min(0) }, 'in-progress', new Date(min(59)), 60),
    ).toEqual({ ok: true });
    const late = checkTransition(
      { status: 'resolved', resolvedAt: min(0) },
      'in-progress',
      new Date(min(61)),
      60,
    );
    expect(late).toMatchObject({ ok: false, allowed: ['closed'] });
    expect(late.ok ? '' : late.reason).toContain('within 60 minutes');
  });
});

describe('SLA view', () => {
  it.each([
    [10, 'on-track'],
    [25, 'at-risk'],
    [31, 'breached'],
  ] as const)('%d minutes after opening an unacknowledged complaint is %s', (m, state) => {
    expect(slaView(base, new Date(min(m))).current).toBe(state);
  });

  it('marks a clock met or missed once it stops', () => {
    expect(slaView({ ...base, status: 'acknowledged', acknowledgedAt: min(20) }, new Date(min(40))).ack).toBe(
      'met',
    );
    expect(slaView({ ...base, status: 'acknowledged', acknowledgedAt: min(40) }, new Date(min(41))).ack).toBe(
      'missed',
    );
    expect(
      slaView(
        { ...base, status: 'resolved', acknowledgedAt: min(5), resolvedAt: min(500) },
        new Date(min(600)),
      ).resolve,
    ).toBe('missed');
  });
});

describe('escalation rules', () => {
  it.each([
    [10, 0],
    [23, 1],
    [31, 2],
    [361, 2],
    [481, 2],
    [721, 3],
  ] as const)('%d minutes in, an unacknowledged key critical complaint needs level %d', (m, level) => {
    expect(requiredEscalation(base, new Date(min(m)))).toBe(level);
  });

  it('follows the resolve clock once acknowledged', () => {
    const ack = { ...base, status: 'acknowledged' as const, acknowledgedAt: min(5) };
    expect(requiredEscalation(ack, new Date(min(100)))).toBe(0);
    expect(requiredEscalation(ack, new Date(min(361)))).toBe(1);
  });

  it('stops for resolved complaints', () => {
    expect(requiredEscalation({ ...base, status: 'resolved' }, new Date(min(10_000)))).toBe(0);
    expect(nextEscalationCheck({ ...base, status: 'closed' })).toBeUndefined();
  });

  it('schedules the next check at the next level’s mark', () => {
    expect(nextEscalationCheck(base)).toBe(min(22.5));
    expect(nextEscalationCheck({ ...base, escalationLevel: 1 })).toBe(min(30));
    expect(nextEscalationCheck({ ...base, escalationLevel: 2 })).toBe(min(720));
    expect(nextEscalationCheck({ ...base, escalationLevel: 3 })).toBeUndefined();
  });
});

describe('service metrics', () => {
  it('computes rate, SLA compliance, mean times, reopen rate and first-contact resolution', () => {
    const resolvedOnTime: Complaint = {
      ...base,
      status: 'closed',
      acknowledgedAt: min(10),
      resolvedAt: min(120),
    };
    const resolvedLate: Complaint = {
      ...base,
      status: 'closed',
      channel: 'email',
      acknowledgedAt: min(50),
      resolvedAt: min(600),
    };
    const reopened: Complaint = { ...base, status: 'in-progress', acknowledgedAt: min(30), reopenCount: 1 };
    const m = complaintMetrics([resolvedOnTime, resolvedLate, reopened, base], 400);
    expect(m).toEqual({
      windowDays: 90,
      complaints: 4,
      complaintRatePer1000: 10,
      slaCompliance: 0.5,
      meanMinutesToAcknowledge: 30,
      meanMinutesToResolve: 360,
      reopenRate: 0.333,
      firstContactResolution: 0.5,
    });
  });
});

describe('reference numbers from reserved blocks', () => {
  const day = new Date('2026-11-27T03:00:00Z');
  const setup = () => {
    const counters = new Map<string, number>();
    const reservations: number[] = [];
    let now = 0;
    const blocks = new ReferenceBlocks(
      async (d, n) => {
        reservations.push(n);
        counters.set(d, (counters.get(d) ?? 0) + n);
        return counters.get(d) ?? 0;
      },
      () => now,
    );
    return { blocks, reservations, tick: (ms: number) => (now += ms) };
  };

  it('takes one number at a time at a normal pace, in the order of filing', async () => {
    const { blocks, reservations, tick } = setup();
    const refs: string[] = [];
    for (let i = 0; i < 3; i++) {
      refs.push(await blocks.take(day));
      tick(5_000);
    }
    expect(refs).toEqual(['2611270001', '2611270002', '2611270003']);
    expect(reservations).toEqual([1, 1, 1]);
  });

  it('reserves growing blocks in a burst, never hands a number out twice, and starts over each day', async () => {
    const { blocks, reservations } = setup();
    const refs = await Promise.all(Array.from({ length: 40 }, () => blocks.take(day)));
    expect(new Set(refs).size).toBe(40);
    expect(refs.toSorted()).toEqual(
      Array.from({ length: 40 }, (_, i) => `2611270${String(i + 1).padStart(3, '0')}`),
    );
    expect(reservations).toEqual([1, 2, 4, 8, 16, 32]);
    expect(await blocks.take(new Date('2026-11-28T01:00:00Z'))).toBe('2611280001');
    expect(reservations.at(-1)).toBe(1);
  });

  it('dates a reference by the day in China, where callers quote it: 01:30 on the 28th is the 28th', async () => {
    const { blocks } = setup();
    // 17:30 UTC on the 27th is 01:30 on the 28th in Shanghai, a new day and a new sequence.
    expect(await blocks.take(new Date('2026-11-27T15:59:00Z'))).toBe('2611270001');
    expect(await blocks.take(new Date('2026-11-27T17:30:00Z'))).toBe('2611280001');
  });
});
