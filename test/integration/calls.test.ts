/**
 * Calls the caller can trust: consent at the moment of the call, a callback lifecycle without
 * dead ends, and a dialer that keeps to one run, the window and the quota. DynamoDB Local, with
 * Connect mocked where the commands sent are asserted.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConnectClient,
  DescribeContactCommand,
  StartOutboundVoiceContactCommand,
} from '@aws-sdk/client-connect';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DateTime } from 'luxon';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { AccountInput, type AccountWithContacts } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { resolveAudience } from '#shared/campaigns/audience.ts';
import { type CallStatus, MAX_CLAIMS } from '#shared/campaigns/callback.ts';
import {
  ConnectDialer,
  type Dialer,
  DialRejected,
  type DialRequest,
} from '#shared/campaigns/connect-dialer.ts';
import { applyContactEvent } from '#shared/campaigns/contact-events.ts';
import { type DialerConfig, type DialerDeps, runDialer } from '#shared/campaigns/dialer.ts';
import { CampaignInput } from '#shared/campaigns/model.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { CallLog } from '#shared/inbound/directory.ts';
import { proactiveCall } from '#shared/notify/proactive-call.ts';
import { Claims } from '#shared/platform/dynamo/claim.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { transactWrite } from '#shared/platform/dynamo/transact.ts';
import { localDate } from '#shared/platform/time.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const campaigns = () => new Campaigns(db, TABLE_NAME());
const accounts = () => new Accounts(db, TABLE_NAME());
const connect = mockClient(ConnectClient);
afterEach(() => connect.reset());

/** Monday 2026-11-23 10:00 in Shanghai: inside the default window. */
const MONDAY_10 = new Date('2026-11-23T02:00:00Z');
const at = (minutes: number) => new Date(MONDAY_10.getTime() + minutes * 60_000);
const noSleep = async () => {};

/** Records each dial; can fail one callback's dial, and answers DescribeContact from a table. */
class RecordingDialer implements Dialer {
  readonly calls: DialRequest[] = [];
  readonly statuses = new Map<string, CallStatus>();
  failFor = new Map<string, Error>();
  async dial(req: DialRequest) {
    const failure = this.failFor.get(req.callbackId);
    if (failure) throw failure;
    this.calls.push(req);
    return { contactId: `contact-${req.callbackId}-${req.attempt}` };
  }
  async describe(contactId: string): Promise<CallStatus> {
    return this.statuses.get(contactId) ?? { kind: 'unknown' };
  }
}

function dial(dialer: Dialer, now: Date, cfg: Partial<DialerConfig> = {}, deps: Partial<DialerDeps> = {}) {
  return runDialer(
    { campaigns: campaigns(), accounts: accounts().repo, dialer, ...deps },
    { quotaPerSecond: 50, burst: 50, maxRunMs: 60_000, now: () => new Date(now), sleep: noSleep, ...cfg },
  );
}

let seq = 0;
type Body = z.input<typeof AccountInput>;
type ContactBody = NonNullable<Body['contacts']>[number];

/** A fresh account with one consenting contact (or the contacts given), saved at MONDAY_10. */
async function freshAccount(contacts?: Partial<ContactBody>[], extra: Partial<Body> = {}) {
  const n = ++seq;
  const id = `acc-calls-${n}`;
  const list = (contacts ?? [{}]).map((c, i) => ({
    id: `c-${n}-${i}`,
    name: `联系人${n}-${i}`,
    phones: [{ number: `+86138${String(20_000_000 + n * 10 + i)}`, label: 'mobile' as const }],
    consent: { calls: true, sms: true, email: true },
    ...c,
  }));
  const body = accountBody({ contacts: list, ...extra });
  const { account } = await accounts().save(id, AccountInput.parse(body), { now: MONDAY_10 });
  return { account, body };
}

/** Saves a change to an account, as an agent would, at `when`. */
async function change(a: { account: AccountWithContacts; body: Body }, edit: (b: Body) => Body, when: Date) {
  const current = await accounts().get(a.account.id);
  const body = { ...edit(a.body), version: current?.version };
  const { account } = await accounts().save(a.account.id, AccountInput.parse(body), { now: when });
  return { account, body };
}

async function campaignFor(
  accountIds: string[],
  input: Partial<z.input<typeof CampaignInput>> = {},
  created = MONDAY_10,
) {
  const parsed = CampaignInput.parse({
    name: `calls ${++seq}`,
    type: 'account-review',
    audience: { accountIds, onePerAccount: false },
    startNow: true,
    dailyCapPerRecipient: 10,
    pacing: { dialsPerMinute: 600, maxConcurrent: 500 },
    ...input,
  });
  const { targets, excluded } = await resolveAudience(accounts(), parsed.audience, parsed.type);
  return campaigns().createCampaign(parsed, targets, excluded, 'test', created);
}

