/**
 * The moment of the call, pure: what a claimed callback does, given its campaign, the registry
 * and (a proactive delay call) its shipment as they were read just before the dial. Every rule
 * that can stop a call is checked here, at the act, never from what a run read when it started:
 *
 * - a campaign paused since (or otherwise not running) gives the callback back to waiting as it
 *   was, no attempt and no day's dial spent, for the resume; a cancelled one's ends `cancelled`;
 * - who may be called (consent.ts `dialBlocker`) ends it `skipped` with the reason;
 * - a delay call whose shipment was delivered, or whose delay was cleared, is not needed any more:
 *   it ends `skipped` too (`shipment-delivered`, `delay-cleared`), so no one apologises for goods
 *   already received;
 * - otherwise it is dialed, in the contact's zone as the record stands now (a contact who moved).
 */
import { callZone } from '../accounts/model.ts';
import type { CallStanding } from '../accounts/repo.ts';
import type { Delay, Shipment } from '../shipments/model.ts';
import { dialBlocker, type SkipReason } from './consent.ts';
import type { Callback, CampaignStatus } from './model.ts';

/** A delay call's shipment, as much of it as the moment of the call reads. */
export type ShipmentAtCall = Pick<Shipment, 'status'> & { delay?: Pick<Delay, 'state'> };

/** What the moment of the call reads of the call's purpose (campaigns/repo.ts `purposeAt`). */
export interface PurposeAtCall {
  /** Absent when the campaign is gone. */
  campaignStatus?: CampaignStatus;
  /** A delay call's shipment; absent for other calls, or a shipment no longer on file. */
  shipment?: ShipmentAtCall;
}

export type AtCall =
  | { kind: 'hold'; cancelled: boolean }
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'dial'; timeZone: string };

/** Why a delay call is no longer needed, or undefined (a shipment not on file is called about). */
export function lapsedDelayCall(shipment: ShipmentAtCall | undefined): SkipReason | undefined {
  if (shipment?.status === 'delivered') return 'shipment-delivered';
  if (shipment?.delay?.state === 'cleared') return 'delay-cleared';
  return undefined;
}

export function atCall(
  cb: Pick<Callback, 'reason' | 'createdAt' | 'timeZone'>,
  phone: string,
  read: PurposeAtCall & { standing: CallStanding },
): AtCall {
  if (read.campaignStatus !== 'running')
    return { kind: 'hold', cancelled: read.campaignStatus === 'cancelled' };
  const { account, contact } = read.standing;
  const blocker =
    dialBlocker(read.standing, phone, { type: cb.reason, requestedAt: cb.createdAt }) ??
    (cb.reason === 'delay-call' ? lapsedDelayCall(read.shipment) : undefined);
  if (blocker) return { kind: 'skip', reason: blocker };
  return {
    kind: 'dial',
    timeZone: account && contact ? callZone(contact, account.timeZone, phone) : cb.timeZone,
  };
}
