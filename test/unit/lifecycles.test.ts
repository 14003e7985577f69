import { describe, expect, it } from 'vitest';
import { newCallback, outcomeOf } from '#shared/campaigns/callback.ts';
import { control } from '#shared/campaigns/campaign.ts';
import type { Callback, CampaignStatus } from '#shared/campaigns/model.ts';
import { STANDING_CAMPAIGNS } from '#shared/campaigns/standing.ts';
import { DEFAULT_COMPLAINT_POLICY, decide, deferEscalation, escalate } from '#shared/complaints/lifecycle.ts';
import type { Complaint, ComplaintStatus } from '#shared/complaints/model.ts';
import { wantsProactiveCall } from '#shared/notify/proactive-call.ts';
import { applyDetection, type Detection, delayAction } from '#shared/shipments/delay.ts';
import type { Delay, Shipment } from '#shared/shipments/model.ts';
import { playbookSeverity, stockOutRiskOf } from '#shared/shipments/playbooks.ts';
import { applyScan } from '#shared/shipments/tracking.ts';

const NOW = new Date('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
const min = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString();

describe('campaign control', () => {
  it.each([
    // from       action     → to (undefined: refused)
    ['draft', 'start', 'running'],
    ['draft', 'pause', undefined],
    ['draft', 'cancel', 'cancelled'],
    ['running', 'pause', 'paused'],
    ['running', 'start', undefined],
    ['running', 'resume', undefined],
    ['running', 'cancel', 'cancelled'],
    ['paused', 'resume', 'running'],
    ['paused', 'cancel', 'cancelled'],
    ['cancelled', 'resume', undefined],
    ['completed', 'cancel', undefined],
  ] as const)('%s → %s gives %s', (from, action, to) => {
    const d = control({ id: 'k1', name: 'review', status: from as CampaignStatus }, action);
    if (to) expect(d).toEqual({ ok: true, next: to, effects: [] });
    else expect(d.ok ? undefined : d.error).toMatchObject({ problem: 'illegal-transition' });
  });

  it.each(['start', 'pause', 'resume', 'cancel'] as const)(
    'refuses to %s a standing campaign, saying why in both languages',
    (action) => {
      const d = control(
        { id: 'customer-callbacks', name: '客户预约回电 · Customer-requested callbacks', status: 'running' },
        action,
      );
      const error = d.ok ? undefined : d.error;
      expect(error).toMatchObject({ problem: 'illegal-transition' });
      expect(error?.message).toMatch(/standing campaign/);
      expect(error?.messageZh).toMatch(/常设活动/);
    },
  );
});

const callback = (o: Partial<Callback> = {}): Callback => ({
  id: 'cb-1',
  campaignId: 'k1',
  reason: 'account-review',
  accountId: 'acc-x',
  phone: '+8613910012001',
  language: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  rank: 100,
  state: 'dialed',
  attempts: 1,
  maxAttempts: 2,
  retryDelayMinutes: 30,
  dailyCap: 2,
  window: { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '20:00', holidays: [] },
  dueAt: NOW.toISOString(),
  createdAt: NOW.toISOString(),
  ...o,
});

describe('callback outcomes', () => {
  it.each([
    // state       attempts max outcome      event attempt → to                 counters
    ['dialed', 1, 2, 'connected', 1, 'connected', { reached: 1 }],
    ['dialed', 1, 2, 'completed', 1, 'completed', { completed: 1, active: -1, reached: 1 }],
    ['connected', 1, 2, 'completed', 1, 'completed', { completed: 1, active: -1 }],
    ['dialed', 1, 2, 'no-answer', 1, 'retry-scheduled', { active: -1 }],
    ['dialed', 2, 2, 'no-answer', 2, 'failed', { active: -1, failed: 1 }],
    ['connected', 1, 2, 'connected', 1, undefined, undefined],
    ['completed', 1, 2, 'completed', 1, undefined, undefined],
    ['dialed', 2, 2, 'completed', 1, undefined, undefined],
  ] as const)(
    '%s (attempt %d of %d) + %s of attempt %d → %s',
    (state, attempts, max, outcome, attempt, to, counts) => {
      const d = outcomeOf(callback({ state, attempts, maxAttempts: max }), outcome, attempt, NOW);
      expect(d?.to).toBe(to);
      expect(d?.counts).toEqual(counts);
    },
  );

  it('retries a no-answer after the campaign’s delay, inside the window', () => {
    const d = outcomeOf(callback(), 'no-answer', 1, new Date('2026-11-23T11:50:00Z')); // 19:50 local
    expect(d?.dueAt).toBe('2026-11-24T01:00:00.000Z'); // 09:00 the next morning
  });

  it('frees the pending slot only when the call is over', () => {
    expect(outcomeOf(callback(), 'connected', 1, NOW)?.ends).toBe(false);
    expect(outcomeOf(callback(), 'completed', 1, NOW)?.ends).toBe(true);
    expect(outcomeOf(callback({ attempts: 2 }), 'no-answer', 2, NOW)?.ends).toBe(true);
  });

  it('books a callback without a number as failed, saying why', () => {
    const c = { id: 'complaint-follow-up', ...STANDING_CAMPAIGNS['complaint-follow-up'] };
    const made = newCallback(
      c,
      { accountId: 'acc-x', language: 'en', timeZone: 'Asia/Shanghai', rank: 100 },
      NOW,
      'x',
    );
    expect(made).toMatchObject({
      state: 'failed',
      notes: '没有登记电话号码 · no phone number on file',
      maxAttempts: 3,
      dailyCap: 2,
    });
  });
});

const complaint = (status: ComplaintStatus, o: Partial<Complaint> = {}): Complaint => ({
  id: 'c1',
  reference: '2611230001',
  accountId: 'acc-x',
  accountName: 'X',
  tier: 'key',
  waybills: [],
  category: 'delay',
  severity: 'critical',
  channel: 'agent-phone',
  description: 'late',
  status,
  clock: '24x7',
  createdAt: NOW.toISOString(),
  createdBy: 'a',
  ackAtRiskAt: min(22.5),
  ackDueAt: min(30),
  resolveAtRiskAt: min(360),
  resolveDueAt: min(480),
  escalationLevel: 0,
  reopenCount: 0,
  contactPhone: '+8613910012001',
  contactTimeZone: 'Asia/Shanghai',
  version: 3,
  updatedAt: NOW.toISOString(),
  ...o,
});

const kinds = (effects: { kind: string }[]) => effects.map((e) => e.kind);

describe('complaint transitions', () => {
  const ids = { followUpCallback: 'cb-follow-up' };
  it.each([
    // from            to              → effects
    ['open', 'acknowledged', ['history']],
    ['acknowledged', 'in-progress', ['history']],
    ['acknowledged', 'resolved', ['history', 'count-open', 'book-follow-up']],
    ['in-progress', 'resolved', ['history', 'count-open', 'book-follow-up']],
    ['resolved', 'closed', ['history']],
    ['resolved', 'in-progress', ['history', 'count-open']],
  ] as const)('%s → %s writes %j', (from, to, effects) => {
    const d = decide(
      complaint(from, { resolvedAt: from === 'resolved' ? min(-5) : undefined }),
      { kind: 'move', to, version: 3, by: 'agent' },
      NOW,
      DEFAULT_COMPLAINT_POLICY,
      ids,
    );
    expect(d.ok && kinds(d.effects)).toEqual(effects);
    expect(d.ok && d.next).toMatchObject({ status: to, version: 4 });
  });

  it.each([
    ['open', 'resolved'],
    ['closed', 'resolved'],
    ['in-progress', 'open'],
  ] as const)('refuses %s → %s with the allowed next states', (from, to) => {
    const d = decide(
      complaint(from),
      { kind: 'move', to, version: 3, by: 'a' },
      NOW,
      DEFAULT_COMPLAINT_POLICY,
      ids,
    );
    expect(d.ok ? undefined : d.error).toMatchObject({
      problem: 'illegal-transition',
      details: { allowed: expect.any(Array) },
    });
  });

  it('refuses a stale version', () => {
    const d = decide(
      complaint('open'),
      { kind: 'move', to: 'acknowledged', version: 2, by: 'a' },
      NOW,
      DEFAULT_COMPLAINT_POLICY,
      ids,
    );
    expect(d.ok ? undefined : d.error).toMatchObject({
      problem: 'version-conflict',
      details: { sentVersion: 2, currentVersion: 3 },
    });
  });

  it.each([
    // score accepted → status       follow-up disposition
    [5, true, 'closed', 'resolved'],
    [3, true, 'closed', 'resolved'],
    [2, true, 'in-progress', 'needs-follow-up'],
    [5, false, 'in-progress', 'needs-follow-up'],
  ] as const)('a follow-up scored %d (accepted: %s) makes it %s', (score, accepted, status, disposition) => {
    const resolved = complaint('resolved', {
      resolvedAt: min(-60),
      followUp: { callbackId: 'cb-9', dueAt: min(0) },
    });
    const d = decide(
      resolved,
      { kind: 'follow-up', score, accepted, version: 3, by: 'a' },
      NOW,
      DEFAULT_COMPLAINT_POLICY,
      ids,
    );
    expect(d.ok && d.next).toMatchObject({ status, followUp: { score, accepted } });
    expect(d.ok && d.effects.find((e) => e.kind === 'complete-follow-up')).toMatchObject({
      callbackId: 'cb-9',
      disposition,
    });
  });

  it.each(['resolved', 'closed'] as const)(
    'a reopen (%s → in-progress) calls off the pending follow-up call and forgets it',
    (from) => {
      const c = complaint(from, { resolvedAt: min(-60), followUp: { callbackId: 'cb-9', dueAt: min(600) } });
      const d = decide(
        c,
        { kind: 'move', to: 'in-progress', version: 3, by: 'a' },
        NOW,
        DEFAULT_COMPLAINT_POLICY,
        ids,
      );
      expect(d.ok && d.effects.filter((e) => e.kind === 'cancel-follow-up')).toEqual([
        { kind: 'cancel-follow-up', callbackId: 'cb-9', at: NOW.toISOString() },
      ]);
      expect(d.ok && d.next.followUp).toBeUndefined();
      // The resolution it withdrew, for SLA compliance (analytics/facts.ts).
      expect(d.ok && d.next).toMatchObject({ reopenCount: 1, reopenedFrom: min(-60) });
      expect(d.ok && d.next.resolvedAt).toBeUndefined();
    },
  );

  it('keeps a follow-up that has its outcome on record when the complaint is reopened', () => {
    const done = { callbackId: 'cb-9', dueAt: min(-30), score: 5, accepted: true, at: min(-20) };
    const c = complaint('closed', { resolvedAt: min(-60), followUp: done });
    const d = decide(
      c,
      { kind: 'move', to: 'in-progress', version: 3, by: 'a' },
      NOW,
      DEFAULT_COMPLAINT_POLICY,
      ids,
    );
    expect(d.ok && kinds(d.effects)).toEqual(['history', 'count-open']);
    expect(d.ok && d.next.followUp).toEqual(done);
  });

  it('books the follow-up call a day later, in the follow-up campaign’s window', () => {
    const friday = new Date('2026-11-27T11:30:00Z'); // Friday 19:30 in Shanghai
    const d = decide(
      complaint('in-progress'),
      { kind: 'move', to: 'resolved', version: 3, by: 'a' },
      friday,
      DEFAULT_COMPLAINT_POLICY,
      ids,
    );
    // Saturday 19:30 is inside Monday–Saturday 09:00–20:00.
    expect(d.ok && d.effects.find((e) => e.kind === 'book-follow-up')).toEqual({
      kind: 'book-follow-up',
      callbackId: 'cb-follow-up',
      dueAt: '2026-11-28T11:30:00.000Z',
    });
  });

  it.each([
    // minutes after creation → level and history entries
    [10, undefined, 0],
    [23, 1, 1],
    [31, 2, 2],
    [721, 3, 3],
  ] as const)('escalates %d minutes in to level %s', (minutes, level, entries) => {
    const r = escalate(complaint('open'), new Date(Date.parse(min(minutes))));
    expect(r?.next.escalationLevel).toBe(level);
    expect(r?.effects.length ?? 0).toBe(entries);
  });

  it.each([
    // published before the failure → level put back to
    [0, 0],
    [1, 1],
  ] as const)('puts a failed escalation back to the last level published (%d → L%d)', (published, level) => {
    const read = complaint('open', { escalationLevel: 0 });
    const d = deferEscalation(read, published, NOW);
    expect(d.next.escalationLevel).toBe(level);
    expect(d.next.escalatedAt).toBe(published > 0 ? NOW.toISOString() : undefined);
    expect(d.effects).toMatchObject([{ kind: 'history', entry: { action: 'escalation-deferred' } }]);
  });
});

const detection = (severity: Detection['severity'], delayed = true): Detection =>
  delayed
    ? { delayed, severity, minutesLate: 300, trigger: 'eta-beyond-promise' }
    : { delayed, minutesLate: 0, trigger: 'none' };
const delay = (state: Delay['state'], announced: Delay['announcedSeverity']): Delay => ({
  state,
  severity: announced ?? 'minor',
  trigger: 'exception',
  minutesLate: 60,
  detectedAt: min(-60),
  ...(announced ? { announcedSeverity: announced } : {}),
});

describe('delay lifecycle', () => {
  it.each([
    // before                             detection       → state        announce
    [undefined, detection('minor'), 'detected', 'minor'],
    [delay('notified', 'minor'), detection('minor'), 'notified', undefined],
    [delay('notified', 'minor'), detection('major'), 'detected', 'major'],
    [delay('acknowledged', 'major'), detection('minor'), 'acknowledged', undefined],
    [delay('cleared', 'major'), detection('minor'), 'detected', 'minor'],
    [delay('notified', 'major'), detection(undefined, false), 'cleared', undefined],
    [undefined, detection(undefined, false), undefined, undefined],
  ] as const)('%j + %j → %s, announcing %s', (before, d, state, announce) => {
    const r = applyDetection(before, d, NOW);
    expect(r.delay?.state).toBe(state);
    expect(r.announce).toBe(announce);
  });

  it.each([
    ['detected', 'acknowledge', 'acknowledged'],
    ['notified', 'clear', 'cleared'],
    ['cleared', 'acknowledge', undefined],
  ] as const)('a %s delay asked to %s becomes %s', (state, action, to) => {
    const d = delayAction(
      // Delivered: a cleared delay stays cleared (nothing is late now).
      { waybill: '7100000001', status: 'delivered', delay: delay(state, 'major') } as Shipment,
      { action },
      NOW,
    );
    if (to) expect(d.ok && d.next.state).toBe(to);
    else expect(d.ok ? undefined : d.error).toMatchObject({ problem: 'illegal-transition' });
  });

  it('records the remedy the industry’s playbook offers, and refuses one it does not', () => {
    const s = { waybill: '7100000001', segment: 'pharma', delay: delay('notified', 'major') } as Shipment;
    const ok = delayAction(
      s,
      { action: 'remedy', remedy: 'temperature-check', note: '查温度记录', by: '李晓雯' },
      NOW,
    );
    expect(ok.ok && ok.next).toMatchObject({
      state: 'acknowledged',
      remedy: { code: 'temperature-check', note: '查温度记录', by: '李晓雯', at: NOW.toISOString() },
    });
    const wrong = delayAction(s, { action: 'remedy', remedy: 'hazmat-response', by: 'x' }, NOW);
    expect(wrong.ok ? undefined : wrong.error).toMatchObject({ problem: 'invalid' });
  });

  it('acts on a shipment late now whose delay no scan recorded yet, leaving its announcement to come', () => {
    const late = {
      waybill: '7100000001',
      accountId: 'acc-x',
      origin: 'A',
      destination: 'B',
      consignee: { name: 'C' },
      segment: 'fmcg',
      tier: 'key',
      promisedAt: min(-600),
      eta: min(600),
      status: 'in-transit',
      milestones: [],
      version: 1,
      updatedAt: min(-60),
    } as Shipment;
    const first = delayAction(late, { action: 'remedy', remedy: 'expedite', by: 'a' }, NOW);
    if (!first.ok) throw first.error;
    expect(first.next).toMatchObject({
      state: 'acknowledged',
      severity: 'major',
      remedy: { code: 'expedite' },
    });
    expect(first.next.announcedSeverity).toBeUndefined();
    // A second remedy keeps the first.
    const second = delayAction(
      { ...late, delay: first.next },
      { action: 'remedy', remedy: 'stock-transfer', by: 'b' },
      NOW,
    );
    expect(second.ok && second.next).toMatchObject({
      remedy: { code: 'stock-transfer', by: 'b' },
      earlierRemedies: [{ code: 'expedite', by: 'a' }],
    });
  });

  it('keeps the remedy through a worse detection, and flags the stock-out risk', () => {
    const withRemedy: Delay = {
      ...delay('acknowledged', 'major'),
      remedy: { code: 'expedite', by: 'x', at: min(-5) },
    };
    const r = applyDetection(withRemedy, { ...detection('critical'), stockOutRisk: true }, NOW);
    expect(r.delay).toMatchObject({ severity: 'critical', stockOutRisk: true, remedy: { code: 'expedite' } });
  });
});

describe('exception playbooks and the order service priority', () => {
  const line = (importance: 1 | 2 | 3) => ({
    id: 'l',
    name: 'L',
    profitGrade: 3,
    importance,
    score: 3 * importance,
    rank: 1,
  });
  it.each([
    // segment, line importance, cold chain, exception, severity by minutes → severity
    ['fmcg', 1, false, undefined, 'minor', 'major'],
    ['fmcg', 1, false, undefined, 'critical', 'critical'],
    ['fmcg', 3, false, undefined, 'major', 'minor'],
    ['fmcg', 2, false, undefined, 'major', 'major'],
    ['pharma', 3, true, undefined, 'minor', 'major'],
    ['chemicals', undefined, false, 'accident', 'minor', 'critical'],
    ['electrical', undefined, false, 'accident', 'minor', 'minor'],
  ] as const)(
    '%s, importance %s, cold chain %s, %s: %s → %s',
    (segment, importance, cold, reason, base, expected) => {
      const s = {
        segment,
        ...(importance ? { serviceLine: line(importance) } : {}),
        ...(cold ? { temperatureRange: '2–8 °C' } : {}),
      };
      expect(playbookSeverity(s, base, reason)).toBe(expected);
    },
  );

  it.each([
    [{ segment: 'electrical', serviceLine: line(1) }, 'minor', true],
    [{ segment: 'fmcg' }, 'critical', true],
    [{ segment: 'fmcg' }, 'major', false],
    [{ segment: 'chemicals', serviceLine: line(2) }, 'critical', false],
  ] as const)('stock-out risk of %j at %s: %s', (s, severity, risk) => {
    expect(stockOutRiskOf(s, severity)).toBe(risk);
  });

  it.each([
    [{ severity: 'critical', tier: 'key', stockOutRisk: false }, true],
    [{ severity: 'critical', tier: 'loyal', stockOutRisk: true }, true],
    [{ severity: 'critical', tier: 'loyal', stockOutRisk: false }, false],
    [{ severity: 'major', tier: 'key', stockOutRisk: true }, false],
  ] as const)('a proactive call for %j: %s', (e, wanted) => {
    expect(wantsProactiveCall(e)).toBe(wanted);
  });
});

describe('a tracking scan', () => {
  const shipment: Shipment = {
    waybill: '7100000001',
    accountId: 'acc-x',
    origin: 'A',
    destination: 'B',
    consignee: { name: 'C' },
    promisedAt: min(600),
    eta: min(500),
    status: 'in-transit',
    milestones: [],
    tier: 'key',
    lastEventAt: min(-60),
    delay: delay('notified', 'major'),
    version: 4,
    updatedAt: min(-60),
  };
  const scan = (milestone: 'departed' | 'delivered', at: string) => ({
    eventId: 'e',
    waybill: '7100000001',
    accountId: 'acc-x',
    milestone,
    location: 'X',
    at,
  });

  it('older than the newest applied is stale: the state is not touched', () => {
    expect(applyScan(shipment, scan('departed', min(-120)), NOW)).toEqual({ kind: 'stale' });
  });

  it('moves the version on and the next milestone due 12 hours after the scan', () => {
    const d = applyScan(shipment, scan('departed', min(0)), NOW);
    expect(d.kind === 'applied' && d.next).toMatchObject({
      version: 5,
      nextMilestoneDueAt: min(720),
      lastEventAt: min(0),
    });
  });

  it('delivered: records the delivery, clears the delay, and no milestone is due any more', () => {
    const d = applyScan(shipment, scan('delivered', min(0)), NOW);
    expect(d.kind === 'applied' && d.next.status).toBe('delivered');
    expect(d.kind === 'applied' && d.next.delay?.state).toBe('cleared');
    expect(d.kind === 'applied' && d.next.nextMilestoneDueAt).toBeUndefined();
    expect(d.kind === 'applied' && d.next.delivery).toEqual({
      deliveredAt: min(0),
      complete: true,
      undamaged: true,
      rightDestination: true,
      paperworkComplete: true,
      errorFree: true,
    });
  });

  it('delivered: records how the goods arrived, each part of the perfect order', () => {
    const d = applyScan(
      shipment,
      {
        ...scan('delivered', min(0)),
        delivery: { complete: false, paperworkComplete: false, podReference: 'EPOD-77' },
      },
      NOW,
    );
    expect(d.kind === 'applied' && d.next.delivery).toEqual({
      deliveredAt: min(0),
      complete: false,
      undamaged: true,
      rightDestination: true,
      paperworkComplete: false,
      errorFree: false,
      podReference: 'EPOD-77',
    });
  });

  it('delivered: a damage exception on the way counts as damaged unless the delivery says whole', () => {
    const damaged = {
      ...shipment,
      milestones: [
        ...shipment.milestones,
        { milestone: 'exception' as const, at: min(-90), location: 'G4', reason: 'damage' as const },
      ],
    };
    const d = applyScan(damaged, scan('delivered', min(0)), NOW);
    expect(d.kind === 'applied' && d.next.delivery).toMatchObject({ undamaged: false, errorFree: false });
    const whole = applyScan(damaged, { ...scan('delivered', min(0)), delivery: { undamaged: true } }, NOW);
    expect(whole.kind === 'applied' && whole.next.delivery).toMatchObject({
      undamaged: true,
      errorFree: true,
    });
  });
});
