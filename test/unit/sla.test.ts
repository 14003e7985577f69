import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { escalationMarks } from '#shared/complaints/lifecycle.ts';
import {
  addClockMinutes,
  addWorkingDays,
  clockMinutesBetween,
  clockState,
  DEFAULT_SLA_POLICY,
  defaultClock,
  slaDeadlines,
} from '#shared/complaints/sla.ts';
import { calendarGaps, chinaCalendarCovers, isWorkingDay } from '#shared/platform/calendar.ts';

const SH = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

describe('SLA table', () => {
  it.each([
    ['key', 'critical', 30, 8 * 60],
    ['key', 'low', 8 * 60, 3 * 24 * 60],
    ['low-potential', 'low', 2 * 24 * 60, 10 * 24 * 60],
    ['high-growth', 'high', 120, 2 * 24 * 60],
  ] as const)('%s × %s: acknowledge in %d min, resolve in %d min', (tier, severity, ack, resolve) => {
    expect(DEFAULT_SLA_POLICY.table[tier][severity]).toEqual({ ackMinutes: ack, resolveMinutes: resolve });
  });

  it('puts key accounts on a 24×7 clock and the others on business hours', () => {
    expect(defaultClock('key')).toBe('24x7');
    expect(defaultClock('loyal')).toBe('business');
  });

  it('gives a key-account critical complaint 30 minutes to acknowledge and 8 hours to resolve, around the clock', () => {
    const d = slaDeadlines('key', 'critical', at('2026-11-21T15:00:00Z'), '24x7', SH); // Saturday 23:00 Shanghai
    expect(d).toEqual({
      clock: '24x7',
      ackAtRiskAt: '2026-11-21T15:22:30.000Z',
      ackDueAt: '2026-11-21T15:30:00.000Z',
      resolveAtRiskAt: '2026-11-21T21:00:00.000Z',
      resolveDueAt: '2026-11-21T23:00:00.000Z',
      // Breached for half its 8 h window again: 4 h after the deadline, around the clock.
      resolveL3At: '2026-11-22T03:00:00.000Z',
    });
  });

  it('shortens every clock by the policy’s time scale (demos and drills)', () => {
    const d = slaDeadlines('key', 'critical', at('2026-11-23T02:00:00Z'), '24x7', SH, {
      ...DEFAULT_SLA_POLICY,
      timeScale: 1 / 60,
    });
    expect(d.ackDueAt).toBe('2026-11-23T02:00:30.000Z');
  });
});

describe('business-hours clock (09:00–18:00, Monday–Friday, local time)', () => {
  it.each([
    // start (UTC)                minutes  expected due (UTC)           case
    ['2026-11-23T02:00:00Z', 60, '2026-11-23T03:00:00.000Z', 'Monday 10:00 Shanghai, inside hours'],
    [
      '2026-11-23T09:30:00Z',
      60,
      '2026-11-24T01:30:00.000Z',
      'Monday 17:30: 30 min today, 30 min Tuesday from 09:00',
    ],
    ['2026-11-23T14:00:00Z', 60, '2026-11-24T02:00:00.000Z', 'Monday 22:00, night: starts Tuesday 09:00'],
    ['2026-11-23T18:00:00Z', 30, '2026-11-24T01:30:00.000Z', 'Tuesday 02:00 before opening'],
    ['2026-11-27T09:00:00Z', 120, '2026-11-30T02:00:00.000Z', 'Friday 17:00: 1 h Friday, 1 h Monday'],
    ['2026-11-28T04:00:00Z', 10, '2026-11-30T01:10:00.000Z', 'Saturday noon: waits for Monday'],
    [
      '2026-11-23T09:59:00Z',
      1,
      '2026-11-23T10:00:00.000Z',
      'Monday 17:59: the last minute ends exactly at closing',
    ],
    [
      '2026-11-23T10:00:00Z',
      1,
      '2026-11-24T01:01:00.000Z',
      'Monday 18:00 sharp: closed, first minute of Tuesday',
    ],
  ])('from %s, %d business minutes → %s (%s)', (start, minutes, due) => {
    expect(addClockMinutes(at(start), minutes, 'business', SH).toISOString()).toBe(due);
  });

  it('counts 2,880 business minutes as 5 full days and 180 minutes', () => {
    // Monday 09:00 Shanghai + 48 h of business time: 5 × 9 h = 45 h → next Monday 12:00.
    expect(addClockMinutes(at('2026-11-23T01:00:00Z'), 48 * 60, 'business', SH).toISOString()).toBe(
      '2026-11-30T04:00:00.000Z',
    );
  });

  it('follows the account’s own time zone', () => {
    // 17:30 UTC Monday is 17:30 in London (30 min left today) but 01:30 Tuesday in Shanghai.
    expect(addClockMinutes(at('2026-11-23T17:30:00Z'), 60, 'business', 'Europe/London').toISOString()).toBe(
      '2026-11-24T09:30:00.000Z',
    );
    expect(addClockMinutes(at('2026-11-23T17:30:00Z'), 60, 'business', SH).toISOString()).toBe(
      '2026-11-24T02:00:00.000Z',
    );
  });

  it('handles a daylight-saving change (Zurich, last Sunday of March)', () => {
    // Friday 2026-03-27 17:30 CET; 60 min → 30 min Friday, 30 min Monday 09:00 CEST (UTC+2).
    expect(addClockMinutes(at('2026-03-27T16:30:00Z'), 60, 'business', 'Europe/Zurich').toISOString()).toBe(
      '2026-03-30T07:30:00.000Z',
    );
  });
});

