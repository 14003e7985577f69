import { randomUUID } from 'node:crypto';
import { ttlAfter } from '../platform/dynamo/claim.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { TransactionCancelled } from '../platform/dynamo/transact.ts';
import { inBoth } from '../platform/messages/index.ts';
import { retry } from '../platform/retry.ts';
import { inWindow, inZone, localDate, nextOpening, WINDOW_HORIZON_DAYS } from '../platform/time.ts';
import { atCall } from './call-moment.ts';
import { afterDialError, onClaim } from './callback.ts';
import { isDone } from './campaign.ts';
import { DialQuotaExceeded, DialRejected, DialThrottled, dialRequest } from './connect-dialer.ts';
import { dailyCapOf } from './daily-cap.ts';
import { type DialerConfig, type DialerDeps, type DialerRun, newRun } from './dialer-run.ts';
import type { Callback, Campaign } from './model.ts';
import { CampaignSlots, TokenBucket } from './pacing.ts';
import { reconcileCalls, sweepCancelled } from './reconcile.ts';
import { isStanding } from './standing.ts';

export type { DialerConfig, DialerDeps, DialerRun } from './dialer-run.ts';

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One dialer run: one at a time (a lease), it first settles calls whose outcome never arrived
 * and ends the callbacks of cancelled campaigns, then works the due callbacks of running
 * campaigns only. Each callback is claimed (so overlapping runs never share one), paced to the
 * Connect quota, and checked again at the moment of the call (call-moment.ts): its campaign still
 * running, consent, do-not-call, the account's status, the calling window, the daily cap.
 * Throttling backs off with jitter; any other Connect error releases that callback, a bounded
 * number of times, and the run goes on.
 */
export async function runDialer(deps: DialerDeps, cfg: DialerConfig): Promise<DialerRun> {
  const { campaigns, dialer } = deps;
  const now = cfg.now ?? (() => new Date());
  const sleep = cfg.sleep ?? realSleep;
  const random = cfg.random ?? Math.random;
  const runId = cfg.runId ?? randomUUID();
  const started = now().getTime();
  const deadline = started + cfg.maxRunMs;
  const run = newRun(runId);

  const exclusive = cfg.exclusive ?? true;
  const lease = keys.claim.dialerRun();
  // The lease, the standing campaigns and the running list in one round trip of time: creating
  // a standing campaign is idempotent, and one that did not exist yet has no callbacks to read.
  const [took, , , listed] = await Promise.all([
    exclusive
      ? campaigns.claims.take(lease, {
          owner: runId,
          now: now(),
          leaseSeconds: Math.ceil(cfg.maxRunMs / 1000) + 60,
          expiresAt: ttlAfter(now(), 1),
        })
      : { taken: true },
    campaigns.ensureStanding('customer-callbacks'),
    campaigns.ensureStanding('complaint-follow-up'),
    campaigns.listCampaigns('running'),
  ]);
  if (!took.taken) return { ...run, notExclusive: true };
  try {
    // Housekeeping (calls left without an outcome, cancelled campaigns' callbacks) runs beside the
    // dialing rather than before it: the first call leaves at once, and a slow DescribeContact
    // holds nothing up. A failure there still fails the run, once the dialing is done.
    let housekeepingError: unknown;
    const housekeeping = (async () => {
      run.reconciled = (await reconcileCalls(campaigns, dialer, now())).resolved;
      run.cancelled += await sweepCancelled(campaigns, now());
    })().catch((err: unknown) => {
      housekeepingError = err;
    });
    const running = new Map<string, Campaign>();
    for (const c of listed) running.set(c.id, c);
    await Promise.all([
      housekeeping,
      dialDue(deps, cfg, { run, running, now, sleep, random, deadline, started }),
    ]);
    if (housekeepingError) throw housekeepingError;
    // Campaigns with nothing left to do are completed.
    for (const c of running.values()) {
      if (isStanding(c.id)) continue;
      const fresh = await campaigns.getCampaign(c.id);
      if (fresh?.status === 'running' && isDone(fresh.counts))
        await campaigns.repo.setStatus(fresh, 'completed', now());
    }
    return run;
  } finally {
    if (exclusive) await campaigns.claims.release(lease, runId);
  }
}

