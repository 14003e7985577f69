/**
 * What the dialer checks at the moment of each call, not when its run began: the campaign still
 * running (a lead may pause or cancel it in the middle of a 50-second run), and for a proactive
 * delay call the shipment still late. DynamoDB Local; the dialer is a recording fake (the Connect
 * adapter has its own tests).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '#shared/accounts/service.ts';
import type { Dialer } from '#shared/campaigns/connect-dialer.ts';
import { type DialerConfig, type DialerDeps, runDialer } from '#shared/campaigns/dialer.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { CallLog } from '#shared/inbound/directory.ts';
import { PROACTIVE_CAMPAIGN, proactiveCall } from '#shared/notify/proactive-call.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { localDate } from '#shared/platform/time.ts';
import type { Shipment } from '#shared/shipments/model.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { delayDetected, delayedShipment } from '../support/delays.ts';
import { dialerBook, RecordingDialer } from '../support/dialer.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const campaigns = () => new Campaigns(db, TABLE_NAME());
const accounts = () => new Accounts(db, TABLE_NAME());
beforeAll(() => {
  process.env.AWS_REGION ??= 'cn-north-1';
});
afterAll(() => db.destroy());

/**
 * Mondays 10:00 in Shanghai, one per test, each test earlier than the ones before it: no run finds
 * the work an earlier test left due.
 */
const monday = (week: number) => new Date(Date.parse('2026-11-23T02:00:00Z') + week * 7 * 86_400_000);
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

/** A 50-second run paced at 2 calls a second, one call at a time, on a clock its waits move on. */
function dial(dialer: Dialer, now: Date, cfg: Partial<DialerConfig> = {}, deps: Partial<DialerDeps> = {}) {
  let clock = now.getTime();
  return runDialer(
    { campaigns: campaigns(), accounts: accounts().repo, dialer, ...deps },
    {
      quotaPerSecond: 2,
      burst: 5,
      maxRunMs: 50_000,
      maxConcurrency: 1,
      now: () => new Date(clock),
      sleep: async (ms) => {
        clock += ms;
      },
      ...cfg,
    },
  );
}

const { freshAccount, campaignFor } = dialerBook({
  tag: 'moment',
  numbersFrom: 50_000_000,
  savedAt: monday(0),
  accounts,
  campaigns,
});

/** Dials the number has taken today (the daily cap's count). */
async function dialsToday(phone: string, at: Date): Promise<number> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: TABLE_NAME(),
      Key: keys.dials(phone, localDate(at, 'Asia/Shanghai')),
      ConsistentRead: true,
    }),
  );
  return Number(Item?.dials ?? 0);
}

describe('a campaign paused or cancelled while the dialer is mid-run', () => {
  it('stops dialing a campaign as soon as a team lead pauses it, not at the end of the 50 s run', async () => {
    const T = monday(20);
    const a = await freshAccount(6);
    const c = await campaignFor([a.id], T);
    const dialer = new RecordingDialer();
    let paused = false;
    // The lead presses "pause" while the first call of the run is being placed.
    dialer.onDial = async () => {
      if (!paused) {
        paused = true;
        await campaigns().control(c.id, 'pause', T);
      }
    };
    const run = await dial(dialer, T);
    expect((await campaigns().requireCampaign(c.id)).status).toBe('paused');
    // Only the call in flight when it was paused went out; the other five wait for "resume".
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toHaveLength(1);
    expect(run.held).toBe(1);
  });

  it('gives the callback it had claimed back untouched: no attempt, no day’s dial, no claim counted', async () => {
    const T = monday(19);
    const a = await freshAccount(2);
    const c = await campaignFor([a.id], T);
    const before = await campaigns().listCallbacks(c.id);
    const dialer = new RecordingDialer();
    dialer.onDial = async () => {
      await campaigns().control(c.id, 'pause', T);
    };
    await dial(dialer, T);
    const [placed] = dialer.calls;
    const held = (await campaigns().listCallbacks(c.id)).find((cb) => cb.id !== placed?.callbackId);
    const was = before.find((cb) => cb.id === held?.id);
    expect(held).toMatchObject({ state: 'scheduled', attempts: 0, claims: 0, dueAt: was?.dueAt });
    expect(held).not.toHaveProperty('claimedBy');
    expect(await dialsToday(held?.phone ?? '', T)).toBe(0);
    // Resumed, the next run dials it.
    await campaigns().control(c.id, 'resume', T);
    await dial(dialer, plus(T, 1));
    expect(dialer.calls.map((d) => d.callbackId)).toContain(held?.id);
  });

  it('places no further call of a campaign cancelled mid-run, and ends the one it had claimed cancelled', async () => {
    const T = monday(18);
    const a = await freshAccount(6);
    const c = await campaignFor([a.id], T);
    const dialer = new RecordingDialer();
    let cancelled = false;
    dialer.onDial = async () => {
      if (!cancelled) {
        cancelled = true;
        await campaigns().control(c.id, 'cancel', T);
      }
    };
    const run = await dial(dialer, T);
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toHaveLength(1);
    // The one claimed at the moment of its call ends cancelled at once, with the reason in both
    // languages; the four still waiting are ended by the next run's sweep of cancelled campaigns.
    const ended = (await campaigns().listCallbacks(c.id)).filter((cb) => cb.state === 'cancelled');
    expect(ended.map((cb) => cb.notes)).toEqual([expect.stringMatching(/活动已取消.*campaign cancelled/)]);
    expect(run.held).toBe(1);
    await dial(dialer, plus(T, 1));
    expect((await campaigns().listCallbacks(c.id)).map((cb) => cb.state).sort()).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
      'dialed',
    ]);
    expect((await campaigns().requireCampaign(c.id)).counts).toMatchObject({ cancelled: 5, dialed: 1 });
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toHaveLength(1);
  });

  it('keeps dialing the other campaigns of the run', async () => {
    const T = monday(17);
    const [a, b] = [await freshAccount(3), await freshAccount(3)];
    const stopped = await campaignFor([a.id], T);
    const going = await campaignFor([b.id], T);
    const dialer = new RecordingDialer();
    dialer.onDial = async (req) => {
      if (req.attributes.campaignId === stopped.id) await campaigns().control(stopped.id, 'pause', T);
    };
    await dial(dialer, T);
    expect(dialer.calls.filter((d) => d.attributes.campaignId === stopped.id)).toHaveLength(1);
    expect(dialer.calls.filter((d) => d.attributes.campaignId === going.id)).toHaveLength(3);
  });
});