describe('clock state', () => {
  it.each([
    ['2026-11-23T02:00:00Z', 'on-track'],
    ['2026-11-23T02:45:00Z', 'at-risk'],
    ['2026-11-23T03:00:00Z', 'at-risk'],
    ['2026-11-23T03:00:01Z', 'breached'],
  ] as const)('at %s is %s', (now, state) => {
    expect(clockState('2026-11-23T02:45:00Z', '2026-11-23T03:00:00Z', at(now))).toBe(state);
  });
});

describe('business days on the business clock (working days, China’s holidays and adjusted days)', () => {
  const SHANGHAI = 'Asia/Shanghai';
  it('makes "10 days" ten working days: Friday 10:00 → the Friday two weeks later, 10:00', () => {
    const d = slaDeadlines('low-potential', 'low', new Date('2026-11-20T02:00:00Z'), 'business', SHANGHAI);
    expect(d.resolveDueAt).toBe('2026-12-04T02:00:00.000Z');
    // At risk after 75 % of ten 9-hour working days: 4,050 business minutes → Tuesday 14:30.
    expect(d.resolveAtRiskAt).toBe('2026-12-01T06:30:00.000Z');
    expect(d.ackDueAt).toBe('2026-11-24T02:00:00.000Z');
  });

  it('skips the National Day holiday and works its adjusted Saturday', () => {
    // Wednesday 30 September 2026, 10:00: 1–7 October off, Saturday 10 October worked.
    const d = slaDeadlines('loyal', 'low', new Date('2026-09-30T02:00:00Z'), 'business', SHANGHAI);
    expect(d.ackDueAt).toBe('2026-10-09T02:00:00.000Z');
    expect(d.resolveDueAt).toBe('2026-10-15T02:00:00.000Z');
    // Business minutes skip it too: 17:00 + 2 h → 8 October 10:00.
    expect(addClockMinutes(new Date('2026-09-30T09:00:00Z'), 120, 'business', SHANGHAI).toISOString()).toBe(
      '2026-10-08T02:00:00.000Z',
    );
  });

  it('takes other places’ holidays from configuration, and falls back to Monday–Friday for a year without China data', () => {
    const policy = { ...DEFAULT_SLA_POLICY, calendar: { holidays: { 'Europe/Zurich': ['2026-12-25'] } } };
    // Thursday 24 December 10:00 Zurich + 1 working day: Christmas is off → Monday 28th.
    expect(addWorkingDays(new Date('2026-12-24T09:00:00Z'), 1, 'Europe/Zurich', policy).toISOString()).toBe(
      '2026-12-28T09:00:00.000Z',
    );
    expect(chinaCalendarCovers(2026)).toBe(true);
    expect(chinaCalendarCovers(2027)).toBe(false);
    expect(isWorkingDay('2027-02-08', 1, SHANGHAI)).toBe(true);
    expect(isWorkingDay('2027-02-06', 6, SHANGHAI)).toBe(false);
  });
});

