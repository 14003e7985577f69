import { beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '#functions/campaigns/routes.ts';
import { contactEvent, contactFlowEvent, type SimulatedCall } from '#local/connect-simulator.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { CallJournal } from '#shared/inbound/journal.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { loadDemo } from '../support/demo.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;
let screenPop: Handler;
let contactEvents: Handler;
let api: ReturnType<typeof apiClient>;
const db = createDocumentClient();
const journal = () => new CallJournal(db, TABLE_NAME());

beforeAll(async () => {
  await loadDemo();
  screenPop = (await import('#functions/screen-pop/handler.ts')).handler as Handler;
  contactEvents = (await import('#functions/contact-events/handler.ts')).handler as Handler;
  api = apiClient((await import('#functions/campaigns/handler.ts')).handler, campaignRoutes);
});

const call = (c: SimulatedCall) => screenPop(contactFlowEvent(c), { getRemainingTimeInMillis: () => 8000 });

/** A contact event exactly as EventBridge delivers it. */
const event = (contactId: string, eventType: string, detail: Record<string, unknown> = {}) =>
  contactEvents(contactEvent(eventType, contactId, 'INBOUND', detail));

const QUEUED = { queueInfo: { enqueueTimestamp: '2026-11-27T02:00:05.000Z' } };

describe('caller journal: screen pop and contact events against DynamoDB Local', () => {
  it('keeps the named line whichever of the screen pop’s two writes lands first', async () => {
    const line = {
      contactId: 'j-order',
      at: '2026-11-27T02:00:00.000Z',
      e164: '+8613910012001',
      lookupStatus: 'pending' as const,
      outcome: 'live' as const,
    };
    const named = {
      ...line,
      accountId: 'acc-jinhe-grain',
      accountName: '金禾粮油集团',
      lookupStatus: 'ok' as const,
    };
    // The naming first (the screen pop does not wait for the opening): the opening changes nothing.
    await journal().name(named);
    expect(await journal().open(line)).toBe(false);
    expect(await journal().get('j-order')).toMatchObject({
      accountId: 'acc-jinhe-grain',
      lookupStatus: 'ok',
    });
    // The usual order: opened, then named.
    expect(await journal().open({ ...line, contactId: 'j-order-2' })).toBe(true);
    await journal().name({ ...named, contactId: 'j-order-2' });
    expect(await journal().get('j-order-2')).toMatchObject({
      accountId: 'acc-jinhe-grain',
      lookupStatus: 'ok',
    });
  });

  it('keeps how the call went when the naming lands late (a slow write finishing after the events)', async () => {
    const line = {
      contactId: 'j-late-name',
      at: '2026-11-27T02:00:00.000Z',
      e164: '+8613910012001',
      lookupStatus: 'pending' as const,
      outcome: 'live' as const,
    };
    expect(await journal().open(line)).toBe(true);
    expect(
      await journal().apply('j-late-name', { eventType: 'QUEUED', at: '2026-11-27T02:00:05.000Z' }),
    ).toBe('queued');
    expect(
      await journal().apply('j-late-name', {
        eventType: 'DISCONNECTED',
        at: '2026-11-27T02:01:00.000Z',
        disconnectReason: 'CUSTOMER_DISCONNECT',
      }),
    ).toBe('abandoned');
    // The screen pop's naming, held up (retried, or resumed with the next invocation), lands now.
    await journal().name({
      ...line,
      accountId: 'acc-jinhe-grain',
      accountName: '金禾粮油集团',
      tier: 'key',
      lookupStatus: 'ok',
    });
    expect(await journal().get('j-late-name')).toMatchObject({
      accountId: 'acc-jinhe-grain',
      lookupStatus: 'ok',
      outcome: 'abandoned',
      queuedAt: '2026-11-27T02:00:05.000Z',
      endedAt: '2026-11-27T02:01:00.000Z',
    });
  });

  it('opens a line for every inbound call: named for a known caller, pending for an unknown or withheld one', async () => {
    await call({ from: '+8613910012001', contactId: 'j-known' });
    await call({ from: '+8613700000777', contactId: 'j-unknown' });
    await call({ from: 'anonymous', contactId: 'j-withheld' });
    await call({ from: '+8613910012001', contactId: 'j-outbound', initiationMethod: 'OUTBOUND' });
    expect(await journal().get('j-known')).toMatchObject({
      e164: '+8613910012001',
      accountId: 'acc-jinhe-grain',
      accountName: '金禾粮油集团',
      contactName: '赵敏',
      tier: 'key',
      lookupStatus: 'ok',
      outcome: 'live',
    });
    expect(await journal().get('j-unknown')).toMatchObject({
      e164: '+8613700000777',
      lookupStatus: 'pending',
      outcome: 'live',
    });
    expect((await journal().get('j-unknown'))?.accountId).toBeUndefined();
    const withheld = await journal().get('j-withheld');
    expect(withheld).toMatchObject({ lookupStatus: 'pending', outcome: 'live' });
    expect(withheld?.e164).toBeUndefined();
    // An outbound call's whisper runs the screen pop too; it is not an inbound call.
    expect(await journal().get('j-outbound')).toBeUndefined();
  });

  it('moves a line along from contact events: queued, then abandoned, missed or answered', async () => {
    await call({ from: '+8613311009001', contactId: 'j-abandon' });
    await call({ from: '+8613311009001', contactId: 'j-missed' });
    await call({ from: '+41446681800', contactId: 'j-answered' });
    await call({ from: '+41446681800', contactId: 'j-ivr' });
    expect(await event('j-abandon', 'QUEUED', QUEUED)).toEqual({ applied: 'inbound call queued' });
    expect(
      await event('j-abandon', 'DISCONNECTED', {
        ...QUEUED,
        disconnectTimestamp: '2026-11-27T02:01:00.000Z',
        disconnectReason: 'CUSTOMER_DISCONNECT',
      }),
    ).toEqual({ applied: 'inbound call abandoned' });
    // The system ended it in the queue (closed, no agent, queue full): missed. QUEUED was lost.
    expect(
      await event('j-missed', 'DISCONNECTED', {
        ...QUEUED,
        disconnectTimestamp: '2026-11-27T02:04:00.000Z',
        disconnectReason: 'CONTACT_FLOW_DISCONNECT',
      }),
    ).toEqual({ applied: 'inbound call missed' });
    await event('j-answered', 'QUEUED', QUEUED);
    await event('j-answered', 'CONNECTED_TO_AGENT', {
      ...QUEUED,
      agentInfo: { connectedToAgentTimestamp: '2026-11-27T02:00:30.000Z' },
    });
    await event('j-answered', 'DISCONNECTED', {
      ...QUEUED,
      agentInfo: { connectedToAgentTimestamp: '2026-11-27T02:00:30.000Z' },
      disconnectTimestamp: '2026-11-27T02:06:00.000Z',
      disconnectReason: 'AGENT_DISCONNECT',
    });
    await event('j-ivr', 'DISCONNECTED', { disconnectReason: 'CUSTOMER_DISCONNECT' });
    expect(await journal().get('j-abandon')).toMatchObject({
      outcome: 'abandoned',
      queuedAt: '2026-11-27T02:00:05.000Z',
      endedAt: '2026-11-27T02:01:00.000Z',
    });
    expect((await journal().get('j-missed'))?.outcome).toBe('missed');
    expect(await journal().get('j-answered')).toMatchObject({
      outcome: 'answered',
      answeredAt: '2026-11-27T02:00:30.000Z',
      endedAt: '2026-11-27T02:06:00.000Z',
    });
    expect((await journal().get('j-ivr'))?.outcome).toBe('ivr');
    // A redelivered or late event changes nothing; an unknown contact is ignored.
    expect(await event('j-abandon', 'QUEUED', QUEUED)).toMatchObject({ ignored: expect.any(String) });
    expect(
      await event('j-abandon', 'CONNECTED_TO_AGENT', { agentInfo: { connectedToAgentTimestamp: 'x' } }),
    ).toMatchObject({ ignored: expect.any(String) });
    expect((await journal().get('j-abandon'))?.outcome).toBe('abandoned');
    expect(await event('j-nobody', 'QUEUED', QUEUED)).toMatchObject({ ignored: expect.any(String) });
  });

  it('applies concurrent events of one call to one consistent line', async () => {
    await call({ from: '+8613910012003', contactId: 'j-race' });
    await Promise.all([
      event('j-race', 'QUEUED', QUEUED),
      event('j-race', 'CONNECTED_TO_AGENT', {
        agentInfo: { connectedToAgentTimestamp: '2026-11-27T02:00:20.000Z' },
      }),
    ]);
    // Whatever the order, an answered call stays answered (QUEUED after it changes nothing).
    expect((await journal().get('j-race'))?.outcome).toBe('answered');
  });
});

describe('caller journal over HTTP', () => {
  it('lists calls needing a callback first, and names a number attached after the call', async () => {
    await call({ from: '+8613700000888', contactId: 'j-later-known' });
    await event('j-later-known', 'DISCONNECTED', { ...QUEUED, disconnectReason: 'CUSTOMER_DISCONNECT' });
    let res = await api('GET', '/calls');
    expect(res.status).toBe(200);
    const lines: { contactId: string; needsCallback: boolean; accountId?: string; lookupStatus: string }[] =
      res.json.items;
    const firstHandled = lines.findIndex((l) => !l.needsCallback);
    expect(lines.slice(0, firstHandled).every((l) => l.needsCallback)).toBe(true);
    expect(lines.slice(firstHandled).every((l) => !l.needsCallback)).toBe(true);
    expect(lines.find((l) => l.contactId === 'j-later-known')).toMatchObject({ needsCallback: true });
    expect(lines.find((l) => l.contactId === 'j-later-known')?.accountId).toBeUndefined();
    // The agent attaches the number to a new account: the journal names the call by it now.
    await new Accounts(db, TABLE_NAME()).save(
      'acc-later-known',
      AccountInput.parse(
        accountBody({ name: '后来客户', contacts: [{ name: '晚到', phones: [{ number: '13700000888' }] }] }),
      ),
    );
    res = await api('GET', '/calls');
    expect(res.json.items.find((l: { contactId: string }) => l.contactId === 'j-later-known')).toMatchObject({
      accountName: '后来客户',
      contactName: '晚到',
      lookupStatus: 'now',
    });
    expect((await api('GET', '/calls?hours=49')).status).toBe(400);
  });

  it('books one callback per number from a missed call, and says why it cannot for others', async () => {
    const targets = async () =>
      (await api('GET', '/campaigns/customer-callbacks')).json?.counts?.targets ?? 0;
    const before = await targets();
    const missed = (await api('POST', '/calls/j-missed/callback')).json;
    expect(missed).toMatchObject({
      created: true,
      callback: {
        campaignId: 'customer-callbacks',
        accountId: 'acc-kangtai-pharma',
        contactId: 'kangtai-yang',
        phone: '+8613311009001',
        state: 'scheduled',
      },
    });
    expect((await journal().get('j-missed'))?.callbackId).toBe(missed.callback.id);
    // The abandoned call from the same number: the same pending callback, not a second.
    const again = await api('POST', '/calls/j-abandon/callback');
    expect(again.json).toMatchObject({ created: false, callback: { id: missed.callback.id } });
    // The standing campaign counts it as a target, once (its panel never says "targets 0").
    expect(await targets()).toBe(before + 1);
    const lines = (await api('GET', '/calls')).json.items as { contactId: string; needsCallback: boolean }[];
    expect(lines.find((l) => l.contactId === 'j-missed')?.needsCallback).toBe(false);

    const refused = async (contactId: string) => (await api('POST', `/calls/${contactId}/callback`)).json;
    expect(await refused('j-withheld')).toMatchObject({ error: 'illegal_transition', reason: 'withheld' });
    await call({ from: '+8613700000999', contactId: 'j-stranger' });
    expect(await refused('j-stranger')).toMatchObject({ error: 'illegal_transition', reason: 'not-in-book' });
    await call({ from: '+8613575708002', contactId: 'j-dnc' }); // 蔡雪 of 美联电器: do-not-call
    expect(await refused('j-dnc')).toMatchObject({ error: 'illegal_transition', reason: 'do-not-call' });
    expect((await api('POST', '/calls/j-none/callback')).status).toBe(404);
  });
});
