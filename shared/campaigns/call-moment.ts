/**
 * The moment of the call, pure: what a claimed callback does, given its campaign and the registry
 * as they were read just before the dial. Every rule
 * that can stop a call is checked here, at the act, never from what a run read when it started:
 *
 * - a campaign paused since (or otherwise not running) gives the callback back to waiting as it
 *   was, no attempt and no day's dial spent, for the resume; a cancelled one's ends `cancelled`;
 * - who may be called (consent.ts `dialBlocker`) ends it `skipped` with the reason;
 * - otherwise it is dialed, in the contact's zone as the record stands now (a contact who moved).
 */
import { callZone } from '../accounts/model.ts';
import type { CallStanding } from '../accounts/repo.ts';
import { dialBlocker, type SkipReason } from './consent.ts';
import type { Callback, CampaignStatus } from './model.ts';

/** What the moment of the call reads of the call's purpose (campaigns/repo.ts `purposeAt`). */
export interface PurposeAtCall {
  /** Absent when the campaign is gone. */
  campaignStatus?: CampaignStatus;
}

export type AtCall =
  | { kind: 'hold'; cancelled: boolean }
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'dial'; timeZone: string };

export function atCall(
  cb: Pick<Callback, 'reason' | 'createdAt' | 'timeZone'>,
  phone: string,
  read: PurposeAtCall & { standing: CallStanding },
): AtCall {
  if (read.campaignStatus !== 'running')
    return { kind: 'hold', cancelled: read.campaignStatus === 'cancelled' };
  const { account, contact } = read.standing;
  const blocker = dialBlocker(read.standing, phone, { type: cb.reason, requestedAt: cb.createdAt });
  if (blocker) return { kind: 'skip', reason: blocker };
  return {
    kind: 'dial',
    timeZone: account && contact ? callZone(contact, account.timeZone, phone) : cb.timeZone,
  };
}