describe('L3 (breached for half its window again) on the complaint’s own clock', () => {
  const opened = new Date('2026-09-30T02:00:00Z'); // Wednesday 10:00, the eve of National Day

  it('L3 on the business clock falls in business hours on a working day', () => {
    const d = slaDeadlines('loyal', 'low', opened, 'business', SH);
    const l3 = escalationMarks({ createdAt: opened.toISOString(), acknowledgedAt: d.ackDueAt, ...d }).find(
      (m) => m.level === 3,
    );
    const t = DateTime.fromISO(String(l3?.at), { zone: SH });
    expect(isWorkingDay(t.toISODate() ?? '', t.weekday, SH)).toBe(true);
    expect(t.hour * 60 + t.minute).toBeLessThanOrEqual(18 * 60);
    // Due Thursday 15 Oct 10:00; half of seven 9-hour working days (31.5 business hours) later:
    // Thursday 8 h, Friday 9 h, Monday 9 h, Tuesday 20 Oct 09:00 + 5.5 h (not 22:00 on the 22nd).
    expect(l3?.at).toBe('2026-10-20T06:30:00.000Z');
    expect(d.resolveL3At).toBe(l3?.at);
  });

  it('works the same for a complaint stored before its L3 mark was: from its clock and its contact’s zone', () => {
    const { resolveL3At, ...stored } = slaDeadlines('loyal', 'low', opened, 'business', SH);
    const legacy = { createdAt: opened.toISOString(), ...stored, contactTimeZone: SH };
    expect(escalationMarks(legacy).find((m) => m.level === 3)?.at).toBe(resolveL3At);
    // Business minutes of a window: the inverse of adding them.
    const due = new Date(stored.resolveDueAt);
    expect(clockMinutesBetween(opened, due, 'business', SH)).toBe(7 * 9 * 60);
    expect(clockMinutesBetween(opened, due, '24x7', SH)).toBe(15 * 24 * 60);
  });

  it('counts business minutes under a shortened clock too (demos)', () => {
    const policy = { ...DEFAULT_SLA_POLICY, timeScale: 1 / 60 };
    // low-potential × low: 10 × 24 h scaled → 240 business minutes; L3 120 business minutes later.
    const d = slaDeadlines('low-potential', 'low', new Date('2026-11-23T09:00:00Z'), 'business', SH, policy);
    expect(d.resolveDueAt).toBe('2026-11-24T04:00:00.000Z'); // Monday 17:00 + 240 → Tuesday 12:00
    expect(d.resolveL3At).toBe('2026-11-24T06:00:00.000Z');
  });
});

describe('the SLA calendar from the environment', () => {
  it('reads holidays and extra working days per time zone, and refuses text that is not JSON', async () => {
    const { complaintPolicyFromEnv } = await import('#shared/complaints/config.ts');
    const p = complaintPolicyFromEnv({ SLA_CALENDAR: '{"holidays":{"Europe/Zurich":["2026-12-25","bad"]}}' });
    expect(p.sla.calendar).toEqual({ holidays: { 'Europe/Zurich': ['2026-12-25'] }, workdays: {} });
    expect(() => complaintPolicyFromEnv({ SLA_CALENDAR: '{nope' })).toThrow('SLA_CALENDAR must be JSON');
  });
});

describe('years the China calendar does not know yet', () => {
  it('names each year within 60 days that neither chinese-days nor the configured calendar covers', () => {
    expect(calendarGaps(new Date('2025-06-01T00:00:00Z'))).toEqual([]);
    // Far enough ahead that no release of chinese-days can know it.
    expect(calendarGaps(new Date('2099-12-01T00:00:00Z'))).toEqual([2099, 2100]);
    expect(calendarGaps(new Date('2099-06-01T00:00:00Z'))).toEqual([2099]);
    // An operator's holidays for a China zone cover that year; another country's do not.
    const config = { holidays: { 'Asia/Shanghai': ['2099-12-31'], 'Europe/Zurich': ['2100-01-01'] } };
    expect(calendarGaps(new Date('2099-12-01T00:00:00Z'), config)).toEqual([2100]);
    // And the configured days are the ones the clock then counts.
    expect(isWorkingDay('2099-12-31', 4, 'Asia/Shanghai', config)).toBe(false);
    expect(isWorkingDay('2099-12-30', 3, 'Asia/Shanghai', config)).toBe(true);
  });
});