describe('a proactive delay call whose reason is gone by the moment of the call', () => {
  const shipments = () => new Shipments(db, TABLE_NAME());
  let waybills = 0;

  /** A key account's shipment critically delayed at `T`, and the delay call booked for it. */
  async function delayCallBooked(T: Date, state: Shipment['status'] = 'in-transit') {
    const account = await freshAccount();
    const waybill = `72990${String(++waybills).padStart(5, '0')}`;
    const s = delayedShipment(waybill, T);
    await shipments().create(
      {
        ...s,
        accountId: account.id,
        status: state,
        ...(s.delay ? { delay: { ...s.delay, severity: 'critical', state: 'detected' } } : {}),
      },
      T,
    );
    const callbackId = await proactiveCall(
      { db, tableName: TABLE_NAME(), campaigns: campaigns(), accounts: accounts() },
      delayDetected({ waybill, accountId: account.id, severity: 'critical', createdAt: T.toISOString() }),
      T,
    );
    return { account, waybill, callbackId: callbackId ?? '' };
  }

  it('is not placed once the goods were delivered: ended as not needed, in both languages, on the card', async () => {
    const T = monday(16);
    const { account, waybill, callbackId } = await delayCallBooked(T);
    // The goods arrive before the dialer reaches the call.
    const scan = await shipments().applyEvent(
      {
        eventId: `ev-${waybill}-delivered`,
        waybill,
        accountId: account.id,
        milestone: 'delivered',
        location: '郑州金禾粮油库',
        at: plus(T, 30).toISOString(),
      },
      plus(T, 30),
    );
    expect(scan).toMatchObject({ result: 'applied' });
    const dialer = new RecordingDialer();
    const run = await dial(dialer, plus(T, 31));
    expect(dialer.calls.map((d) => d.callbackId)).not.toContain(callbackId);
    expect(run.skipped).toBeGreaterThanOrEqual(1);
    const cb = await campaigns().requireCallback(callbackId);
    expect(cb).toMatchObject({ state: 'skipped', skipReason: 'shipment-delivered', attempts: 0 });
    expect(cb.notes).toContain('货物已签收，无需致电致歉');
    expect(cb.notes).toContain('the shipment was delivered: no delay call needed');
    // The account's call history says why it was not dialed.
    const history = await new CallLog(db, TABLE_NAME()).recent(account.id);
    expect(history).toContainEqual(
      expect.objectContaining({ outcome: 'skipped', skipReason: 'shipment-delivered' }),
    );
  });

  it('is not placed once the delay was cleared, and is placed while the shipment is still late', async () => {
    const T = monday(15);
    // Booked while late (a delay over at booking is never booked: proactive-call.ts), then cleared
    // by an agent (back on schedule) before the dialer reaches it.
    const cleared = await delayCallBooked(T);
    await shipments().updateDelay(cleared.waybill, { action: 'clear' }, plus(T, 5));
    const late = await delayCallBooked(T);
    const dialer = new RecordingDialer();
    await dial(dialer, T, { quotaPerSecond: 50, burst: 50, maxConcurrency: 4 });
    expect(await campaigns().requireCallback(cleared.callbackId)).toMatchObject({
      state: 'skipped',
      skipReason: 'delay-cleared',
    });
    expect(dialer.calls.map((d) => d.callbackId)).toEqual([late.callbackId]);
    expect(await campaigns().requireCallback(late.callbackId)).toMatchObject({
      state: 'dialed',
      attempts: 1,
    });
    const counts = (await campaigns().requireCampaign(PROACTIVE_CAMPAIGN)).counts;
    expect(counts.skippedBy).toMatchObject({ 'delay-cleared': expect.any(Number) });
  });
});
