/**
 * Credit investigation (资信调查), one of the key-account routines (seed 004): each account's
 * credit rating and limit, and when they are due for review. Pure.
 */
import * as z from 'zod';
import { BOOK_ZONE } from '../analytics/weeks.ts';
import { localDate } from '../platform/time.ts';

export const CREDIT_RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C'] as const;

export const Credit = z
  .object({
    rating: z.enum(CREDIT_RATINGS),
    limit: z.number().finite().nonnegative().max(1e12).meta({ description: 'Credit limit, CNY' }),
    reviewDue: z.iso.date().meta({ description: 'When the rating and limit are next reviewed (YYYY-MM-DD)' }),
    note: z.string().trim().max(300).optional(),
  })
  .meta({ id: 'Credit' });
export type Credit = z.output<typeof Credit>;

export const CREDIT_STATES = ['ok', 'review-soon', 'review-overdue', 'unrated'] as const;
export type CreditState = (typeof CREDIT_STATES)[number];

/** Days before the review date from which a review counts as coming up. */
export const CREDIT_WARNING_DAYS = 30;

/**
 * Where an account's credit stands on `now`'s date in the book's time zone (Shanghai): unrated,
 * reviewed in time, due soon or overdue.
 */
export function creditState(
  credit: Credit | undefined,
  now: Date,
  warningDays = CREDIT_WARNING_DAYS,
): CreditState {
  if (!credit) return 'unrated';
  const today = localDate(now, BOOK_ZONE);
  if (credit.reviewDue < today) return 'review-overdue';
  const soon = localDate(new Date(now.getTime() + warningDays * 86_400_000), BOOK_ZONE);
  return credit.reviewDue <= soon ? 'review-soon' : 'ok';
}
