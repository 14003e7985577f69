/**
 * The callback lifecycle's loose ends, settled at the start of every dialer run: placed calls
 * whose outcome never arrived (a lost contact event), and waiting callbacks of cancelled
 * campaigns, which the dialer no longer reads. Nothing is left `dialed` for good, and no
 * campaign's active-call count leaks.
 */
import { inBoth } from '../platform/messages/index.ts';
import { type CallStatus, reconcileOf } from './callback.ts';
import type { Dialer } from './connect-dialer.ts';
import type { Campaigns } from './service.ts';

/**
 * Asks Connect about each placed call whose check is due (DescribeContact) and applies what it
 * says; a call still going is checked again later; one Connect cannot describe is treated as
 * unanswered once old enough, which retries it by its campaign's policy.
 */
export async function reconcileCalls(
  campaigns: Campaigns,
  dialer: Pick<Dialer, 'describe'>,
  now: Date,
  limit = 100,
): Promise<{ checked: number; resolved: number }> {
  const store = campaigns.callbacks;
  const due = await store.checksDue(now, limit);
  let resolved = 0;
  for (const cb of due) {
    const status: CallStatus =
      dialer.describe && cb.connectContactId
        ? await dialer.describe(cb.connectContactId).catch((): CallStatus => ({ kind: 'unknown' }))
        : { kind: 'unknown' };
    const r = reconcileOf(cb, status, now);
    if ('recheckAt' in r) {
      await store.recheck(cb, r.recheckAt);
      continue;
    }
    const note = status.kind === 'unknown' ? inBoth('callback.note.outcomeUnknown') : undefined;
    if (await campaigns.applyOutcome(cb.id, cb.attempts, r.outcome, now, note)) resolved++;
  }
  return { checked: due.length, resolved };
}

/**
 * Ends the waiting callbacks of cancelled campaigns (a bounded number per run); a campaign leaves
 * the sweep once none is left. A callback claimed when its campaign was cancelled is ended once
 * its lease has run out.
 */
export async function sweepCancelled(campaigns: Campaigns, now: Date, perCampaign = 200): Promise<number> {
  const store = campaigns.callbacks;
  let ended = 0;
  for (const id of await campaigns.repo.toSweep(10)) {
    const waiting = await store.waiting(id, perCampaign);
    let left = 0;
    for (const cb of waiting) {
      if (await store.end(cb, 'cancelled', { note: inBoth('callback.note.campaignCancelled'), now })) ended++;
      else left++;
    }
    if (waiting.length < perCampaign && left === 0) await campaigns.repo.swept(id);
  }
  return ended;
}
