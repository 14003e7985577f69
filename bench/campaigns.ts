import { ulid } from 'ulid';
import type { AccountWithContacts } from '#shared/accounts/model.ts';
import { type Dialer, type DialRequest, DialThrottled } from '#shared/campaigns/connect-dialer.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { CampaignInput, type Target } from '#shared/campaigns/model.ts';
import { TokenBucket } from '#shared/campaigns/pacing.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { inWindow } from '#shared/platform/time.ts';
import { type BenchContext, freshTable, option, round } from './lib.ts';

const ZONES = [
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Europe/London',
  'America/New_York',
  'Europe/Zurich',
  'Asia/Singapore',
];

/** A mocked Amazon Connect that enforces the StartOutboundVoiceContact quota and records every call. */
class QuotaConnect implements Dialer {
  readonly calls: (DialRequest & { at: number })[] = [];
  throttled = 0;
  private readonly bucket: TokenBucket;
  constructor(quota: number, burst: number) {
    this.bucket = new TokenBucket(quota, burst, Date.now());
  }
  async dial(req: DialRequest) {
    if (this.bucket.take(Date.now()) > 0) {
      this.throttled++;
      throw new DialThrottled('TooManyRequestsException: Rate exceeded');
    }
    this.calls.push({ ...req, at: Date.now() });
    return { contactId: ulid() };
  }
}

/**
 * A 10,000-callback campaign against DynamoDB Local, dialed through a mocked Connect that
 * enforces the quota: the achieved dial rate as a share of the allowed rate, double dials with
 * two concurrent dialers, dials outside the contacts' windows, and DynamoDB requests per dial.
 */
export async function campaignsBench(ctx: BenchContext) {
  const callbacks = option(ctx.args, 'callbacks', 10_000);
  const quota = option(ctx.args, 'dial-quota', 20);
  const seconds = option(ctx.args, 'dial-seconds', 20);
  const table = await freshTable(ctx, 'bench-campaigns');
  const db = createDocumentClient();
  let requests = 0;
  db.middlewareStack.add(
    (next) => async (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const store = new Campaigns(db, table);
  const window = { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '22:00', holidays: [] };
  const input = CampaignInput.parse({
    name: 'bench campaign',
    type: 'account-review',
    audience: { tiers: ['key'] },
    window,
    pacing: { dialsPerMinute: 600, maxConcurrent: 500, quotaPerSecond: quota, burst: 5 },
    dailyCapPerRecipient: 3,
    startNow: true,
  });
  const targets: Target[] = Array.from({ length: callbacks }, (_, i) => {
    const account = {
      id: `acc-bench-${i % 500}`,
      name: `基准客户 ${i % 500}`,
      timeZone: 'Asia/Shanghai',
      derived: { priorityScore: 100 + (i % 900) },
    } as unknown as AccountWithContacts;
    return {
      account,
      contact: { id: `c-${i}`, name: `联系人 ${i}`, language: 'zh-CN' } as unknown as Target['contact'],
      phone: `+86139${String(10_000_000 + i).padStart(8, '0')}`,
      timeZone: ZONES[i % ZONES.length] ?? 'Asia/Shanghai',
    };
  });
  let t = performance.now();
  const campaign = await store.createCampaign(input, targets, [], 'bench');
  const createSeconds = (performance.now() - t) / 1000;
  const openNow = targets.filter((x) => inWindow(new Date(), x.timeZone, window)).length;

  // Phase 1: one dialer, paced to the quota.
  const connect = new QuotaConnect(quota, 5);
  requests = 0;
  t = performance.now();
  const run = await runDialer(store, connect, {
    quotaPerSecond: quota,
    burst: 5,
    maxRunMs: seconds * 1000,
    batch: 200,
  });
  const elapsed = (performance.now() - t) / 1000;
  const requestsPerDial = requests / Math.max(1, run.dialed);
  const achieved = run.dialed / elapsed;

  // The calls of phase 1 end (as their contact events would say), freeing the campaign's agents.
  const outcomes = new Campaigns(createDocumentClient(), table);
  for (const c of connect.calls)
    await outcomes.applyOutcome(c.callbackId, c.attempt, 'completed', new Date());

  // Phase 2: two dialers at once on what is left.
  // Both dialers share the one Connect instance and so its quota, as they would in AWS.
  const shared = new QuotaConnect(quota, 5);
  const [ra, rb] = await Promise.all([
    runDialer(store, shared, { quotaPerSecond: quota, burst: 5, maxRunMs: seconds * 1000, batch: 200 }),
    runDialer(store, shared, { quotaPerSecond: quota, burst: 5, maxRunMs: seconds * 1000, batch: 200 }),
  ]);
  const all = [...connect.calls, ...shared.calls].filter((c) => c.attributes.campaignId === campaign.id);
  const perCallback = new Map<string, number>();
  for (const c of all) perCallback.set(c.callbackId, (perCallback.get(c.callbackId) ?? 0) + 1);
  const doubleDials = [...perCallback.values()].filter((n) => n > 1).length;
  const byId = new Map(targets.map((x) => [x.phone, x]));
  const outside = all.filter((c) => {
    const target = byId.get(c.phone);
    return target ? !inWindow(new Date(c.at), target.timeZone, window) : true;
  }).length;

  const result = {
    callbacks,
    createSeconds: round(createSeconds),
    openInWindowAtStart: openNow,
    quotaPerSecond: quota,
    singleDialer: {
      seconds: round(elapsed),
      dialed: run.dialed,
      achievedPerSecond: round(achieved, 2),
      shareOfAllowedRate: round(achieved / quota),
      throttledByConnect: connect.throttled,
      dynamoRequestsPerDial: round(requestsPerDial, 2),
      goal: 'share ≥ 0.95',
    },
    twoConcurrentDialers: {
      dialed: shared.calls.length,
      byDialer: [ra.dialed, rb.dialed],
      throttledByConnect: shared.throttled,
      doubleDials,
      goal: 'double dials = 0',
    },
    dialsOutsideWindows: outside,
  };
  console.log('\nOutbound campaign (10,000 callbacks, mocked Connect enforcing the quota)');
  console.table({
    'single dialer': {
      dialed: run.dialed,
      per_second: result.singleDialer.achievedPerSecond,
      'share of quota': result.singleDialer.shareOfAllowedRate,
      'DynamoDB req/dial': result.singleDialer.dynamoRequestsPerDial,
      'double dials': '',
      'outside window': '',
    },
    'two concurrent dialers': {
      dialed: result.twoConcurrentDialers.dialed,
      per_second: '',
      'share of quota': '',
      'DynamoDB req/dial': '',
      'double dials': doubleDials,
      'outside window': outside,
    },
  });
  db.destroy();
  return result;
}