interface RunState {
  run: DialerRun;
  running: Map<string, Campaign>;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  deadline: number;
  started: number;
}

/** Works due callbacks of the running campaigns until the deadline, the quota or the work runs out. */
async function dialDue(deps: DialerDeps, cfg: DialerConfig, s: RunState): Promise<void> {
  const { campaigns, dialer } = deps;
  const store = campaigns.callbacks;
  const { run, running, now, sleep, random, deadline } = s;
  const minutes = Math.max(1, cfg.maxRunMs / 60_000);
  const slots = new CampaignSlots(
    minutes,
    [...running.values()].map((c) => [c.id, c.counts.active ?? 0]),
  );
  // Campaigns read this run: one leaves the list when it reaches its own pace or agent limit,
  // so its due callbacks are not read again and again.
  const readable = new Set(running.keys());
  const rate = cfg.quotaPerSecond * (cfg.paceFactor ?? 0.98);
  // Pace a hair under the quota, with at most half of Connect's burst saved up: a run that fell
  // behind for a moment (a slow write) catches up, and Connect's own burst allowance still absorbs
  // the timing jitter instead of answering TooManyRequests, which would cost a back-off.
  const bucket = new TokenBucket(rate, Math.max(1, Math.floor(cfg.burst / 2)), s.started);
  let backoff = 0;
  let consecutiveErrors = 0;
  // The time one callback takes outside the pacing wait (claim, reads, the dial, the writes):
  // concurrency = rate × that time, with head-room, so I/O never holds back the pace.
  // Starts from a cautious guess (more workers than needed only claim a little ahead).
  let workMs = 250;
  const maxConcurrency = cfg.maxConcurrency ?? 64;
  const concurrency = () =>
    Math.min(maxConcurrency, Math.max(2, Math.ceil((rate * workMs * 1.5) / 1000) + 1));
  const stopped = () => now().getTime() >= deadline || run.stoppedByQuota || run.stoppedByErrors;

  /**
   * Releases a claimed callback to a new due time, giving back the day's dial it counted, if any;
   * after a Connect error it keeps its count of claims (it did not move on).
   */
  const giveBack = async (c: Callback, dueAt: string, o: { capDay?: string; keepClaims?: boolean } = {}) => {
    if (o.capDay && c.phone) await campaigns.dailyCap.giveBack(c.phone, o.capDay);
    await store.release(c, run.runId, dueAt, { keepClaims: o.keepClaims ?? false });
    run.released++;
  };

  /** Gives a callback back at its window's next opening; one whose window never opens again ends. */
  const toWindow = async (c: Callback, from: Date) => {
    const next = nextOpening(from, c.timeZone, c.window);
    if (next) return giveBack(c, next.toISOString());
    await store.end(c, 'failed', {
      runId: run.runId,
      note: inBoth('callback.note.windowClosed', { days: WINDOW_HORIZON_DAYS }),
      now: now(),
    });
    run.failed++;
  };

  const processOne = async (c: Callback): Promise<void> => {
    const campaign = running.get(c.campaignId);
    // The campaign's slot (its pace, its agents) is taken before the claim and the pacing wait,
    // so workers side by side never pass its limits together; it is given back unless the call
    // was placed, whatever happened (a crash too).
    if (!campaign || !slots.take(campaign)) {
      readable.delete(c.campaignId);
      return;
    }
    let placed = false;
    try {
      placed = await work(c);
    } finally {
      if (!placed) slots.giveBack(c.campaignId);
    }
  };

  /** Claims, checks and dials one callback: true when the call was placed. */
  const work = async (c: Callback): Promise<boolean> => {
    const t0 = now().getTime();
    let waited = 0;
    const claimed = await store.claim(c, run.runId, now(), cfg.leaseSeconds ?? 120);
    if (!claimed) return false;
    run.claimed++;
    const at = now();
    const first = onClaim(claimed, at);
    if ('end' in first) {
      // Given up where an operator sees it (failed with a note in the campaign's progress, and for
      // a dead letter a metric), expired, or without a number.
      await store.end(claimed, first.end, { runId: run.runId, note: first.note, now: at });
      if (first.end === 'expired') run.expired++;
      else run.failed++;
      if (first.deadLetter) {
        run.deadLettered++;
        deps.onDeadLetter?.(claimed, 'claims');
      }
      return false;
    }
    const { phone } = first;
    // A first look in the zone last known, before waiting for the pace; the one that counts is
    // at the call, in the zone as the record stands then. A window that never opens again ends the
    // callback, but only once the campaign is read (a paused one's callback waits for the resume).
    const closed = !inWindow(at, claimed.timeZone, claimed.window);
    const reopens = closed && nextOpening(at, claimed.timeZone, claimed.window);
    if (reopens) {
      await giveBack(claimed, reopens.toISOString());
      run.outsideWindow++;
      return false;
    }
    const wait = closed ? 0 : bucket.take(now().getTime()) + backoff;
    if (wait > 0) {
      if (now().getTime() + wait >= deadline) {
        await giveBack(claimed, claimed.dueAt);
        return false;
      }
      waited = wait;
      await sleep(wait);
    }
    // The moment of the call: the campaign and the registry as they stand now, read side by side,
    // and the window once more.
    const [standing, purpose] = await Promise.all([
      deps.accounts.callStanding(claimed.accountId, claimed.contactId),
      campaigns.repo.purposeAt(claimed),
    ]);
    const callAt = now();
    const next = atCall(claimed, phone, { ...purpose, standing });
    if (next.kind === 'hold') {
      // Paused or cancelled since the run read it: no more of its callbacks this run.
      running.delete(claimed.campaignId);
      readable.delete(claimed.campaignId);
      if (!closed) bucket.refund();
      run.held++;
      if (!next.cancelled) await giveBack(claimed, claimed.dueAt);
      else {
        const note = inBoth('callback.note.campaignCancelled');
        if (await store.end(claimed, 'cancelled', { runId: run.runId, note, now: callAt })) run.cancelled++;
      }
      return false;
    }
    if (next.kind === 'skip') {
      await store.end(claimed, 'skipped', {
        runId: run.runId,
        note: inBoth('callback.note.skipped', { reason: next.reason }),
        skipReason: next.reason,
        now: callAt,
      });
      run.skipped++;
      return false;
    }
    // The contact's zone as the record stands now, not as planned (a contact who moved): the
    // window and the day's cap are read in it, and the callback keeps it from here on.
    const cb: Callback =
      next.timeZone === claimed.timeZone ? claimed : { ...claimed, timeZone: next.timeZone };
    if (closed && inWindow(callAt, cb.timeZone, cb.window)) {
      // Open in the zone the record has now, but not paced yet: the next pass dials it.
      await giveBack(cb, callAt.toISOString());
      return false;
    }
    if (!inWindow(callAt, cb.timeZone, cb.window)) {
      await toWindow(cb, callAt);
      run.outsideWindow++;
      return false;
    }
    // The day's cap is counted last, just before the dial: a crash before it spends nothing, and
    // every outcome of the dial that places no call gives the day's dial back.
    const capDay = localDate(callAt, cb.timeZone);
    if (!(await campaigns.dailyCap.take(phone, capDay, dailyCapOf(cb), callAt))) {
      const tomorrow = inZone(callAt, cb.timeZone).plus({ days: 1 }).startOf('day').toJSDate();
      await toWindow(cb, tomorrow);
      bucket.refund(); // no call went out: its turn goes to the next one
      run.capped++;
      return false;
    }
    const attempt = cb.attempts + 1;
    let contactId: string | undefined;
    try {
      ({ contactId } = await dialer.dial(dialRequest(cb, phone, attempt)));
    } catch (err) {
      await dialFailed(cb, err, capDay);
    }
    if (contactId !== undefined) {
      // Placed: the slot stays taken (an agent will be on this call), and the day's dial is spent
      // whatever happens next.
      run.dialed++;
      consecutiveErrors = 0;
      backoff = Math.max(0, backoff / 2 - 50);
      await record(cb, contactId, attempt);
    }
    const spent = now().getTime() - t0 - waited;
    workMs = workMs * 0.7 + Math.max(1, spent) * 0.3;
    return contactId !== undefined;
  };

  /** What a dial that placed no call does to its callback, the run's pace and the day's cap. */
  const dialFailed = async (cb: Callback, err: unknown, capDay: string) => {
    if (err instanceof DialThrottled) {
      run.throttled++;
      backoff = Math.min(8_000, Math.max(250, backoff * 2)) * (0.5 + random());
      await giveBack(cb, now().toISOString(), { capDay });
    } else if (err instanceof DialQuotaExceeded) {
      run.stoppedByQuota = true;
      await giveBack(cb, now().toISOString(), { capDay });
    } else if (err instanceof DialRejected) {
      // The number was refused: it counts against the day, and the callback ends.
      await store.end(cb, 'failed', {
        runId: run.runId,
        note: inBoth('callback.note.rejected', { detail: err.message }),
        now: now(),
      });
      run.failed++;
    } else {
      // Connect failed on this call (after the SDK's own retries with the same ClientToken): the
      // callback waits, longer each time, and is given up after a bounded number of tries; the run
      // goes on, unless Connect keeps failing.
      run.errors++;
      if (++consecutiveErrors >= (cfg.maxConsecutiveErrors ?? 5)) run.stoppedByErrors = true;
      const next = afterDialError(cb, now());
      if ('dueAt' in next) return giveBack(cb, next.dueAt, { capDay, keepClaims: true });
      if (cb.phone) await campaigns.dailyCap.giveBack(cb.phone, capDay);
      const detail = `${(err as Error).name}: ${(err as Error).message}`;
      await store.end(cb, 'failed', {
        runId: run.runId,
        note: inBoth('callback.note.connectFailed', { count: cb.claims ?? 1, detail }),
        now: now(),
      });
      run.failed++;
      run.deadLettered++;
      deps.onDeadLetter?.(cb, detail);
    }
  };

  /**
   * Records a placed call, trying a bounded number of times. Connect has accepted it, so nothing
   * here gives the day's dial back or releases the callback: if the record cannot be written, the
   * claim is left to expire and the run that claims it again dials the same attempt, whose
   * ClientToken (callback id + attempt) Connect answers with the contact it started.
   */
  const record = async (cb: Callback, contactId: string, attempt: number) => {
    try {
      await retry(() => store.markDialed(cb, run.runId, contactId, attempt, now()), {
        attempts: cfg.recordAttempts ?? 4,
        baseDelayMs: 200,
        maxDelayMs: 2_000,
        sleep,
        random,
        // A condition that failed will fail again; a transaction that met another is worth another go.
        retryIf: (err) => !(err instanceof TransactionCancelled) || err.contended,
      });
    } catch (err) {
      // An earlier try may have landed, its answer lost.
      if ((await store.get(cb.id).catch(() => undefined))?.connectContactId === contactId) return;
      run.unrecorded++;
      deps.onUnrecorded?.(cb, contactId, err);
    }
  };

  const seen = new Set<string>();
  const queue: Callback[] = [];
  const inFlight = new Set<Promise<void>>();
  let fetching: Promise<void> | undefined;
  let exhausted = false;
  const refill = () => {
    fetching ??= (async () => {
      // The first read is small, so the first call leaves at once; the next ones are full batches.
      const batch = cfg.batch ?? 50;
      const due = await store.due(
        now(),
        [...readable],
        seen.size === 0 ? Math.min(batch, concurrency()) : batch,
      );
      const fresh = due.filter((c) => !seen.has(c.id) && readable.has(c.campaignId));
      for (const c of fresh) seen.add(c.id);
      queue.push(...fresh);
      if (fresh.length === 0) exhausted = true;
    })().finally(() => {
      fetching = undefined;
    });
    return fetching;
  };

  let failure: unknown;
  while (!stopped() && failure === undefined) {
    if (queue.length < concurrency() && !exhausted) {
      const pending = refill();
      if (queue.length === 0) await pending;
    }
    if (queue.length === 0 && inFlight.size === 0) {
      if (exhausted) break;
      continue;
    }
    while (queue.length > 0 && inFlight.size < concurrency() && !stopped()) {
      const c = queue.shift() as Callback;
      const p: Promise<void> = processOne(c)
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    run.concurrency = Math.max(run.concurrency, inFlight.size);
    if (inFlight.size > 0) await Promise.race([...inFlight, ...(fetching ? [fetching] : [])]);
    else if (fetching) await fetching;
    // New work may have become due for campaigns that were read to the end.
    if (exhausted && queue.length === 0 && inFlight.size === 0) break;
  }
  await Promise.all(inFlight);
  await fetching;
  if (failure !== undefined) throw failure;
}
