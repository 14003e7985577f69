/**
 * Follow-up calls (回访) on a schedule (seed 003's "重点客户回访制度"; DESIGN §1): key accounts
 * monthly, the others quarterly, through the standing "account follow-up" campaign, one per
 * account per period whatever runs the scheduler; each call's outcome and satisfaction score
 * make the account's trend.
 */
import { type Account, type AccountWithContacts, callZone } from '../accounts/model.ts';
import type { Tier } from '../accounts/prioritization.ts';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { TransactionCancelled } from '../platform/dynamo/transact.ts';
import { inBoth } from '../platform/messages/index.ts';
import { pool } from '../platform/pool.ts';
import type { Campaigns } from './service.ts';

/** Days between follow-up calls, by tier: key accounts monthly, the others quarterly. */
export const FOLLOW_UP_DAYS: Record<Tier, number> = {
  key: 30,
  'high-growth': 91,
  loyal: 91,
  'low-potential': 91,
};

/** The period `now` falls in for an interval of `days` (counted from 1970-01-01 UTC). */
export const followUpPeriod = (now: Date, days: number) => Math.floor(now.getTime() / (days * 86_400_000));

/**
 * Whom to call: an active account's first contact who may be called (consent, not do-not-call,
 * a number), on their mobile if they have one. The rule of the moment of the call is checked
 * again by the dialer.
 */
export function followUpTarget(a: AccountWithContacts) {
  if (a.status !== 'active') return undefined;
  const contact = a.contacts.find((c) => c.consent.calls && !c.doNotCall && c.phones.length > 0);
  const phone = contact?.phones.find((p) => p.label === 'mobile')?.e164 ?? contact?.phones[0]?.e164;
  return contact && phone ? { contact, phone } : undefined;
}

export interface FollowUpRun {
  accounts: number;
  booked: number;
  /** Already booked this period, by this run or an earlier one. */
  already: number;
  /** No contact who may be called, or not an active account. */
  noTarget: number;
}

/**
 * Books the follow-up calls due in the current period: the claim on (account, period) and the
 * callback are one transaction, so overlapping or repeated runs book each once.
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
  const run: FollowUpRun = { accounts: 0, booked: 0, already: 0, noTarget: 0 };
  const book = await deps.accounts.list();
  // A few accounts at a time: two reads each for those not booked yet, a book of thousands in a run.
  await pool(book, 8, async (summary) => {
    run.accounts++;
    const interval = days[summary.derived.tier];
    const key = keys.claim.followUp(summary.id, interval, followUpPeriod(now, interval));
    if (await claims.read(key)) {
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
        claims.guard('follow-up', key, { callbackId: callback.id }, ttlAfter(now, interval + 1)),
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
