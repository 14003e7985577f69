/**
 * Follow-up calls (回访) on a schedule (seed 003's "重点客户回访制度"; DESIGN §1): key accounts
 * monthly, the others quarterly, through the standing "account follow-up" campaign, one per
 * account per interval (counted from the last one booked) whatever runs the scheduler; each call's outcome and satisfaction score
 * make the account's trend.
 */
import { type Account, type AccountWithContacts, callNumber, callZone } from '../accounts/model.ts';
import type { Tier } from '../accounts/prioritization.ts';
import { BOOK_ZONE } from '../analytics/weeks.ts';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { type Named, TransactionCancelled } from '../platform/dynamo/transact.ts';
import { inBoth } from '../platform/messages/index.ts';
import { pool } from '../platform/pool.ts';
import { localDate } from '../platform/time.ts';
import type { Campaigns } from './service.ts';

/** Days between follow-up calls, by tier: key accounts monthly, the others quarterly. */
export const FOLLOW_UP_DAYS: Record<Tier, number> = {
  key: 30,
  'high-growth': 91,
  loyal: 91,
  'low-potential': 91,
};

const DAY_MS = 86_400_000;

/**
 * The latest date (YYYY-MM-DD, in the book's time zone) a call booked once every `days` may have
 * been booked on for the next to be due on `now`'s date: booked on 3 December, due again from
 * 2 January for 30 days, whatever the hour of the runs.
 */
export const lastBookedBy = (now: Date, days: number) =>
  localDate(new Date(now.getTime() - days * DAY_MS), BOOK_ZONE);

/** What is booked once every so many days: a scheduled follow-up, a retention call. */
export type BookingKind = 'follow-up' | 'retention';
const bookingKey = (kind: BookingKind, accountId: string) =>
  kind === 'follow-up' ? keys.claim.followUp(accountId) : keys.claim.retention(accountId);

/**
 * Whether a call of this kind was booked for the account less than `days` ago: its one claim
 * remembers the date it was booked on. Where there is none yet, a claim of the fixed periods
 * counted from the epoch that this replaced (until they have expired) says one was booked in the
 * current period.
 */
export async function bookedWithin(
  claims: Claims,
  kind: BookingKind,
  accountId: string,
  now: Date,
  days: number,
): Promise<boolean> {
  const last = await claims.read(bookingKey(kind, accountId));
  if (last) return !(String(last.data.bookedOn) <= lastBookedBy(now, days));
  const period = Math.floor(now.getTime() / (days * DAY_MS));
  const prefix = kind === 'follow-up' ? 'FOLLOWUP' : 'RETENTION';
  return (await claims.read(keys.claim.legacyBooking(prefix, accountId, days, period))) !== undefined;
}

/**
 * The claim of a booking, in the callback's transaction (named `kind`): it replaces the account's
 * last one only if that was booked `days` or more before today, so two runs on either side of any
 * date book once. Kept `keepDays` (the longest interval that may apply) and a day.
 */
export function bookingGuard(
  claims: Claims,
  kind: BookingKind,
  accountId: string,
  o: { callbackId: string; now: Date; days: number; keepDays?: number },
): Named {
  return claims.guard(
    kind,
    bookingKey(kind, accountId),
    { callbackId: o.callbackId, bookedAt: o.now.toISOString(), bookedOn: localDate(o.now, BOOK_ZONE) },
    ttlAfter(o.now, (o.keepDays ?? o.days) + 1),
    { field: 'bookedOn', atMost: lastBookedBy(o.now, o.days) },
  );
}

/**
 * Whom to call: an active account's first contact who may be called (consent, not do-not-call,
 * a number), on their mobile if they have one. The rule of the moment of the call is checked
 * again by the dialer.
 */
export function followUpTarget(a: AccountWithContacts) {
  if (a.status !== 'active') return undefined;
  const contact = a.contacts.find((c) => c.consent.calls && !c.doNotCall && c.phones.length > 0);
  const phone = contact ? callNumber(contact) : undefined;
  return contact && phone ? { contact, phone } : undefined;
}

export interface FollowUpRun {
  accounts: number;
  booked: number;
  /** Booked less than the account's interval ago, by this run or an earlier one. */
  already: number;
  /** No contact who may be called, or not an active account. */
  noTarget: number;
}

/**
 * Books the follow-up calls due: an account's interval after its last one. The claim on the
 * account (conditional on the date of the last one) and the callback are one transaction, so
 * overlapping or repeated runs book each once.
 */
export async function scheduleFollowUps(
  deps: {
    db: DocumentClient;
    tableName: string;
    campaigns: Campaigns;
    accounts: { list(): Promise<Account[]>; get(id: string): Promise<AccountWithContacts | undefined> };
  },
  now = new Date(),
  days: Record<Tier, number> = FOLLOW_UP_DAYS,
): Promise<FollowUpRun> {
  const claims = new Claims(deps.db, deps.tableName);
  const keepDays = Math.max(...Object.values(days));
  const run: FollowUpRun = { accounts: 0, booked: 0, already: 0, noTarget: 0 };
  const book = await deps.accounts.list();
  // A few accounts at a time: two reads each for those not booked yet, a book of thousands in a run.
  await pool(book, 8, async (summary) => {
    run.accounts++;
    const interval = days[summary.derived.tier];
    if (await bookedWithin(claims, 'follow-up', summary.id, now, interval)) {
      run.already++;
      return;
    }
    const account = await deps.accounts.get(summary.id);
    const target = account && followUpTarget(account);
    if (!account || !target) {
      run.noTarget++;
      return;
    }
    const callback = await deps.campaigns.standingTargetCallback(
      'account-follow-up',
      { account, ...target, timeZone: callZone(target.contact, account.timeZone, target.phone) },
      now,
    );
    try {
      await deps.campaigns.callbacks.book(
        { ...callback, notes: inBoth('callback.note.followUp', { days: interval }) },
        // Kept for the longest interval: the account's tier, and so its interval, may change.
        bookingGuard(claims, 'follow-up', summary.id, {
          callbackId: callback.id,
          now,
          days: interval,
          keepDays,
        }),
      );
      run.booked++;
    } catch (err) {
      if (!(err instanceof TransactionCancelled && err.failedOn('follow-up'))) throw err;
      run.already++;
    }
  });
  return run;
}

export const SATISFACTION_TRENDS = ['rising', 'falling', 'steady', 'unknown'] as const;
export type SatisfactionTrend = (typeof SATISFACTION_TRENDS)[number];

/** The trend of an account's follow-up scores: the last three against the three before. */
export function satisfactionTrend(scores: number[]): SatisfactionTrend {
  if (scores.length < 4) return 'unknown';
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const recent = avg(scores.slice(0, 3));
  const before = avg(scores.slice(3, 6));
  if (recent - before >= 0.5) return 'rising';
  if (before - recent >= 0.5) return 'falling';
  return 'steady';
}
