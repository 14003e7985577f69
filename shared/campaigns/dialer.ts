import { randomUUID } from 'node:crypto';
import { inBoth } from '../platform/messages/index.ts';
import { inWindow, inZone, localDate, nextInWindow } from '../platform/time.ts';
import { isDone } from './campaign.ts';
import { type Dialer, DialQuotaExceeded, DialRejected, DialThrottled } from './connect-dialer.ts';
import type { Callback, Campaign } from './model.ts';
import { TokenBucket } from './pacing.ts';
import type { Campaigns } from './service.ts';
import { isStanding } from './standing.ts';

export interface DialerConfig {
  /** StartOutboundVoiceContact quota: calls a second, and the burst it allows. */
  quotaPerSecond: number;
  burst: number;
  /** How long one run may dial (a scheduled run every minute uses most of it). */
  maxRunMs: number;
  leaseSeconds?: number;
  batch?: number;
  /** Share of the quota to pace at (default 0.98). */
  paceFactor?: number;
  /** Callbacks worked on at once (claims and dials overlap; the token bucket still paces). */
  concurrency?: number;
  runId?: string;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface DialerRun {
  runId: string;
  claimed: number;
  dialed: number;
  released: number;
  throttled: number;
  outsideWindow: number;
  capped: number;
  expired: number;
  failed: number;
  cancelled: number;
  stoppedByQuota: boolean;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One dialer run: claim due callbacks (a lease each, so overlapping runs never share one), skip
 * what its campaign's state, window, pacing or caps forbid, pace to the Connect quota, and dial.
 * Throttling backs off with jitter and releases the work; a spent quota stops the run.
 */
export async function runDialer(campaigns: Campaigns, dialer: Dialer, cfg: DialerConfig): Promise<DialerRun> {
  const store = campaigns.callbacks;
  const now = cfg.now ?? (() => new Date());
  const sleep = cfg.sleep ?? realSleep;
  const random = cfg.random ?? Math.random;
  const runId = cfg.runId ?? randomUUID();
  const started = now().getTime();
  const deadline = started + cfg.maxRunMs;
  const run: DialerRun = {
    runId,
    claimed: 0,
    dialed: 0,
    released: 0,
    throttled: 0,
    outsideWindow: 0,
    capped: 0,
    expired: 0,
    failed: 0,
    cancelled: 0,
    stoppedByQuota: false,
  };

  await Promise.all([
    campaigns.ensureStanding('customer-callbacks'),
    campaigns.ensureStanding('complaint-follow-up'),
  ]);
  const byId = new Map<string, Campaign>();
  for (const c of await campaigns.listCampaigns()) byId.set(c.id, c);
  const minutes = Math.max(1, cfg.maxRunMs / 60_000);
  const dialedPerCampaign = new Map<string, number>();
  const activePerCampaign = new Map<string, number>(
    [...byId.values()].map((c) => [c.id, c.counts.active ?? 0]),
  );
  // Pace a hair under the quota and spend no burst: Connect's own burst allowance then absorbs
  // timing jitter instead of answering TooManyRequests, which would cost a back-off.
  const bucket = new TokenBucket(cfg.quotaPerSecond * (cfg.paceFactor ?? 0.98), 1, started);
  const skipped = new Set<string>();
  let backoff = 0;

  /** One callback: claim, check, pace, dial. Several run at once so I/O never holds back the pace. */
  const processOne = async (c: Callback): Promise<void> => {
    const campaign = byId.get(c.campaignId);
    if (campaign?.status === 'cancelled') {
      await store.finish(c, 'cancelled', undefined, inBoth('callback.note.campaignCancelled'));
      run.cancelled++;
      return;
    }
    const perMinute = campaign?.pacing.dialsPerMinute ?? 30;
    const maxConcurrent = campaign?.pacing.maxConcurrent ?? 10;
    if (
      campaign?.status !== 'running' ||
      (dialedPerCampaign.get(c.campaignId) ?? 0) >= perMinute * minutes ||
      (activePerCampaign.get(c.campaignId) ?? 0) >= maxConcurrent
    ) {
      skipped.add(c.id);
      return;
    }
    // Whatever happens next, this run does not come back to this callback: released work waits
    // for a later run, so a throttled or rescheduled callback cannot spin the loop.
    skipped.add(c.id);
    const claimed = await store.claim(c, runId, now(), cfg.leaseSeconds ?? 120);
    if (!claimed) return;
    run.claimed++;
    const at = now();
    if (claimed.expiresAt && Date.parse(claimed.expiresAt) < at.getTime()) {
      await store.finish(claimed, 'expired', runId, inBoth('callback.note.campaignExpired'));
      run.expired++;
      return;
    }
    if (!claimed.phone) {
      await store.finish(claimed, 'failed', runId, inBoth('callback.note.noPhone'));
      run.failed++;
      return;
    }
    if (!inWindow(at, claimed.timeZone, claimed.window)) {
      await store.release(claimed, runId, nextInWindow(at, claimed.timeZone, claimed.window).toISOString());
      run.outsideWindow++;
      run.released++;
      return;
    }
    if (!(await store.takeDailyDial(claimed.phone, localDate(at, claimed.timeZone), claimed.dailyCap, at))) {
      const tomorrow = inZone(at, claimed.timeZone).plus({ days: 1 }).startOf('day').toJSDate();
      await store.release(
        claimed,
        runId,
        nextInWindow(tomorrow, claimed.timeZone, claimed.window).toISOString(),
      );
      run.capped++;
      run.released++;
      return;
    }
    const wait = bucket.take(now().getTime()) + backoff;
    if (wait > 0) {
      if (now().getTime() + wait >= deadline) {
        await store.returnDailyDial(claimed.phone, localDate(at, claimed.timeZone));
        await store.release(claimed, runId, claimed.dueAt);
        run.released++;
        return;
      }
      await sleep(wait);
    }
    const attempt = claimed.attempts + 1;
    try {
      const { contactId } = await dialer.dial({
        callbackId: claimed.id,
        attempt,
        phone: claimed.phone,
        attributes: {
          accountId: claimed.accountId,
          callbackId: claimed.id,
          campaignId: claimed.campaignId,
          reason: claimed.reason,
          ...(claimed.complaintReference ? { complaintReference: claimed.complaintReference } : {}),
          language: claimed.language,
        },
      });
      await store.markDialed(claimed, runId, contactId, attempt, now());
      run.dialed++;
      backoff = Math.max(0, backoff / 2 - 50);
      dialedPerCampaign.set(c.campaignId, (dialedPerCampaign.get(c.campaignId) ?? 0) + 1);
      activePerCampaign.set(c.campaignId, (activePerCampaign.get(c.campaignId) ?? 0) + 1);
    } catch (err) {
      // No call was placed: the dial does not count against the number's daily cap.
      if (!(err instanceof DialRejected))
        await store.returnDailyDial(claimed.phone, localDate(at, claimed.timeZone));
      if (err instanceof DialThrottled) {
        run.throttled++;
        backoff = Math.min(8_000, Math.max(250, backoff * 2)) * (0.5 + random());
        await store.release(claimed, runId, now().toISOString());
        run.released++;
      } else if (err instanceof DialQuotaExceeded) {
        await store.release(claimed, runId, now().toISOString());
        run.released++;
        run.stoppedByQuota = true;
      } else if (err instanceof DialRejected) {
        await store.finish(
          claimed,
          'failed',
          runId,
          inBoth('callback.note.rejected', { detail: err.message }),
        );
        run.failed++;
      } else {
        await store.release(claimed, runId, new Date(now().getTime() + 60_000).toISOString());
        run.released++;
        throw err;
      }
    }
  };

  while (now().getTime() < deadline && !run.stoppedByQuota) {
    const batch = (await store.due(now(), (cfg.batch ?? 50) + skipped.size)).filter(
      (c) => !skipped.has(c.id),
    );
    if (batch.length === 0) break;
    const queue = [...batch];
    await Promise.all(
      Array.from({ length: Math.max(1, cfg.concurrency ?? 4) }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          if (now().getTime() >= deadline || run.stoppedByQuota) break;
          await processOne(c);
        }
      }),
    );
  }
  // Campaigns with nothing left to do are completed.
  for (const c of byId.values()) {
    if (c.status !== 'running' || isStanding(c.id)) continue;
    const fresh = await campaigns.getCampaign(c.id);
    if (fresh && isDone(fresh.counts)) await campaigns.repo.setStatus(fresh, 'completed', now());
  }
  return run;
}