/**
 * Mondays 10:00 in Shanghai in December, one per test that dials at its own date (week 1 = Dec 7):
 * later than every other test's callbacks, so those are all that its runs find beside its own.
 */
const december = (week: number) => new Date(Date.parse('2026-11-30T02:00:00Z') + week * 7 * 86_400_000);
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

/** The registry, crashing (a Lambda timeout) the first `times` reads of one account's standing. */
const crashFor = (accountId: string, times: number, counter = { n: 0 }) => ({
  callStanding: async (a: string, c: string | undefined) => {
    if (a === accountId && counter.n++ < times) throw new Error('Task timed out');
    return accounts().repo.callStanding(a, c);
  },
});

const target = (account: AccountWithContacts, i = 0) => {
  const contact = account.contacts[i];
  if (!contact?.phones[0]) throw new Error('no contact');
  return { account, contact, phone: contact.phones[0].e164, timeZone: 'Asia/Shanghai' };
};

/** A complaint by the account's first contact, filed, acknowledged and resolved: its 回访 booked. */
async function resolvedComplaint(a: { account: AccountWithContacts }) {
  const complaints = new Complaints(db, TABLE_NAME(), campaigns());
  const { complaint } = await complaints.create(
    {
      accountId: a.account.id,
      contactId: a.account.contacts[0]?.id,
      waybills: [],
      category: 'delay',
      severity: 'medium',
      channel: 'agent-phone',
      description: '到货晚了两天',
    },
    a.account,
    'agent',
    { now: MONDAY_10 },
  );
  const ack = await complaints.transition(complaint.id, 'acknowledged', {
    version: complaint.version,
    by: 'agent',
    now: at(1),
  });
  const resolved = await complaints.transition(complaint.id, 'resolved', {
    version: ack.version,
    by: 'agent',
    now: at(2),
  });
  const followUp = resolved.followUp;
  if (!followUp) throw new Error('no follow-up booked');
  return { complaints, resolved, followUp };
}

describe('the account’s call history follows the call', () => {
  it('marks the placed call’s line with how it went (here: no answer)', async () => {
    const a = await freshAccount();
    const c = await campaignFor([a.account.id]);
    const dialer = new RecordingDialer();
    await dial(dialer, at(2));
    const [cb] = await campaigns().listCallbacks(c.id);
    expect(cb?.state).toBe('dialed');
    await campaigns().applyOutcome(cb?.id ?? '', 1, 'no-answer', at(3));
    const log = () => new CallLog(db, TABLE_NAME()).recent(a.account.id);
    expect(await log()).toEqual([
      expect.objectContaining({ outcome: 'dialed', result: 'no-answer', callbackId: cb?.id }),
    ]);
  });
});

