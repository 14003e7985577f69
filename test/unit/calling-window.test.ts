import { describe, expect, it } from 'vitest';
import {
  type WeeklyWindow as CallingWindow,
  inWindow,
  localDate,
  nextInWindow,
  timeZoneForPhone,
} from '#shared/platform/time.ts';

const weekdays: CallingWindow = {
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '18:00',
  holidays: ['2026-10-01'],
};
const evening: CallingWindow = { days: [1, 2, 3, 4, 5], start: '20:00', end: '02:00' };

describe('calling window evaluation', () => {
  it.each([
    // instant (UTC)            zone                window    inside? case
    ['2026-11-23T01:00:00Z', 'Asia/Shanghai', weekdays, true, 'Monday 09:00 Shanghai, the opening minute'],
    ['2026-11-23T00:59:00Z', 'Asia/Shanghai', weekdays, false, 'Monday 08:59 Shanghai'],
    [
      '2026-11-23T10:00:00Z',
      'Asia/Shanghai',
      weekdays,
      false,
      'Monday 18:00 Shanghai, the closing minute is out',
    ],
    ['2026-11-23T10:00:00Z', 'Europe/London', weekdays, true, 'the same instant is 10:00 in London'],
    ['2026-11-28T02:00:00Z', 'Asia/Shanghai', weekdays, false, 'Saturday'],
    ['2026-10-01T03:00:00Z', 'Asia/Shanghai', weekdays, false, 'National Day holiday'],
    [
      '2026-11-23T13:00:00Z',
      'Asia/Shanghai',
      evening,
      true,
      'Monday 21:00, evening part of a midnight-spanning window',
    ],
    ['2026-11-24T17:30:00Z', 'Asia/Shanghai', evening, true, 'Wednesday 01:30 belongs to Tuesday’s window'],
    [
      '2026-11-22T17:30:00Z',
      'Asia/Shanghai',
      evening,
      false,
      'Monday 01:30 belongs to Sunday, which has no window',
    ],
    ['2026-11-24T18:30:00Z', 'Asia/Shanghai', evening, false, 'Wednesday 02:30, after the window'],
    [
      '2026-03-29T07:30:00Z',
      'Europe/Zurich',
      { days: [7], start: '09:00', end: '10:00' },
      true,
      'Sunday of the DST change: 09:30 CEST',
    ],
    [
      '2026-03-29T08:30:00Z',
      'Europe/Zurich',
      { days: [7], start: '09:00', end: '10:00' },
      false,
      'Sunday of the DST change: 10:30 CEST',
    ],
    ['2026-11-23T14:30:00Z', 'America/New_York', weekdays, true, 'Monday 09:30 in New York (EST)'],
  ] as [string, string, CallingWindow, boolean, string][])('%s in %s → %s (%s)', (iso, tz, w, inside) => {
    expect(inWindow(new Date(iso), tz, w)).toBe(inside);
  });

  it.each([
    [
      '2026-11-23T12:00:00Z',
      'Asia/Shanghai',
      weekdays,
      '2026-11-24T01:00:00.000Z',
      'Monday 20:00 → Tuesday 09:00',
    ],
    [
      '2026-11-27T11:00:00Z',
      'Asia/Shanghai',
      weekdays,
      '2026-11-30T01:00:00.000Z',
      'Friday evening → Monday 09:00',
    ],
    ['2026-09-30T11:00:00Z', 'Asia/Shanghai', weekdays, '2026-10-02T01:00:00.000Z', 'skips the holiday'],
    ['2026-11-23T02:00:00Z', 'Asia/Shanghai', weekdays, '2026-11-23T02:00:00.000Z', 'already inside'],
    [
      '2026-11-23T06:00:00Z',
      'Asia/Shanghai',
      evening,
      '2026-11-23T12:00:00.000Z',
      'Monday 14:00 → Monday 20:00',
    ],
    [
      '2026-03-27T20:00:00Z',
      'Europe/Zurich',
      weekdays,
      '2026-03-30T07:00:00.000Z',
      'across the DST change: 09:00 CEST is 07:00 UTC',
    ],
  ] as [string, string, CallingWindow, string, string][])(
    'next opening after %s in %s is %s (%s)',
    (iso, tz, w, expected) => {
      expect(nextInWindow(new Date(iso), tz, w).toISOString()).toBe(expected);
    },
  );

  it('gives the local date for daily caps', () => {
    expect(localDate(new Date('2026-11-23T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-24');
    expect(localDate(new Date('2026-11-23T17:00:00Z'), 'Europe/London')).toBe('2026-11-23');
  });

  it('derives a time zone from the number when a contact has none', () => {
    expect(timeZoneForPhone('+8613910012001')).toBe('Asia/Shanghai');
    expect(timeZoneForPhone('+85291234567')).toBe('Asia/Hong_Kong');
    expect(timeZoneForPhone('+41446681800')).toBe('Europe/Zurich');
    expect(timeZoneForPhone('+99912345678', 'UTC')).toBe('UTC');
  });

  it('calls a contact in their own zone, else their number’s, else the account’s', async () => {
    const { callZone } = await import('#shared/accounts/model.ts');
    const mobile = (e164: string) => ({ e164, label: 'mobile' as const });
    const office = (e164: string) => ({ e164, label: 'office' as const });
    expect(callZone({ timeZone: 'Europe/Zurich', phones: [mobile('+8613910012001')] }, 'UTC')).toBe(
      'Europe/Zurich',
    );
    // The mobile is the number called, wherever it stands in the list.
    expect(callZone({ phones: [office('+41446681800'), mobile('+85291234567')] }, 'UTC')).toBe(
      'Asia/Hong_Kong',
    );
    expect(callZone({ phones: [mobile('+85291234567')] }, 'UTC', '+41446681800')).toBe('Europe/Zurich');
    expect(callZone({ phones: [] }, 'Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(callZone({ phones: [mobile('+99912345678')] }, 'Asia/Tokyo')).toBe('Asia/Tokyo');
  });
});

describe('pacing: token bucket', () => {
  it('allows the burst at once, then paces to the rate', async () => {
    const { TokenBucket } = await import('#shared/campaigns/pacing.ts');
    const b = new TokenBucket(2, 5, 0);
    const waits = Array.from({ length: 7 }, () => b.take(0));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits[5]).toBe(500);
    expect(waits[6]).toBe(1000);
  });

  it('refills at the rate and never saves more than the burst', async () => {
    const { TokenBucket } = await import('#shared/campaigns/pacing.ts');
    const b = new TokenBucket(2, 5, 0);
    for (let i = 0; i < 5; i++) b.take(0);
    expect(b.take(500)).toBe(0);
    const later = new TokenBucket(2, 5, 0);
    for (let i = 0; i < 5; i++) later.take(0);
    expect(Array.from({ length: 6 }, () => later.take(60_000)).filter((w) => w === 0)).toHaveLength(5);
  });

  it('hands a refunded turn (a call that did not go out) to the next dial, never past the burst', async () => {
    const { TokenBucket } = await import('#shared/campaigns/pacing.ts');
    const b = new TokenBucket(2, 5, 0);
    for (let i = 0; i < 5; i++) b.take(0);
    expect(b.take(0)).toBe(500);
    b.refund();
    expect(b.take(0)).toBe(500);
    const full = new TokenBucket(2, 5, 0);
    full.refund();
    expect(Array.from({ length: 6 }, () => full.take(0)).filter((w) => w === 0)).toHaveLength(5);
  });

  it('paces a long run to the quota: 120 dials take a minute at 2 per second', async () => {
    const { TokenBucket } = await import('#shared/campaigns/pacing.ts');
    const b = new TokenBucket(2, 5, 0);
    let t = 0;
    for (let i = 0; i < 125; i++) t += b.take(t);
    expect(t).toBeGreaterThanOrEqual(59_500);
    expect(t).toBeLessThanOrEqual(60_500);
  });
});
