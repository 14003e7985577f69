/**
 * What a new campaign is refused for beyond its schema (campaigns/campaign.ts), and a calling
 * window's next opening when there is none (platform/time.ts), as pure functions.
 */
import { describe, expect, it } from 'vitest';
import { creationProblems } from '#shared/campaigns/campaign.ts';
import { WindowSchema } from '#shared/campaigns/model.ts';
import { nextInWindow, nextOpening, WindowNeverOpens } from '#shared/platform/time.ts';

/** Monday 2026-11-23 10:00 in Shanghai. */
const NOW = new Date('2026-11-23T02:00:00Z');
const open = { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '20:00', holidays: [] };
/** Sundays only, each of the next three a holiday. */
const shut = {
  days: [7],
  start: '09:00',
  end: '18:00',
  holidays: ['2026-11-29', '2026-12-06', '2026-12-13'],
};

describe('a calling window that does not open', () => {
  it('has no next opening in the time looked ahead, and nextInWindow says so with its own error', () => {
    expect(nextOpening(NOW, 'Asia/Shanghai', shut)).toBeUndefined();
    expect(() => nextInWindow(NOW, 'Asia/Shanghai', shut)).toThrow(WindowNeverOpens);
  });

  it('opens on the first Sunday that is not a holiday, when that is within the time looked ahead', () => {
    const oneHoliday = { ...shut, holidays: ['2026-11-29'] };
    expect(nextOpening(NOW, 'Asia/Shanghai', oneHoliday)?.toISOString()).toBe('2026-12-06T01:00:00.000Z');
  });
});

describe('a new campaign', () => {
  const input = { window: open };

  it('passes with an open window, a later expiry and someone to call', () => {
    expect(
      creationProblems({ ...input, expiresAt: '2026-12-01T00:00:00+08:00' }, ['Asia/Shanghai'], 0, NOW),
    ).toEqual([]);
  });

  it.each([
    [
      'an expiry already past',
      { ...input, expiresAt: '2026-11-23T09:59:00+08:00' },
      ['Asia/Shanghai'],
      'body.expiresAt',
    ],
    ['a window that never opens', { window: shut }, ['Asia/Shanghai'], 'body.window'],
    ['nobody to call', input, [], 'body.audience'],
  ])('is refused for %s, naming the field in both languages', (_, given, zones, path) => {
    const problems = creationProblems(given, zones, 2, NOW);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.message).toBeTruthy();
    expect(problems[0]?.messageZh).toBeTruthy();
  });

  it('refuses a window ending at its start, naming window.end', () => {
    const r = WindowSchema.safeParse({ start: '09:00', end: '09:00' });
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(['end']);
    expect(WindowSchema.safeParse({ start: '20:00', end: '02:00' }).success).toBe(true);
  });
});
