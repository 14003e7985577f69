import { ulid } from 'ulid';
import { AccountInput } from '#shared/accounts/model.ts';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { type Dialer, type DialRequest, DialThrottled } from '#shared/campaigns/connect-dialer.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { CampaignInput, type Target } from '#shared/campaigns/model.ts';
import { TokenBucket } from '#shared/campaigns/pacing.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { inWindow } from '#shared/platform/time.ts';
import { type BenchContext, counted, freshTable, option, round, runPool } from './lib.ts';

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
    if (!this.bucket.tryTake(Date.now())) {
      this.throttled++;
      throw new DialThrottled('TooManyRequestsException: Rate exceeded');
    }
    this.calls.push({ ...req, at: Date.now() });
    return { contactId: ulid() };
  }
}

/** Adds `ms` to every DynamoDB request attempt (retries included), as a region's network would. */
function withLatency(db: DocumentClient, ms: number) {
  if (ms <= 0) return;
  db.middlewareStack.add(
    (next) => async (args) => {
      await new Promise((r) => setTimeout(r, ms));
      return next(args);
    },
    { step: 'deserialize', name: 'benchLatency' },
  );
}

/** The accounts behind the callbacks: consent on file, as the dialer checks it at each call. */
async function benchAccounts(accounts: Accounts, count: number, perAccount: number): Promise<Target[]> {
  const targets: Target[] = [];
  await runPool(
    Array.from({ length: count }, (_, a) => a),
    8,
    async (a) => {
      const input = AccountInput.parse({
        name: `基准客户 ${a}`,
        segment: 'fmcg',
        regions: ['华东'],
        serviceGroup: 'fmcg-service',
        accountManager: '王建国',
        onTimeCommitment: 0.97,
        economics: {
          accountValue: 1_000_000 + a * 1000,
          shareOfWallet: 0.4,
          relationshipStrength: 0.6,
          currentMargin: 200_000,
          potentialMargin: 300_000,
          averageTransactionValue: 10_000,
          yearlyFrequency: 100,
          expectedLifetimeYears: 5,
        },
        contacts: Array.from({ length: perAccount }, (_, c) => ({
          id: `c-${a}-${c}`,
          name: `联系人 ${a}-${c}`,
          phones: [{ number: `+86139${String(10_000_000 + a * perAccount + c).padStart(8, '0')}` }],
          timeZone: ZONES[(a * perAccount + c) % ZONES.length],
          consent: { calls: true, sms: true, email: true },
        })),
      });
      const { account } = await accounts.save(`acc-bench-${a}`, input);
      for (const contact of account.contacts) {
        const phone = contact.phones[0]?.e164 ?? '';
        targets.push({ account, contact, phone, timeZone: contact.timeZone ?? 'Asia/Shanghai' });
      }
    },
  );
  return targets;
}

/**
 * A 10,000-callback campaign against DynamoDB Local, dialed through a mocked Connect that
 * enforces the quota, with every DynamoDB request answered after a realistic latency
 * (`--dynamo-latency-ms`, default 8): the achieved dial rate as a share of the allowed rate, with
 * consent re-read at each call; double dials when two runs overlap without the run lease, and
 * what the lease does to a second run; dials outside the contacts' windows; DynamoDB requests per
 * dial (retries counted).
 */