describe('consent, do-not-call and the account’s status are checked when the call is placed', () => {
  it('does not dial a contact who opted out after the campaign was planned: skipped, counted by reason, on the card', async () => {
    const a = await freshAccount();
    const c = await campaignFor([a.account.id]);
    expect(c.counts.targets).toBe(1);
    await change(a, (b) => ({ ...b, contacts: b.contacts?.map((x) => ({ ...x, doNotCall: true })) }), at(1));
    const dialer = new RecordingDialer();
    const run = await dial(dialer, at(2));
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toEqual([]);
    expect(run.skipped).toBeGreaterThanOrEqual(1);
    const [cb] = await campaigns().listCallbacks(c.id);
    expect(cb).toMatchObject({ state: 'skipped', skipReason: 'do-not-call' });
    expect(cb?.notes).toContain('已设免打扰');
    expect(cb?.notes).toContain('do-not-call is set');
    const after = await campaigns().requireCampaign(c.id);
    expect(after.counts).toMatchObject({ skipped: 1, skippedBy: { 'do-not-call': 1 }, dialed: 0 });
    // The campaign is done: its one target ended (not placed), so it completes.
    expect(after.status).toBe('completed');
    const log = await new CallLog(db, TABLE_NAME()).recent(a.account.id);
    expect(log).toEqual([
      expect.objectContaining({
        direction: 'outbound',
        outcome: 'skipped',
        skipReason: 'do-not-call',
        callbackId: cb?.id,
        reason: 'account-review',
        at: at(2).toISOString(),
      }),
    ]);
  });

  it('does not dial when call consent was withdrawn, a number removed, or the account lost', async () => {
    const withdrawn = await freshAccount();
    const renumbered = await freshAccount();
    const lost = await freshAccount();
    const c = await campaignFor([withdrawn.account.id, renumbered.account.id, lost.account.id]);
    expect(c.counts.targets).toBe(3);
    await change(
      withdrawn,
      (b) => ({
        ...b,
        contacts: b.contacts?.map((x) => ({ ...x, consent: { calls: false, sms: true, email: true } })),
      }),
      at(1),
    );
    await change(
      renumbered,
      (b) => ({
        ...b,
        contacts: b.contacts?.map((x) => ({ ...x, phones: [{ number: '+8613999990000', label: 'mobile' }] })),
      }),
      at(1),
    );
    await change(lost, (b) => ({ ...b, status: 'lost', statusReason: '转投竞争对手' }), at(1));
    const dialer = new RecordingDialer();
    await dial(dialer, at(2));
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toEqual([]);
    const reasons = Object.fromEntries(
      (await campaigns().listCallbacks(c.id)).map((cb) => [cb.accountId, cb.skipReason]),
    );
    expect(reasons).toEqual({
      [withdrawn.account.id]: 'no-consent',
      [renumbered.account.id]: 'number-removed',
      [lost.account.id]: 'account-lost',
    });
    expect((await campaigns().requireCampaign(c.id)).counts.skippedBy).toEqual({
      'no-consent': 1,
      'number-removed': 1,
      'account-lost': 1,
    });
  });

  it('lets a retention campaign call a lost account, and leaves a closed one out when it is planned', async () => {
    const lost = await freshAccount([{}], { status: 'lost', statusReason: '价格原因' });
    const closed = await freshAccount([{}], { status: 'closed' });
    const retention = await campaignFor([lost.account.id, closed.account.id], { type: 'retention' });
    expect(retention.counts).toMatchObject({ targets: 1, excluded: { 'account-closed': 1 } });
    // A review of the lost account alone has nobody to call: refused, never left running empty.
    await expect(campaignFor([lost.account.id])).rejects.toMatchObject({
      errors: [{ path: 'body.audience', message: expect.stringMatching(/1 excluded/) }],
    });
    const dialer = new RecordingDialer();
    await dial(dialer, at(2));
    expect(dialer.calls.filter((d) => d.attributes.campaignId === retention.id)).toHaveLength(1);
  });

  it('places a callback the client asked for without standing consent, but not once they opted out after asking', async () => {
    const a = await freshAccount([{ consent: { calls: false, sms: false, email: false } }]);
    const first = await campaigns().requestCallback(target(a.account), MONDAY_10);
    expect(first.created).toBe(true);
    const dialer = new RecordingDialer();
    await dial(dialer, MONDAY_10);
    expect(dialer.calls.map((d) => d.callbackId)).toContain(first.callback.id);

    const b = await freshAccount([{ consent: { calls: false, sms: false, email: false } }]);
    const asked = await campaigns().requestCallback(target(b.account), MONDAY_10);
    await change(b, (x) => ({ ...x, contacts: x.contacts?.map((c) => ({ ...c, doNotCall: true })) }), at(1));
    await dial(dialer, at(2));
    expect(dialer.calls.map((d) => d.callbackId)).not.toContain(asked.callback.id);
    expect(await campaigns().requireCallback(asked.callback.id)).toMatchObject({
      state: 'skipped',
      skipReason: 'do-not-call',
    });
    // The slot is free again; asking after opting out is asking, and that call is placed.
    const again = await campaigns().requestCallback(target(b.account), at(3));
    expect(again.created).toBe(true);
    await dial(dialer, at(3));
    expect(dialer.calls.map((d) => d.callbackId)).toContain(again.callback.id);
  });

  it('checks a complaint follow-up call (回访) too', async () => {
    const a = await freshAccount();
    const { followUp } = await resolvedComplaint(a);
    await change(a, (b) => ({ ...b, contacts: b.contacts?.map((x) => ({ ...x, doNotCall: true })) }), at(3));
    const dialer = new RecordingDialer();
    await dial(dialer, new Date(followUp.dueAt));
    expect(dialer.calls.map((d) => d.callbackId)).not.toContain(followUp.callbackId);
    expect(await campaigns().requireCallback(followUp.callbackId)).toMatchObject({
      reason: 'complaint-follow-up',
      state: 'skipped',
      skipReason: 'do-not-call',
    });
  });

  it('checks the calling window in the contact’s zone as it stands at the call, not as planned', async () => {
    const T = december(2); // Monday 10:00 in Shanghai, 03:00 in Zurich
    const a = await freshAccount([{ timeZone: 'Asia/Shanghai' }]);
    const c = await campaignFor([a.account.id], {}, T);
    const [planned] = await campaigns().listCallbacks(c.id);
    expect(planned?.timeZone).toBe('Asia/Shanghai');
    await change(
      a,
      (b) => ({ ...b, contacts: b.contacts?.map((x) => ({ ...x, timeZone: 'Europe/Zurich' })) }),
      plus(T, 1),
    );
    const dialer = new RecordingDialer();
    await dial(dialer, plus(T, 2));
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toEqual([]);
    // It waits for the window to open in Zurich (09:00 there), and keeps the zone.
    const zurich9 = '2026-12-14T08:00:00.000Z';
    expect(await campaigns().requireCallback(planned?.id ?? '')).toMatchObject({
      state: 'scheduled',
      dueAt: zurich9,
      timeZone: 'Europe/Zurich',
    });
    await dial(dialer, new Date(zurich9));
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toHaveLength(1);
  });
});

