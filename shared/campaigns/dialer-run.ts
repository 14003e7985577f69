/** The dialer's configuration, its ports, and what a run reports (dialer.ts runs it). */
import type { CallStanding } from '../accounts/repo.ts';
import type { Dialer } from './connect-dialer.ts';
import type { Callback } from './model.ts';
import type { Campaigns } from './service.ts';

export interface DialerConfig {
  /** StartOutboundVoiceContact quota: calls a second, and the burst it allows. */
  quotaPerSecond: number;
  burst: number;
  /** How long one run may dial (a scheduled run every minute uses most of it). */
  maxRunMs: number;
  leaseSeconds?: number;
  /** Due callbacks read per running campaign at a time. */
  batch?: number;
  /** Share of the quota to pace at (default 0.98). */
  paceFactor?: number;
  /**
   * The most callbacks worked on at once. The run sizes its concurrency from the quota and the
   * latency it observes (claims, reads and writes overlap the pacing), up to this bound.
   */
  maxConcurrency?: number;
  /** Hold the one-run-at-a-time lease (default true). Off only to prove claims safe without it. */
  exclusive?: boolean;
  /** Unexpected Connect errors in a row after which the run stops (default 5). */
  maxConsecutiveErrors?: number;
  /** Tries at recording a placed call before it is left to its claim's expiry (default 4). */
  recordAttempts?: number;
  runId?: string;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface DialerDeps {
  campaigns: Campaigns;
  /** The registry, read at the moment of each call for consent, do-not-call and the account's status. */
  accounts: { callStanding(accountId: string, contactId: string | undefined): Promise<CallStanding> };
  dialer: Dialer;
  /**
   * A callback given up after too many tries that went nowhere: `claims` when runs kept dying
   * holding it, else the Connect error it kept failing with. Ended `failed` already; this tells the
   * operator (a metric, an alarm).
   */
  onDeadLetter?: (c: Callback, reason: string) => void;
  /**
   * A call Connect placed whose record could not be written (DynamoDB failing after the dial): its
   * day's dial stays spent, and its claim is left to expire; this tells the operator.
   */
  onUnrecorded?: (c: Callback, contactId: string, err: unknown) => void;
}

export interface DialerRun {
  runId: string;
  /** Another run held the lease: this one did nothing. */
  notExclusive: boolean;
  claimed: number;
  dialed: number;
  released: number;
  throttled: number;
  outsideWindow: number;
  capped: number;
  skipped: number;
  expired: number;
  failed: number;
  /** Of those failed: given up after too many tries that went nowhere (callback.ts MAX_CLAIMS). */
  deadLettered: number;
  /** Calls placed (counted in `dialed`) whose record could not be written: left to their claim's expiry. */
  unrecorded: number;
  errors: number;
  reconciled: number;
  /** Callbacks ended because their campaign was cancelled (the sweep, and claimed ones at the call). */
  cancelled: number;
  /** Claimed callbacks whose campaign was paused or cancelled by the moment of their call. */
  held: number;
  stoppedByQuota: boolean;
  stoppedByErrors: boolean;
  /** The concurrency the run settled on. */
  concurrency: number;
}

/** A run's report before it has done anything. */
export function newRun(runId: string): DialerRun {
  return {
    runId,
    notExclusive: false,
    claimed: 0,
    dialed: 0,
    released: 0,
    throttled: 0,
    outsideWindow: 0,
    capped: 0,
    skipped: 0,
    expired: 0,
    failed: 0,
    deadLettered: 0,
    unrecorded: 0,
    errors: 0,
    reconciled: 0,
    cancelled: 0,
    held: 0,
    stoppedByQuota: false,
    stoppedByErrors: false,
    concurrency: 0,
  };
}