export async function campaignsBench(ctx: BenchContext) {
  const callbacks = option(ctx.args, 'callbacks', 10_000);
  const quota = option(ctx.args, 'dial-quota', 20);
  const seconds = option(ctx.args, 'dial-seconds', 20);
  const latencyArg = ctx.args.indexOf('--dynamo-latency-ms');
  const latency = latencyArg >= 0 ? Number(ctx.args[latencyArg + 1]) : 8;
  if (!(latency >= 0 && latency <= 1000)) throw new Error('--dynamo-latency-ms must be 0 to 1000');
  const table = await freshTable(ctx, 'bench-campaigns');
  const setup = createDocumentClient();
  const perAccount = 20;
  const targets = (
    await benchAccounts(new Accounts(setup, table), Math.ceil(callbacks / perAccount), perAccount)
  ).slice(0, callbacks);
  const db = createDocumentClient();
  withLatency(db, latency);
  const counter = counted(db);
  const store = new Campaigns(db, table);
  const accounts = new AccountRepo(db, table);
  const window = { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '22:00', holidays: [] };
  const input = CampaignInput.parse({
    name: 'bench campaign',
    type: 'account-review',
    audience: { tiers: ['key'] },
    window,
    pacing: { dialsPerMinute: 600, maxConcurrent: 500 },
    dailyCapPerRecipient: 3,
    startNow: true,
  });
  let t = performance.now();
  const campaign = await store.createCampaign(input, targets, [], 'bench');
  const createSeconds = (performance.now() - t) / 1000;
  const openNow = targets.filter((x) => inWindow(new Date(), x.timeZone, window)).length;

  // Phase 1: one dialer, paced to the quota.
  const connect = new QuotaConnect(quota, 5);
  counter.requests = 0;
  t = performance.now();
  const run = await runDialer(
    { campaigns: store, accounts, dialer: connect },
    { quotaPerSecond: quota, burst: 5, maxRunMs: seconds * 1000, batch: 200 },
  );
  const elapsed = (performance.now() - t) / 1000;
  const startedAt = Date.now() - elapsed * 1000;
  const times = connect.calls.map((c) => c.at);
  const firstDialMs = times.length ? Math.min(...times) - startedAt : 0;
  const lastDialMs = times.length ? Math.max(...times) - startedAt : 0;
  const requestsPerDial = counter.requests / Math.max(1, run.dialed);
  const achieved = run.dialed / elapsed;

  // The calls of phase 1 end (as their contact events would say), freeing the campaign's agents.
  const outcomes = new Campaigns(setup, table);
  for (const c of connect.calls)
    await outcomes.applyOutcome(c.callbackId, c.attempt, 'completed', new Date());

  // Phase 2: two runs at once without the run lease (as if it had run out): the callback claims
  // alone must keep them apart. Both share the one Connect instance and so its quota.
  const shared = new QuotaConnect(quota, 5);
  const overlap = {
    quotaPerSecond: quota,
    burst: 5,
    maxRunMs: (seconds * 1000) / 2,
    batch: 200,
    exclusive: false,
  };
  const [ra, rb] = await Promise.all([
    runDialer({ campaigns: store, accounts, dialer: shared }, overlap),
    runDialer({ campaigns: store, accounts, dialer: shared }, overlap),
  ]);
  // Phase 3: two runs at once with the lease, as scheduled: the second does nothing.
  const leased = new QuotaConnect(quota, 5);
  const cfg3 = { quotaPerSecond: quota, burst: 5, maxRunMs: 3_000, batch: 200 };
  const [l1, l2] = await Promise.all([
    runDialer({ campaigns: store, accounts, dialer: leased }, cfg3),
    runDialer({ campaigns: store, accounts, dialer: leased }, cfg3),
  ]);
  const all = [...connect.calls, ...shared.calls, ...leased.calls].filter(
    (c) => c.attributes.campaignId === campaign.id,
  );
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
    dynamoLatencyMs: latency,
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
      concurrency: run.concurrency,
      firstDialAfterMs: Math.round(firstDialMs),
      lastDialAtMs: Math.round(lastDialMs),
      run: {
        claimed: run.claimed,
        released: run.released,
        outsideWindow: run.outsideWindow,
        capped: run.capped,
        skipped: run.skipped,
      },
      goal: 'share ≥ 0.95',
    },
    twoConcurrentDialers: {
      dialed: shared.calls.length,
      byDialer: [ra.dialed, rb.dialed],
      throttledByConnect: shared.throttled,
      doubleDials,
      goal: 'double dials = 0',
    },
    withRunLease: {
      byDialer: [l1.dialed, l2.dialed],
      secondRunStoodDown: l1.notExclusive !== l2.notExclusive,
    },
    dialsOutsideWindows: outside,
  };
  console.log(
    `\nOutbound campaign (${callbacks.toLocaleString('en')} callbacks, mocked Connect enforcing the quota, DynamoDB +${latency} ms a request)`,
  );
  console.table({
    'single dialer': {
      dialed: run.dialed,
      per_second: result.singleDialer.achievedPerSecond,
      'share of quota': result.singleDialer.shareOfAllowedRate,
      'DynamoDB req/dial': result.singleDialer.dynamoRequestsPerDial,
      concurrency: run.concurrency,
      'double dials': '',
      'outside window': '',
    },
    'two runs, no lease': {
      dialed: result.twoConcurrentDialers.dialed,
      per_second: '',
      'share of quota': '',
      'DynamoDB req/dial': '',
      concurrency: '',
      'double dials': doubleDials,
      'outside window': outside,
    },
    'two runs, lease': {
      dialed: `${l1.dialed} + ${l2.dialed}`,
      per_second: '',
      'share of quota': '',
      'DynamoDB req/dial': '',
      concurrency: '',
      'double dials': '',
      'outside window': '',
    },
  });
  db.destroy();
  setup.destroy();
  return result;
}