describe('a complaint follow-up (回访) whose outcome the agent records', () => {
  const counts = async () => (await campaigns().requireCampaign('complaint-follow-up')).counts;
  const event = (eventType: string, contactId: string, t: Date) => ({
    eventType,
    contactId,
    initiationMethod: 'API',
    agentInfo: { connectedToAgentTimestamp: t.toISOString() },
  });

  it('recorded during the call: the call leaves the campaign’s active calls, once', async () => {
    const { complaints, resolved, followUp } = await resolvedComplaint(await freshAccount());
    const due = new Date(followUp.dueAt);
    const dialer = new RecordingDialer();
    await dial(dialer, due);
    expect(dialer.calls.map((d) => d.callbackId)).toContain(followUp.callbackId);
    const contactId = `contact-${followUp.callbackId}-1`;
    const during = new Date(due.getTime() + 60_000);
    await applyContactEvent(campaigns(), event('CONNECTED_TO_AGENT', contactId, during), during);
    const before = await counts();
    // The agent records the client's score while still on the call; the call ends after.
    await complaints.recordFollowUp(resolved.id, {
      score: 5,
      accepted: true,
      version: resolved.version,
      by: 'agent',
      now: new Date(due.getTime() + 180_000),
    });
    const ended = new Date(due.getTime() + 240_000);
    await applyContactEvent(campaigns(), event('DISCONNECTED', contactId, ended), ended);
    const after = await counts();
    expect(after.active).toBe(before.active - 1);
    expect(after.completed).toBe(before.completed + 1);
    expect(await campaigns().requireCallback(followUp.callbackId)).toMatchObject({ state: 'completed' });
  });

  it('recorded before the call (the agent phoned the client): completed, and never dialed', async () => {
    const { complaints, resolved, followUp } = await resolvedComplaint(await freshAccount());
    const before = await counts();
    const closed = await complaints.recordFollowUp(resolved.id, {
      score: 4,
      accepted: true,
      version: resolved.version,
      by: 'agent',
      now: at(5),
    });
    expect(closed.status).toBe('closed');
    expect(await campaigns().requireCallback(followUp.callbackId)).toMatchObject({ state: 'completed' });
    const after = await counts();
    expect(after.completed).toBe(before.completed + 1);
    expect(after.active).toBe(before.active);
    const dialer = new RecordingDialer();
    await dial(dialer, new Date(followUp.dueAt));
    expect(dialer.calls.map((d) => d.callbackId)).not.toContain(followUp.callbackId);
  });
});

describe('every booked call is placed in the contact’s own time zone', () => {
  it('a proactive delay call and a complaint follow-up to a Swiss number with no zone set go by Zurich time', async () => {
    const a = await freshAccount([{ phones: [{ number: '+41 44 668 18 77', label: 'mobile' }] }]);
    const swiss = target(a.account).phone;
    // Monday 10:00 in Shanghai is 03:00 in Zurich.
    const callbackId = await proactiveCall(
      { db, tableName: TABLE_NAME(), campaigns: campaigns(), accounts: accounts() },
      {
        type: 'DelayDetected',
        waybill: `71990${String(seq).padStart(5, '0')}`,
        accountId: a.account.id,
        tier: 'key',
        severity: 'critical',
        trigger: 'exception',
        minutesLate: 600,
        eta: at(600).toISOString(),
        createdAt: MONDAY_10.toISOString(),
      },
      MONDAY_10,
    );
    const proactive = await campaigns().requireCallback(callbackId ?? '');
    expect(proactive).toMatchObject({ phone: swiss, timeZone: 'Europe/Zurich' });
    const { resolved } = await resolvedComplaint(a);
    const followUp = await campaigns().requireCallback(resolved.followUp?.callbackId ?? '');
    expect(followUp).toMatchObject({ phone: swiss, timeZone: 'Europe/Zurich' });
    // Neither is dialed at 03:00 in Zurich.
    const dialer = new RecordingDialer();
    await dial(dialer, MONDAY_10);
    expect(dialer.calls.filter((d) => d.phone === swiss)).toEqual([]);
    for (const cb of [proactive, followUp]) {
      const local = DateTime.fromISO(cb.dueAt, { zone: 'Europe/Zurich' });
      expect(local.hour).toBeGreaterThanOrEqual(9);
    }
  });
});

