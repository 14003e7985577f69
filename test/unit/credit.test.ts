import { describe, expect, it } from 'vitest';
import { type Credit, creditState } from '#shared/accounts/credit.ts';

const NOW = new Date('2026-11-27T09:00:00Z');
const credit = (reviewDue: string): Credit => ({ rating: 'A', limit: 1_000_000, reviewDue });

describe('credit investigation: where an account’s credit stands', () => {
  it.each([
    [undefined, 'unrated'],
    [credit('2026-11-26'), 'review-overdue'],
    [credit('2026-11-27'), 'review-soon'],
    [credit('2026-12-27'), 'review-soon'],
    [credit('2026-12-28'), 'ok'],
  ] as const)('%j on 2026-11-27 → %s', (c, state) => {
    expect(creditState(c, NOW)).toBe(state);
  });

  it('counts the warning window as asked', () => {
    expect(creditState(credit('2026-12-20'), NOW, 7)).toBe('ok');
    expect(creditState(credit('2026-12-20'), NOW, 60)).toBe('review-soon');
  });

  it('reads the date in the book’s time zone (Shanghai), not UTC', () => {
    // 07:00 on 2 December in Shanghai, still 1 December in UTC: due on 1 December is overdue.
    const early = new Date('2026-12-01T23:00:00Z');
    expect(creditState(credit('2026-12-01'), early)).toBe('review-overdue');
    expect(creditState(credit('2026-12-02'), early)).toBe('review-soon');
    // The warning window ends on Shanghai's date too: 1 January is 30 days after 2 December.
    expect(creditState(credit('2027-01-01'), early)).toBe('review-soon');
    expect(creditState(credit('2027-01-02'), early)).toBe('ok');
  });
});
