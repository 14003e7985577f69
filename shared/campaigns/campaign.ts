/** The campaign lifecycle and figures, pure. */
import { accept, type Decision, IllegalTransition, reject } from '../platform/errors.ts';
import type { Campaign, CampaignCounts, CampaignStatus, Exclusion } from './model.ts';

export const EMPTY_COUNTS: CampaignCounts = {
  targets: 0,
  excluded: {},
  dialed: 0,
  reached: 0,
  completed: 0,
  failed: 0,
  expired: 0,
  cancelled: 0,
  skipped: 0,
  skippedBy: {},
  active: 0,
};

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

const CONTROL: Record<CampaignAction, Partial<Record<CampaignStatus, CampaignStatus>>> = {
  start: { draft: 'running' },
  pause: { running: 'paused' },
  resume: { paused: 'running' },
  cancel: { draft: 'cancelled', running: 'cancelled', paused: 'cancelled' },
};

/** Start, pause, resume or cancel: the next status, or why not. */
export function control(c: Pick<Campaign, 'status'>, action: CampaignAction): Decision<CampaignStatus> {
  const to = CONTROL[action][c.status];
  return to ? accept(to) : reject(new IllegalTransition(`Cannot ${action} a campaign that is ${c.status}`));
}

/** Targets that have ended one way or another. */
export const ended = (k: CampaignCounts) =>
  k.completed + k.failed + k.expired + k.cancelled + (k.skipped ?? 0);

/** Every target has ended one way or another. */
export function isDone(k: CampaignCounts): boolean {
  return k.targets > 0 && ended(k) >= k.targets;
}

export function countReasons(excluded: Exclusion[]): CampaignCounts['excluded'] {
  const out: CampaignCounts['excluded'] = {};
  for (const e of excluded) out[e.reason] = (out[e.reason] ?? 0) + 1;
  return out;
}

/** A campaign with its progress figures, as the API and the desktop show it. */
export function campaignView(c: Campaign) {
  const k = c.counts;
  return {
    ...c,
    reachRate: k.dialed > 0 ? Math.round((k.reached / k.dialed) * 1000) / 1000 : null,
    remaining: Math.max(0, k.targets - ended(k)),
  };
}