describe('the callback lifecycle has no dead ends', () => {
  const ivr = async (from: string, contactId: string) =>
    (await import('#functions/ivr-callback/handler.ts')).handler(contactFlowEvent({ from, contactId }), {
      getRemainingTimeInMillis: () => 5000,
    });

  it('frees the number when Connect refuses it, so the next request books a new callback', async () => {
    const a = await freshAccount();
    const phone = target(a.account).phone;
    const { callback } = await campaigns().requestCallback(target(a.account), MONDAY_10);
    const dialer = new RecordingDialer();
    dialer.failFor.set(callback.id, new DialRejected('DestinationNotAllowedException: not allowed'));
    await dial(dialer, MONDAY_10);
    expect(await campaigns().requireCallback(callback.id)).toMatchObject({ state: 'failed' });
    const answer = await ivr(phone, 'ivr-cb-rejected');
    expect(answer).toMatchObject({ scheduled: 'true', status: 'scheduled' });
    expect(answer.callbackId).not.toBe(callback.id);
  });

  it('never promises a time already past: a due callback is "shortly"', async () => {
    const a = await freshAccount();
    const { callback } = await campaigns().requestCallback(target(a.account), MONDAY_10);
    const answer = await ivr(target(a.account).phone, 'ivr-cb-shortly');
    expect(answer).toMatchObject({ status: 'already-scheduled', callbackId: callback.id });
    expect(answer.prompt).toBe('您已预约回电，我们会尽快与您联系。');
  });

  it('calls back when the IVR said, though other calls reached the number’s daily cap today', async () => {
    const a = await freshAccount();
    const phone = target(a.account).phone;
    const answer = await ivr(phone, `ivr-cb-capped-${seq}`);
    expect(answer).toMatchObject({ scheduled: 'true', status: 'scheduled' });
    const due = new Date(String(answer.dueAt));
    const day = localDate(due, 'Asia/Shanghai');
    // Three campaign calls already went to the number that day: the usual cap is reached.
    for (let i = 0; i < 3; i++) expect(await campaigns().dailyCap.take(phone, day, 3, due)).toBe(true);
    expect(await campaigns().dailyCap.take(phone, day, 3, due)).toBe(false);
    const dialer = new RecordingDialer();
    const run = await dial(dialer, due);
    expect(run.capped).toBe(0);
    expect(dialer.calls.map((d) => d.callbackId)).toContain(answer.callbackId);
    expect(await campaigns().requireCallback(String(answer.callbackId))).toMatchObject({
      state: 'dialed',
      dueAt: answer.dueAt,
    });
  });

  it('takes back a slot left by a callback that ended before slots were freed', async () => {
    const a = await freshAccount();
    const phone = target(a.account).phone;
    const { callback } = await campaigns().requestCallback(target(a.account), MONDAY_10);
    await campaigns().callbacks.end(callback, 'cancelled', { note: 'old data', now: at(1) });
    // As an older release left it: the callback ended, the slot still pointing at it.
    await transactWrite(db, [
      new Claims(db, TABLE_NAME()).guard('pending', keys.claim.pendingCallback(phone), {
        callbackId: callback.id,
      }),
    ]);
    const again = await campaigns().requestCallback(target(a.account), at(2));
    expect(again.created).toBe(true);
  });

  it('settles a call whose contact events were lost by asking Connect (DescribeContact), and no count leaks', async () => {
    const a = await freshAccount();
    const c = await campaignFor([a.account.id]);
    // Other tests' callbacks due now are dialed too; only this campaign's call is 'lost-1'.
    connect.on(StartOutboundVoiceContactCommand).callsFake((input) => ({
      ContactId: input.Attributes?.campaignId === c.id ? 'lost-1' : `other-${input.ClientToken}`,
    }));
    // Other tests' calls in this table are unknown to this Connect.
    connect
      .on(DescribeContactCommand)
      .rejects(Object.assign(new Error('no such contact'), { name: 'ResourceNotFoundException' }));
    connect
      .on(DescribeContactCommand, { ContactId: 'lost-1' })
      .resolvesOnce({ Contact: { AgentInfo: { ConnectedToAgentTimestamp: at(1) } } })
      .resolves({
        Contact: { AgentInfo: { ConnectedToAgentTimestamp: at(1) }, DisconnectTimestamp: at(20) },
      });
    const dialer = new ConnectDialer(new ConnectClient({ region: 'cn-north-1' }), {
      instanceId: 'inst-1',
      contactFlowId: 'flow-1',
      queueId: 'queue-1',
    });
    await dial(dialer, MONDAY_10);
    const [cb] = await campaigns().listCallbacks(c.id);
    expect(cb).toMatchObject({ state: 'dialed', connectContactId: 'lost-1' });
    // No event came. Nine minutes on, nothing is asked yet.
    const asked = () =>
      connect
        .commandCalls(DescribeContactCommand)
        .map((call) => call.args[0].input)
        .filter((i) => i.ContactId === 'lost-1');
    await dial(dialer, at(9));
    expect(asked()).toEqual([]);
    // Past ten minutes, Connect says an agent is on the call: connected, checked again later.
    await dial(dialer, at(11));
    expect(asked()).toEqual([{ InstanceId: 'inst-1', ContactId: 'lost-1' }]);
    expect(await campaigns().requireCallback(cb?.id ?? '')).toMatchObject({ state: 'connected' });
    // Two hours later it has ended: completed, and the campaign's active count is back to 0.
    await dial(dialer, at(11 + 121));
    expect(await campaigns().requireCallback(cb?.id ?? '')).toMatchObject({ state: 'completed' });
    expect((await campaigns().requireCampaign(c.id)).counts).toMatchObject({
      dialed: 1,
      reached: 1,
      completed: 1,
      active: 0,
    });
  });

  it('treats a call Connect cannot describe as unanswered once it is six hours old: a retry, not a leak', async () => {
    const a = await freshAccount();
    const c = await campaignFor([a.account.id], { retry: { delayMinutes: 30, maxAttempts: 3 } });
    const dialer = new RecordingDialer();
    await dial(dialer, MONDAY_10);
    const [cb] = await campaigns().listCallbacks(c.id);
    await dial(dialer, at(11));
    expect(await campaigns().requireCallback(cb?.id ?? '')).toMatchObject({ state: 'dialed' });
    await dial(dialer, at(6 * 60 + 5));
    const settled = await campaigns().requireCallback(cb?.id ?? '');
    expect(settled).toMatchObject({ state: 'retry-scheduled', attempts: 1 });
    expect(settled.notes).toContain('no call outcome arrived');
    expect((await campaigns().requireCampaign(c.id)).counts).toMatchObject({ dialed: 1, active: 0 });
  });
});

