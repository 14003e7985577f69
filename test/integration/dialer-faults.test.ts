/**
 * The dialer when something fails around the call: Connect turning a call away (its rate limit,
 * its concurrent-calls limit, an error it does not explain) and DynamoDB failing just after Connect
 * accepted one. DynamoDB Local behind the fault-injecting proxy; Connect mocked with
 * aws-sdk-client-mock, the exact command asserted.
 */
import {
  ConnectClient,
  InternalServiceException,
  InvalidRequestException,
  LimitExceededException,
  ServiceQuotaExceededException,
  StartOutboundVoiceContactCommand,
  ThrottlingException,
  TooManyRequestsException,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '#shared/accounts/service.ts';
import { MAX_CLAIMS } from '#shared/campaigns/callback.ts';
import { ConnectDialer, DialQuotaExceeded, DialThrottled } from '#shared/campaigns/connect-dialer.ts';
import { type DialerConfig, type DialerDeps, runDialer } from '#shared/campaigns/dialer.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { dialerBook } from '../support/dialer.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const connect = mockClient(ConnectClient);
let proxy: DynamoProxy;
let db: DocumentClient;
const campaigns = () => new Campaigns(db, TABLE_NAME());
const accounts = () => new Accounts(db, TABLE_NAME());

beforeAll(async () => {
  process.env.AWS_REGION ??= 'cn-north-1';
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  db = createDocumentClient();
});
afterEach(async () => {
  connect.reset();
  await proxy.settled();
  proxy.reset();
});
afterAll(async () => {
  db.destroy();
  await proxy.stop();
});

const CONFIG = { instanceId: 'inst-1', contactFlowId: 'flow-1', queueId: 'queue-1' };
const connectDialer = () =>
  new ConnectDialer(new ConnectClient({ region: 'cn-north-1', maxAttempts: 1 }), CONFIG);

/**
 * Mondays 10:00 in Shanghai, one per test, each test earlier than the ones before it: no run finds
 * the work an earlier test left due.
 */
const monday = (week: number) => new Date(Date.parse('2026-11-23T02:00:00Z') + week * 7 * 86_400_000);
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

/** A run on a simulated clock that the pacing waits move on. */
function dial(now: Date, cfg: Partial<DialerConfig> = {}, deps: Partial<DialerDeps> = {}) {
  let clock = now.getTime();
  return runDialer(
    { campaigns: campaigns(), accounts: accounts().repo, dialer: connectDialer(), ...deps },
    {
      quotaPerSecond: 50,
      burst: 50,
      maxRunMs: 60_000,
      now: () => new Date(clock),
      sleep: async (ms) => {
        clock += ms;
      },
      random: () => 0.5,
      ...cfg,
    },
  );
}

const { freshAccount, campaignFor } = dialerBook({
  tag: 'faults',
  numbersFrom: 40_000_000,
  savedAt: monday(0),
  accounts,
  campaigns,
});

const turnedAway = { message: 'turned away', $metadata: { httpStatusCode: 429 } };
const throttling = () => new ThrottlingException(turnedAway);
const tooMany = () => new TooManyRequestsException(turnedAway);
const limit = () => new LimitExceededException(turnedAway);

describe('Connect turning a call away for now', () => {
  it.each([
    ['ThrottlingException (the API rate limit)', throttling],
    ['TooManyRequestsException', tooMany],
    ['LimitExceededException (the concurrent-calls limit)', limit],
  ] as const)(
    'treats %s as throttling, sending the call with its attempt’s ClientToken',
    async (_, error) => {
      connect.on(StartOutboundVoiceContactCommand).rejects(error());
      const req = {
        callbackId: 'cb-t',
        attempt: 2,
        phone: '+8613910012001',
        attributes: { reason: 'retention' },
      };
      await expect(connectDialer().dial(req)).rejects.toBeInstanceOf(DialThrottled);
      expect(connect.commandCalls(StartOutboundVoiceContactCommand).map((x) => x.args[0].input)).toEqual([
        {
          InstanceId: 'inst-1',
          ContactFlowId: 'flow-1',
          QueueId: 'queue-1',
          DestinationPhoneNumber: '+8613910012001',
          Attributes: { reason: 'retention' },
          ClientToken: 'cb-t-2',
        },
      ]);
    },
  );

  it('stops the run on ServiceQuotaExceededException (the account’s quota is spent)', async () => {
    connect
      .on(StartOutboundVoiceContactCommand)
      .rejects(new ServiceQuotaExceededException({ message: 'quota', $metadata: { httpStatusCode: 402 } }));
    await expect(
      connectDialer().dial({ callbackId: 'cb-q', attempt: 1, phone: '+8613910012001', attributes: {} }),
    ).rejects.toBeInstanceOf(DialQuotaExceeded);
  });

  it.each([
    ['ThrottlingException', 12, throttling],
    ['LimitExceededException', 11, limit],
  ] as const)(
    'a run turned away by %s backs off: no error, no attempt used, the work due again at once',
    async (_, week, error) => {
      const T = monday(week);
      const a = await freshAccount(8);
      const c = await campaignFor([a.id], T);
      connect.on(StartOutboundVoiceContactCommand).rejects(error());
      let last = T.getTime();
      const run = await dial(T, {
        quotaPerSecond: 2,
        burst: 5,
        maxRunMs: 20_000,
        maxConcurrency: 1,
        now: () => new Date(last),
        sleep: async (ms) => {
          last += ms;
        },
      });
      expect(run).toMatchObject({ errors: 0, stoppedByErrors: false, stoppedByQuota: false, dialed: 0 });
      expect(run.throttled).toBeGreaterThan(1);
      const after = await campaigns().listCallbacks(c.id);
      // Every callback waits as it was (no attempt spent, none claimed), due at once, not a minute out.
      expect(after.map((cb) => [cb.state, cb.attempts, cb.claims ?? 0])).toEqual(
        after.map(() => ['scheduled', 0, 0]),
      );
      expect(after.every((cb) => Date.parse(cb.dueAt) <= last)).toBe(true);
      // Each try was the callbacks' first attempt, and the back-off kept the tries few.
      const tokens = connect
        .commandCalls(StartOutboundVoiceContactCommand)
        .map((x) => x.args[0].input.ClientToken);
      expect(tokens.every((t) => t?.endsWith('-1'))).toBe(true);
      expect(tokens.length).toBeLessThan(20);
    },
  );
});

describe('Connect failing on a call without saying why', () => {
  it('gives the callback up after a bounded number of tries, failed with the reason where an operator sees it', async () => {
    const T = monday(10);
    const a = await freshAccount();
    const c = await campaignFor([a.id], T);
    const [cb] = await campaigns().listCallbacks(c.id);
    connect.on(StartOutboundVoiceContactCommand).rejects(
      new InvalidRequestException({
        message: 'The request is not valid.',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const givenUp: [string, string][] = [];
    // Twenty runs, two minutes apart: forty minutes of Connect refusing this one call.
    for (let i = 0; i < 20; i++)
      await dial(plus(T, i * 2), {}, { onDeadLetter: (x, reason) => givenUp.push([x.id, reason]) });
    const tokens = connect
      .commandCalls(StartOutboundVoiceContactCommand)
      .map((x) => x.args[0].input.ClientToken);
    // Five tries, each the first attempt (no call went out), backing off 1, 2, 4 and 8 minutes.
    expect(tokens).toEqual(Array.from({ length: MAX_CLAIMS }, () => `${cb?.id}-1`));
    const after = await campaigns().requireCallback(cb?.id ?? '');
    expect(after).toMatchObject({ state: 'failed', attempts: 0 });
    expect(after.notes).toContain(`连续 ${MAX_CLAIMS} 次未能拨出`);
    expect(after.notes).toContain(`failed to place the call ${MAX_CLAIMS} times in a row`);
    expect(after.notes).toContain('InvalidRequestException');
    expect(givenUp).toEqual([[cb?.id, 'InvalidRequestException: The request is not valid.']]);
    expect((await campaigns().requireCampaign(c.id)).counts).toMatchObject({ failed: 1, dialed: 0 });
  });

  it('dials a callback Connect failed on a few times once Connect recovers, the count of tries set back', async () => {
    const T = monday(9);
    const a = await freshAccount();
    const c = await campaignFor([a.id], T);
    const [cb] = await campaigns().listCallbacks(c.id);
    const internal = new InternalServiceException({
      message: 'Internal error',
      $metadata: { httpStatusCode: 500 },
    });
    connect.on(StartOutboundVoiceContactCommand).rejects(internal);
    // Ten minutes apart: each run finds it due again, whatever its back-off.
    for (let i = 0; i < MAX_CLAIMS - 1; i++) await dial(plus(T, i * 10));
    expect(await campaigns().requireCallback(cb?.id ?? '')).toMatchObject({
      state: 'scheduled',
      claims: MAX_CLAIMS - 1,
    });
    connect.reset();
    connect.on(StartOutboundVoiceContactCommand).resolves({ ContactId: 'contact-recovered' });
    await dial(plus(T, MAX_CLAIMS * 10));
    expect(await campaigns().requireCallback(cb?.id ?? '')).toMatchObject({
      state: 'dialed',
      attempts: 1,
      claims: 0,
      connectContactId: 'contact-recovered',
    });
  });
});

describe('DynamoDB failing just after Connect placed the call', () => {
  /** Fails every write of the placed call's record (with its ConnectContact mapping) for one callback. */
  const failRecordOf = (callbackId: string) => {
    proxy.fault = {
      fail: 'server-error',
      ops: ['TransactWriteItems'],
      when: (b) => b.includes('ConnectContact') && b.includes(`"callbackId":{"S":"${callbackId}"}`),
    };
  };

  it('keeps the day’s dial spent: another campaign does not call the same number again today', async () => {
    const T = monday(8);
    const a = await freshAccount();
    const mine = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const c = await campaignFor([a.id], T, { dailyCapPerRecipient: 1 });
      for (const cb of await campaigns().listCallbacks(c.id)) mine.add(cb.id);
    }
    connect
      .on(StartOutboundVoiceContactCommand)
      .callsFake(async (input) => ({ ContactId: `contact-${input.ClientToken}` }));
    // Whichever of the two is dialed first, its record fails on every try.
    let first: string | undefined;
    proxy.fault = {
      fail: 'server-error',
      ops: ['TransactWriteItems'],
      when: (b) => {
        const id = b.includes('ConnectContact') ? /"callbackId":\{"S":"([^"]+)"\}/.exec(b)?.[1] : undefined;
        if (!id || !mine.has(id)) return false;
        first ??= id;
        return id === first;
      },
    };
    const unrecorded: string[] = [];
    const run = await dial(
      T,
      { maxConcurrency: 1 },
      { onUnrecorded: (x, contactId) => unrecorded.push(`${x.id} ${contactId}`) },
    );
    proxy.reset();
    expect(run).toMatchObject({ dialed: 1, unrecorded: 1, capped: 1 });
    expect(unrecorded).toEqual([`${first} contact-${first}-1`]);
    // One call to the number today: the one whose record could not be written.
    expect(
      connect.commandCalls(StartOutboundVoiceContactCommand).map((x) => x.args[0].input.ClientToken),
    ).toEqual([`${first}-1`]);
    // Its claim is left to expire, not released as if no call went out; the other waits for tomorrow.
    expect(await campaigns().requireCallback(first ?? '')).toMatchObject({ state: 'dialing', attempts: 0 });
    const other = await campaigns().requireCallback([...mine].find((id) => id !== first) ?? '');
    expect(other).toMatchObject({ state: 'scheduled', attempts: 0 });
    expect(Date.parse(other.dueAt)).toBeGreaterThan(plus(T, 12 * 60).getTime());
  });

  it('tries the record again, and a later run claiming it sends the same ClientToken', async () => {
    const T = monday(7);
    const a = await freshAccount();
    const c = await campaignFor([a.id], T);
    const [cb] = await campaigns().listCallbacks(c.id);
    connect.on(StartOutboundVoiceContactCommand).resolves({ ContactId: 'contact-live' });
    failRecordOf(cb?.id ?? '');
    const run = await dial(T, { recordAttempts: 3 });
    // Three tries at the record, each with the SDK's own retries behind it.
    const writes = proxy.calls.filter((x) => x.op === 'TransactWriteItems').length;
    proxy.reset();
    expect(run).toMatchObject({ dialed: 1, unrecorded: 1 });
    expect(writes).toBeGreaterThanOrEqual(3);
    // Once the lease has run out, the next run claims it again: the same attempt, the same token,
    // which Connect answers with the contact it started; that one is recorded.
    await dial(plus(T, 3));
    expect(
      connect.commandCalls(StartOutboundVoiceContactCommand).map((x) => x.args[0].input.ClientToken),
    ).toEqual([`${cb?.id}-1`, `${cb?.id}-1`]);
    expect(await campaigns().requireCallback(cb?.id ?? '')).toMatchObject({
      state: 'dialed',
      attempts: 1,
      connectContactId: 'contact-live',
    });
    expect((await campaigns().requireCampaign(c.id)).counts).toMatchObject({ dialed: 1, active: 1 });
  });

  it('records the call when a try fails and the next succeeds: nothing unrecorded', async () => {
    const T = monday(6);
    const a = await freshAccount();
    const c = await campaignFor([a.id], T);
    const [cb] = await campaigns().listCallbacks(c.id);
    connect.on(StartOutboundVoiceContactCommand).resolves({ ContactId: 'contact-once' });
    let failures = 0;
    proxy.fault = {
      fail: 'server-error',
      ops: ['TransactWriteItems'],
      // Every SDK attempt of the first try fails (three), then DynamoDB answers again.
      when: (b) => b.includes('ConnectContact') && b.includes(cb?.id ?? '-') && failures++ < 3,
    };
    const run = await dial(T);
    proxy.reset();
    expect(run).toMatchObject({ dialed: 1, unrecorded: 0 });
    expect(await campaigns().requireCallback(cb?.id ?? '')).toMatchObject({
      state: 'dialed',
      connectContactId: 'contact-once',
    });
  });
});
