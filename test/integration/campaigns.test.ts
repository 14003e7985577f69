import {
  ConnectClient,
  StartOutboundVoiceContactCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '#functions/campaigns/routes.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { resolveAudience } from '#shared/campaigns/audience.ts';
import {
  ConnectDialer,
  type Dialer,
  type DialRequest,
  DialThrottled,
} from '#shared/campaigns/connect-dialer.ts';
import { applyContactEvent } from '#shared/campaigns/contact-events.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { CampaignInput } from '#shared/campaigns/model.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

const db = createDocumentClient();
const store = () => new Campaigns(db, TABLE_NAME());
const accounts = () => new Accounts(db, TABLE_NAME());
const connect = mockClient(ConnectClient);
let api: ReturnType<typeof apiClient>;

/** Monday 2026-11-23 10:00 in Shanghai: inside the default window. */
const MONDAY_10 = new Date('2026-11-23T02:00:00Z');
const fixed = (d: Date) => () => new Date(d);
const noSleep = async () => {};

/** A dialer that records what it was asked, and can throttle on demand. */
class RecordingDialer implements Dialer {
  readonly calls: DialRequest[] = [];
  throttleNext = 0;
  async dial(req: DialRequest) {
    if (this.throttleNext > 0) {
      this.throttleNext--;
      throw new DialThrottled('slow down');
    }
    this.calls.push(req);
    return { contactId: `contact-${req.callbackId}-${req.attempt}` };
  }
}

async function campaign(input: Partial<Parameters<typeof CampaignInput.parse>[0]> = {}, now = MONDAY_10) {
  // Generous caps by default: several tests call the same demo contacts on the same (fixed) day.
  const parsed = CampaignInput.parse({
    name: 'Key-account review',
    type: 'account-review',
    audience: { tiers: ['key'] },
    startNow: true,
    dailyCapPerRecipient: 10,
    pacing: { dialsPerMinute: 600, maxConcurrent: 500 },
    ...input,
  });
  const { targets, excluded } = await resolveAudience(accounts(), parsed.audience, parsed.type);
  return store().createCampaign(parsed, targets, excluded, 'test', now);
}

beforeAll(async () => {
  await loadDemo();
  api = apiClient((await import('#functions/campaigns/handler.ts')).handler, campaignRoutes);
});
afterEach(() => connect.reset());

describe('campaigns API', () => {
  it('previews an audience and creates a campaign from a segment, excluding do-not-call and unconsented contacts', async () => {
    const preview = await api('POST', '/campaigns/preview', {
      audience: { segments: ['electrical'], onePerAccount: false },
    });
    expect(preview.status).toBe(200);
    // The demo's two lost electrical accounts (Beichen, Dongfang) take retention calls only.
    expect(preview.json.excluded).toEqual({ 'do-not-call': 1, 'account-lost': 2 });
    const created = await api(
      'POST',
      '/campaigns',
      {
        name: '电器客户回访',
        type: 'account-review',
        audience: { segments: ['electrical'], onePerAccount: false },
      },
      { 'Idempotency-Key': 'campaign-electrical-1' },
    );
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      status: 'draft',
      counts: { targets: preview.json.targets, excluded: { 'do-not-call': 1, 'account-lost': 2 } },
      remaining: preview.json.targets,
    });
    const callbacks = (await api('GET', `/campaigns/${created.json.id}/callbacks`)).json.items;
    expect(callbacks).toHaveLength(preview.json.targets);
    expect(callbacks.every((c: { state: string }) => c.state === 'scheduled')).toBe(true);
    expect(callbacks.map((c: { contactName: string }) => c.contactName)).not.toContain('蔡雪');
    const started = await api('POST', `/campaigns/${created.json.id}/actions`, { action: 'start' });
    expect(started.json.status).toBe('running');
    const illegal = await api('POST', `/campaigns/${created.json.id}/actions`, { action: 'resume' });
    expect(illegal.status).toBe(409);
    await api('POST', `/campaigns/${created.json.id}/actions`, { action: 'cancel' });
  });

  it('answers 400 with field paths for a bad campaign', async () => {
    const bad = await api('POST', '/campaigns', {
      name: '',
      type: 'spam',
      audience: {},
      window: { start: '25:00' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.name', 'body.type', 'body.window.start']),
    );
  });
});

describe('dialer against DynamoDB Local', () => {
  it('dials every callback once, key accounts first, with the account’s screen-pop attributes', async () => {
    const c = await campaign();
    const dialer = new RecordingDialer();
    const run = await runDialer(
      { campaigns: store(), accounts: accounts().repo, dialer: dialer },
      {
        quotaPerSecond: 50,
        burst: 50,
        maxRunMs: 60_000,
        now: fixed(MONDAY_10),
        sleep: noSleep,
      },
    );
    const mine = dialer.calls.filter((d) => d.attributes.campaignId === c.id);
    expect(mine).toHaveLength(c.counts.targets);
    expect(run.dialed).toBeGreaterThanOrEqual(c.counts.targets);
    expect(mine[0]?.attributes).toEqual({
      accountId: expect.stringMatching(/^acc-/),
      accountName: expect.any(String),
      tier: 'key',
      // What the agent hears before the call connects (the OutboundWhisper flow speaks it).
      whisper: expect.stringMatching(/^外呼：.+，关键客户，大客户定期复盘。$/),
      callbackId: mine[0]?.callbackId,
      campaignId: c.id,
      reason: 'account-review',
      language: expect.any(String),
    });
    const after = await store().requireCampaign(c.id);
    expect(after.counts).toMatchObject({ dialed: c.counts.targets, active: c.counts.targets });
  });

  it('never lets two concurrent dialers dial the same callback', async () => {
    const c = await campaign({
      name: 'concurrency',
      audience: { tiers: ['key', 'high-growth', 'loyal'], onePerAccount: false },
    });
    const a = new RecordingDialer();
    const b = new RecordingDialer();
    // Without the one-run lease, as if it had run out: the callback claims alone keep the runs apart.
    const cfg = {
      quotaPerSecond: 100,
      burst: 100,
      maxRunMs: 60_000,
      now: fixed(MONDAY_10),
      sleep: noSleep,
      exclusive: false,
    };
    await Promise.all([
      runDialer({ campaigns: store(), accounts: accounts().repo, dialer: a }, cfg),
      runDialer({ campaigns: store(), accounts: accounts().repo, dialer: b }, cfg),
    ]);
    const ids = [...a.calls, ...b.calls]
      .filter((d) => d.attributes.campaignId === c.id)
      .map((d) => d.callbackId);
    expect(new Set(ids).size).toBe(ids.length);
    // Everything was dialed once, except contacts whose own window is closed now (Zurich at 03:00).
    const notDialed = (await store().listCallbacks(c.id)).filter((cb) => cb.state !== 'dialed');
    expect(
      notDialed.every((cb) => cb.state === 'scheduled' && Date.parse(cb.dueAt) > MONDAY_10.getTime()),
    ).toBe(true);
    expect(ids.length + notDialed.length).toBe(c.counts.targets);
    expect(notDialed.map((cb) => cb.timeZone)).toEqual(['Europe/Zurich']);
  });

  it('never dials outside a contact’s window: it reschedules to the next opening', async () => {
    const sunday = new Date('2026-11-22T02:00:00Z');
    const c = await campaign({ name: 'sunday', audience: { tiers: ['loyal'] } }, sunday);
    const dialer = new RecordingDialer();
    await runDialer(
      { campaigns: store(), accounts: accounts().repo, dialer: dialer },
      {
        quotaPerSecond: 50,
        burst: 50,
        maxRunMs: 60_000,
        now: fixed(sunday),
        sleep: noSleep,
      },
    );
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toEqual([]);
    const cbs = await store().listCallbacks(c.id);
    expect(cbs.every((cb) => cb.state === 'scheduled' && cb.dueAt >= '2026-11-23T01:00:00.000Z')).toBe(true);
  });

  it('never calls a number more often in a day than the cap allows', async () => {
    const day = new Date('2026-11-25T02:00:00Z');
    const a = await campaign(
      { name: 'cap-1', audience: { accountIds: ['acc-tianyuan-dairy'] }, dailyCapPerRecipient: 1 },
      day,
    );
    const b = await campaign(
      { name: 'cap-2', audience: { accountIds: ['acc-tianyuan-dairy'] }, dailyCapPerRecipient: 1 },
      day,
    );
    const dialer = new RecordingDialer();
    const run = await runDialer(
      { campaigns: store(), accounts: accounts().repo, dialer: dialer },
      {
        quotaPerSecond: 50,
        burst: 50,
        maxRunMs: 60_000,
        now: fixed(day),
        sleep: noSleep,
      },
    );
    expect(dialer.calls.filter((d) => [a.id, b.id].includes(d.attributes.campaignId ?? ''))).toHaveLength(1);
    expect(run.capped).toBe(1);
  });

  it('backs off on throttling and releases the work, which a later run dials', async () => {
    const c = await campaign({
      name: 'throttled',
      audience: { accountIds: ['acc-jinhe-grain', 'acc-kangtai-pharma', 'acc-meilian-appliances'] },
    });
    const dialer = new RecordingDialer();
    dialer.throttleNext = 1_000;
    const sleeps: number[] = [];
    let clock = MONDAY_10.getTime();
    const run = await runDialer(
      { campaigns: store(), accounts: accounts().repo, dialer: dialer },
      {
        quotaPerSecond: 50,
        burst: 50,
        maxRunMs: 2_000,
        maxConcurrency: 1,
        now: () => new Date(clock),
        sleep: async (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
        random: () => 0.5,
      },
    );
    expect(run.throttled).toBeGreaterThanOrEqual(3);
    expect(run.dialed).toBe(0);
    // Exponential backoff with jitter between throttled dials.
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
    expect(sleeps[1] ?? 0).toBeGreaterThan(sleeps[0] ?? 0);
    expect((await store().listCallbacks(c.id)).map((cb) => cb.state)).toEqual([
      'scheduled',
      'scheduled',
      'scheduled',
    ]);
    dialer.throttleNext = 0;
    await runDialer(
      { campaigns: store(), accounts: accounts().repo, dialer: dialer },
      {
        quotaPerSecond: 50,
        burst: 50,
        maxRunMs: 60_000,
        now: fixed(MONDAY_10),
        sleep: noSleep,
      },
    );
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toHaveLength(3);
  });

  it('does not dial paused campaigns, and cancels the callbacks of cancelled ones', async () => {
    const c = await campaign({ name: 'paused', audience: { accountIds: ['acc-kangtai-pharma'] } });
    await store().control(c.id, 'pause');
    const dialer = new RecordingDialer();
    await runDialer(
      { campaigns: store(), accounts: accounts().repo, dialer: dialer },
      {
        quotaPerSecond: 50,
        burst: 50,
        maxRunMs: 60_000,
        now: fixed(MONDAY_10),
        sleep: noSleep,
      },
    );
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toEqual([]);
    await store().control(c.id, 'cancel');
    await runDialer(
      { campaigns: store(), accounts: accounts().repo, dialer: dialer },
      {
        quotaPerSecond: 50,
        burst: 50,
        maxRunMs: 60_000,
        now: fixed(MONDAY_10),
        sleep: noSleep,
      },
    );
    expect((await store().listCallbacks(c.id)).map((cb) => cb.state)).toEqual(['cancelled']);
  });
});

describe('contact events', () => {
  /** The detail of an Amazon Connect contact event (the handler takes it out of EventBridge's envelope). */
  const event = (eventType: string, contactId: string, agent = false) => ({
    eventType,
    contactId,
    initiationMethod: 'API',
    ...(agent ? { agentInfo: { connectedToAgentTimestamp: '2026-11-23T02:00:05Z' } } : {}),
  });

  async function dialedCallback(name: string, retry = { delayMinutes: 30, maxAttempts: 2 }) {
    const c = await campaign({ name, audience: { accountIds: ['acc-norvasen-pharma'] }, retry });
    const dialer = new RecordingDialer();
    await runDialer(
      { campaigns: store(), accounts: accounts().repo, dialer: dialer },
      {
        quotaPerSecond: 50,
        burst: 50,
        maxRunMs: 60_000,
        now: fixed(MONDAY_10),
        sleep: noSleep,
      },
    );
    const call = dialer.calls.find((d) => d.attributes.campaignId === c.id);
    if (!call) throw new Error('not dialed');
    return { c, call, contactId: `contact-${call.callbackId}-${call.attempt}` };
  }

  it('connects then completes, and duplicates change nothing', async () => {
    const { c, call, contactId } = await dialedCallback('events-ok');
    expect(await applyContactEvent(store(), event('INITIATED', contactId), MONDAY_10)).toEqual({
      ignored: 'INITIATED does not change a callback',
    });
    expect(await applyContactEvent(store(), event('CONNECTED_TO_AGENT', contactId, true), MONDAY_10)).toEqual(
      { applied: 'connected' },
    );
    expect(
      await applyContactEvent(store(), event('CONNECTED_TO_AGENT', contactId, true), MONDAY_10),
    ).toMatchObject({ ignored: expect.any(String) });
    expect(await applyContactEvent(store(), event('DISCONNECTED', contactId, true), MONDAY_10)).toEqual({
      applied: 'completed',
    });
    expect(await applyContactEvent(store(), event('DISCONNECTED', contactId, true), MONDAY_10)).toMatchObject(
      { ignored: expect.any(String) },
    );
    expect((await store().requireCallback(call.callbackId)).state).toBe('completed');
    expect((await store().requireCampaign(c.id)).counts).toMatchObject({
      dialed: 1,
      reached: 1,
      completed: 1,
      active: 0,
    });
  });

  it('is safe when DISCONNECTED arrives before CONNECTED_TO_AGENT', async () => {
    const { c, contactId } = await dialedCallback('events-reordered');
    expect(await applyContactEvent(store(), event('DISCONNECTED', contactId, true), MONDAY_10)).toEqual({
      applied: 'completed',
    });
    expect(
      await applyContactEvent(store(), event('CONNECTED_TO_AGENT', contactId, true), MONDAY_10),
    ).toMatchObject({ ignored: expect.any(String) });
    expect((await store().requireCampaign(c.id)).counts).toMatchObject({
      reached: 1,
      completed: 1,
      active: 0,
    });
  });

  it('retries a no-answer after the delay, then fails after the last attempt', async () => {
    const { c, call, contactId } = await dialedCallback('events-no-answer');
    expect(await applyContactEvent(store(), event('DISCONNECTED', contactId), MONDAY_10)).toEqual({
      applied: 'retry-scheduled',
    });
    const retry = await store().requireCallback(call.callbackId);
    expect(retry).toMatchObject({ state: 'retry-scheduled', attempts: 1 });
    expect(Date.parse(retry.dueAt) - MONDAY_10.getTime()).toBe(30 * 60_000);
    const later = new Date(MONDAY_10.getTime() + 31 * 60_000);
    const dialer = new RecordingDialer();
    await runDialer(
      { campaigns: store(), accounts: accounts().repo, dialer: dialer },
      {
        quotaPerSecond: 50,
        burst: 50,
        maxRunMs: 60_000,
        now: fixed(later),
        sleep: noSleep,
      },
    );
    const second = dialer.calls.find((d) => d.callbackId === call.callbackId);
    expect(second?.attempt).toBe(2);
    expect(
      await applyContactEvent(store(), event('DISCONNECTED', `contact-${call.callbackId}-2`), later),
    ).toEqual({ applied: 'failed' });
    expect(await applyContactEvent(store(), event('DISCONNECTED', contactId), later)).toMatchObject({
      ignored: expect.any(String),
    });
    expect((await store().requireCampaign(c.id)).counts).toMatchObject({ dialed: 2, failed: 1, active: 0 });
  });
});

describe('Amazon Connect dialer (mocked Connect)', () => {
  it('sends the exact StartOutboundVoiceContact request with a ClientToken stable per attempt', async () => {
    connect.on(StartOutboundVoiceContactCommand).resolves({ ContactId: 'c-1' });
    const dialer = new ConnectDialer(new ConnectClient({ region: 'cn-north-1' }), {
      instanceId: 'inst-1',
      contactFlowId: 'flow-1',
      queueId: 'queue-1',
    });
    const req = {
      callbackId: 'cb-1',
      attempt: 2,
      phone: '+8613910012001',
      attributes: {
        accountId: 'acc-jinhe-grain',
        callbackId: 'cb-1',
        campaignId: 'k1',
        reason: 'account-review',
      },
    };
    await dialer.dial(req);
    await dialer.dial(req);
    const inputs = connect.commandCalls(StartOutboundVoiceContactCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({
      InstanceId: 'inst-1',
      ContactFlowId: 'flow-1',
      QueueId: 'queue-1',
      DestinationPhoneNumber: '+8613910012001',
      Attributes: req.attributes,
      ClientToken: 'cb-1-2',
    });
    expect(inputs[1]?.ClientToken).toBe(inputs[0]?.ClientToken);
  });

  it('turns TooManyRequestsException into a throttle the dialer backs off from', async () => {
    connect
      .on(StartOutboundVoiceContactCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const dialer = new ConnectDialer(new ConnectClient({ region: 'cn-north-1', maxAttempts: 1 }), {
      instanceId: 'i',
      contactFlowId: 'f',
      sourcePhoneNumber: '+864008208888',
    });
    await expect(
      dialer.dial({ callbackId: 'x', attempt: 1, phone: '+8613910012001', attributes: {} }),
    ).rejects.toBeInstanceOf(DialThrottled);
  });
});

describe('IVR callback requests', () => {
  it('books one pending callback per number, answers “already scheduled”, and the dialer dials it', async () => {
    const { handler } = await import('#functions/ivr-callback/handler.ts');
    const first = await handler(contactFlowEvent({ from: '+8613910012002' }));
    const second = await handler(contactFlowEvent({ from: '+8613910012002' }));
    expect(first).toMatchObject({ scheduled: 'true', status: 'scheduled', language: 'zh-CN' });
    expect(second).toMatchObject({
      scheduled: 'true',
      status: 'already-scheduled',
      callbackId: first.callbackId,
    });
    expect(first.prompt).toContain('我们将于');
    const dialer = new RecordingDialer();
    const at = new Date(Math.max(Date.parse(first.dueAt ?? ''), MONDAY_10.getTime()) + 1000);
    await runDialer(
      { campaigns: store(), accounts: accounts().repo, dialer: dialer },
      {
        quotaPerSecond: 50,
        burst: 50,
        maxRunMs: 60_000,
        now: fixed(at),
        sleep: noSleep,
      },
    );
    expect(dialer.calls.filter((d) => d.callbackId === first.callbackId)).toHaveLength(1);
    const unknown = await handler(contactFlowEvent({ from: '+8613700001234' }));
    expect(unknown).toMatchObject({ scheduled: 'false', status: 'unknown-caller' });
  });
});