describe('the dialer', () => {
  it('runs one at a time: an overlapping run stands down', async () => {
    const a = await freshAccount([{}, {}, {}]);
    const c = await campaignFor([a.account.id]);
    const dialer = new RecordingDialer();
    const runs = await Promise.all([dial(dialer, MONDAY_10), dial(dialer, MONDAY_10)]);
    expect(runs.map((r) => r.notExclusive).sort()).toEqual([false, true]);
    const mine = dialer.calls.filter((d) => d.attributes.campaignId === c.id);
    expect(mine).toHaveLength(3);
    // The lease is given back at the end: the next run runs.
    expect((await dial(dialer, at(1))).notExclusive).toBe(false);
  });

  it('releases the one callback Connect failed on, and goes on with the others', async () => {
    const a = await freshAccount([{}, {}, {}]);
    const c = await campaignFor([a.account.id]);
    const [bad, ...good] = await campaigns().listCallbacks(c.id);
    const dialer = new RecordingDialer();
    dialer.failFor.set(
      bad?.id ?? '',
      Object.assign(new Error('Internal error'), { name: 'InternalServiceException' }),
    );
    const run = await dial(dialer, MONDAY_10);
    expect(run.errors).toBe(1);
    expect(dialer.calls.map((d) => d.callbackId).sort()).toEqual(
      expect.arrayContaining(good.map((g) => g.id)),
    );
    expect(await campaigns().requireCallback(bad?.id ?? '')).toMatchObject({
      state: 'scheduled',
      dueAt: at(1).toISOString(),
    });
  });

  it('lets the SDK retry a Connect 5xx with the same ClientToken: one call, not two', async () => {
    const bodies: { token: string; status: number }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (b: Buffer) => chunks.push(b));
      req.on('end', () => {
        const token = JSON.parse(Buffer.concat(chunks).toString()).ClientToken as string;
        const status = bodies.length === 0 ? 500 : 200;
        bodies.push({ token, status });
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(status === 500 ? { 'x-amzn-errortype': 'InternalServiceException' } : {}),
        });
        res.end(JSON.stringify(status === 500 ? { message: 'try again' } : { ContactId: 'c-retried' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      connect.restore();
      const client = new ConnectClient({
        region: 'cn-north-1',
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 3,
      });
      const dialer = new ConnectDialer(client, {
        instanceId: 'inst-1',
        contactFlowId: 'flow-1',
        queueId: 'q',
      });
      const r = await dialer.dial({
        callbackId: 'cb-9',
        attempt: 1,
        phone: '+8613800000000',
        attributes: {},
      });
      expect(r).toEqual({ contactId: 'c-retried' });
      expect(bodies).toEqual([
        { token: 'cb-9-1', status: 500 },
        { token: 'cb-9-1', status: 200 },
      ]);
    } finally {
      server.close();
    }
  });

  it('checks the window again after the pacing wait: a call that would leave after closing waits for the next opening', async () => {
    const a = await freshAccount([{}, {}]);
    // The Monday before: nothing else in the table is due yet.
    const weekBefore = new Date('2026-11-16T01:00:00Z');
    const c = await campaignFor(
      [a.account.id],
      { window: { days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '10:00', holidays: [] } },
      weekBefore,
    );
    let clock = weekBefore.getTime() + 60 * 60_000 - 1_000; // 09:59:59 in Shanghai
    const dialer = new RecordingDialer();
    const run = await runDialer(
      { campaigns: campaigns(), accounts: accounts().repo, dialer },
      {
        quotaPerSecond: 1,
        burst: 1,
        maxRunMs: 60_000,
        maxConcurrency: 1,
        now: () => new Date(clock),
        sleep: async (ms) => {
          clock += ms;
        },
      },
    );
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toHaveLength(1);
    expect(run.outsideWindow).toBeGreaterThanOrEqual(1);
    const waiting = (await campaigns().listCallbacks(c.id)).find((cb) => cb.state === 'scheduled');
    // Tuesday 09:00 in Shanghai.
    expect(waiting?.dueAt).toBe('2026-11-17T01:00:00.000Z');
  });

  it('reads only running campaigns: a paused campaign’s callbacks are never read', async () => {
    const a = await freshAccount([{}, {}, {}, {}, {}]);
    const b = await freshAccount();
    const paused = await campaignFor([a.account.id]);
    await campaigns().control(paused.id, 'pause');
    const running = await campaignFor([b.account.id]);
    const seen: Record<string, unknown>[] = [];
    const spy = createDocumentClient();
    // On the client's own stack, which the document client shares: the requests sent through
    // either (query.ts sends its pages through the low-level client), values in plain form.
    spy.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as Record<string, unknown>;
        const values = input.ExpressionAttributeValues as Record<string, object> | undefined;
        const marshalled = values && Object.values(values).every((v) => typeof v === 'object' && 'S' in v);
        seen.push(marshalled ? { ...input, ExpressionAttributeValues: unmarshall(values as never) } : input);
        return next(args);
      },
      { step: 'initialize', name: 'spy' },
    );
    const dialer = new RecordingDialer();
    await runDialer(
      { campaigns: new Campaigns(spy, TABLE_NAME()), accounts: accounts().repo, dialer },
      { quotaPerSecond: 50, burst: 50, maxRunMs: 60_000, now: () => new Date(MONDAY_10), sleep: noSleep },
    );
    expect(dialer.calls.filter((d) => d.attributes.campaignId === running.id)).toHaveLength(1);
    const partitions = seen.map(
      (i) => (i.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'],
    );
    expect(partitions).toContain(keys.due.callbackPartition(running.id));
    expect(partitions).not.toContain(keys.due.callbackPartition(paused.id));
    // The campaign list it read was the running ones only.
    expect(seen).toContainEqual(
      expect.objectContaining({
        IndexName: 'gsi1',
        ExpressionAttributeValues: { ':pk': 'CAMPAIGNS', ':s': 'running#' },
      }),
    );
    // Resumed, its callbacks are dialed.
    await campaigns().control(paused.id, 'resume');
    await dial(dialer, at(1));
    expect(dialer.calls.filter((d) => d.attributes.campaignId === paused.id)).toHaveLength(5);
    spy.destroy();
  });

  it('ends a cancelled campaign’s waiting callbacks', async () => {
    const a = await freshAccount([{}, {}]);
    const c = await campaignFor([a.account.id]);
    await campaigns().control(c.id, 'cancel');
    await dial(new RecordingDialer(), MONDAY_10);
    expect((await campaigns().listCallbacks(c.id)).map((cb) => cb.state)).toEqual(['cancelled', 'cancelled']);
    expect((await campaigns().requireCampaign(c.id)).counts).toMatchObject({ cancelled: 2 });
  });

  it('keeps a campaign to its agents and its pace within one run: a slot is taken before the claim', async () => {
    const T = december(1);
    const a = await freshAccount([{}, {}, {}]);
    const b = await freshAccount([{}, {}, {}]);
    const oneAgent = await campaignFor(
      [a.account.id],
      { pacing: { dialsPerMinute: 30, maxConcurrent: 1 } },
      T,
    );
    const onePerMinute = await campaignFor(
      [b.account.id],
      { pacing: { dialsPerMinute: 1, maxConcurrent: 10 } },
      T,
    );
    let clock = T.getTime();
    const dialer = new RecordingDialer();
    await dial(dialer, T, {
      quotaPerSecond: 2,
      burst: 5,
      now: () => new Date(clock),
      sleep: async (ms) => {
        clock += ms;
      },
    });
    for (const c of [oneAgent, onePerMinute]) {
      expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toHaveLength(1);
      // The others wait, due, for the next run; none is left claimed.
      expect((await campaigns().listCallbacks(c.id)).map((cb) => cb.state).sort()).toEqual([
        'dialed',
        'scheduled',
        'scheduled',
      ]);
    }
  });

  it('a crash before the call does not spend the daily cap', async () => {
    const T = december(3);
    const a = await freshAccount();
    const c = await campaignFor([a.account.id], { dailyCapPerRecipient: 1 }, T);
    await expect(dial(new RecordingDialer(), T, {}, { accounts: crashFor(a.account.id, 1) })).rejects.toThrow(
      'Task timed out',
    );
    // Once the crashed run's lease has run out, the next run places the day's one call.
    const dialer = new RecordingDialer();
    const run = await dial(dialer, plus(T, 3));
    expect(run.capped).toBe(0);
    expect(dialer.calls.filter((d) => d.attributes.campaignId === c.id)).toHaveLength(1);
  });

  it('gives up a callback whose dial keeps crashing the run after a bounded number of tries: failed, with a note and a signal', async () => {
    const T = december(4);
    // A callback given back each time (Connect failing on it, fewer times than the bound) is not a
    // crash: it is tried again (dialer-faults.test.ts has the bound).
    const b = await freshAccount();
    const [released] = await campaigns().listCallbacks((await campaignFor([b.account.id], {}, T)).id);
    const dialer = new RecordingDialer();
    dialer.failFor.set(
      released?.id ?? '',
      Object.assign(new Error('Internal error'), { name: 'InternalServiceException' }),
    );
    for (let i = 0; i < MAX_CLAIMS - 1; i++) await dial(dialer, plus(T, i * 10));
    dialer.failFor.clear();
    await dial(dialer, plus(T, MAX_CLAIMS * 10));
    expect(await campaigns().requireCallback(released?.id ?? '')).toMatchObject({
      state: 'dialed',
      claims: 0,
    });

    // One whose runs keep dying (a timeout reading the registry), run after run for three days.
    const a = await freshAccount();
    const c = await campaignFor([a.account.id], {}, T);
    const [cb] = await campaigns().listCallbacks(c.id);
    const tries = { n: 0 };
    const givenUp: string[] = [];
    for (let day = 0; day < 3; day++)
      for (let i = 0; i < 8; i++)
        await dial(
          new RecordingDialer(),
          plus(T, day * 1440 + 30 + i * 3),
          {},
          { accounts: crashFor(a.account.id, 1e9, tries), onDeadLetter: (x) => givenUp.push(x.id) },
        ).catch(() => {});
    expect(tries.n).toBe(MAX_CLAIMS);
    expect(givenUp).toEqual([cb?.id]);
    const after = await campaigns().requireCallback(cb?.id ?? '');
    expect(after.state).toBe('failed');
    expect(after.notes).toContain(`连续中断 ${MAX_CLAIMS} 次`);
    expect(after.notes).toContain(`${MAX_CLAIMS} times in a row`);
    expect((await campaigns().requireCampaign(c.id)).counts).toMatchObject({ failed: 1, dialed: 0 });
  });
});

beforeAll(() => {
  process.env.AWS_REGION ??= 'cn-north-1';
});
