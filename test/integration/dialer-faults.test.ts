/**
 * The dialer when something fails around the call: Connect turning a call away (its rate limit,
 * its concurrent-calls limit, an error it does not explain) and DynamoDB failing just after Connect
 * accepted one. DynamoDB Local behind the fault-injecting proxy; Connect mocked with
 * aws-sdk-client-mock, the exact command asserted.
 */
import {
  ConnectClient,
  LimitExceededException,
  ServiceQuotaExceededException,
  StartOutboundVoiceContactCommand,
  ThrottlingException,
  TooManyRequestsException,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { AccountInput, type AccountWithContacts } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { resolveAudience } from '#shared/campaigns/audience.ts';
import { ConnectDialer, DialQuotaExceeded, DialThrottled } from '#shared/campaigns/connect-dialer.ts';
import { type DialerConfig, type DialerDeps, runDialer } from '#shared/campaigns/dialer.ts';
import { CampaignInput } from '#shared/campaigns/model.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';

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

/** Mondays 10:00 in Shanghai, one per test, so no test finds another's due work. */
const monday = (week: number) => new Date(Date.parse('2026-11-23T02:00:00Z') + week * 7 * 86_400_000);

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

let seq = 0;
type ContactBody = NonNullable<z.input<typeof AccountInput>['contacts']>[number];

async function freshAccount(n = 1): Promise<AccountWithContacts> {
  const k = ++seq;
  const list: ContactBody[] = Array.from({ length: n }, (_, i) => ({
    id: `c-${k}-${i}`,
    name: `联系人${k}-${i}`,
    phones: [{ number: `+86139${String(40_000_000 + k * 100 + i)}`, label: 'mobile' as const }],
    consent: { calls: true, sms: true, email: true },
  }));
  const { account } = await accounts().save(
    `acc-faults-${k}`,
    AccountInput.parse(accountBody({ contacts: list })),
    { now: monday(0) },
  );
  return account;
}

async function campaignFor(
  accountIds: string[],
  created: Date,
  input: Partial<z.input<typeof CampaignInput>> = {},
) {
  const parsed = CampaignInput.parse({
    name: `faults ${++seq}`,
    type: 'account-review',
    audience: { accountIds, onePerAccount: false },
    startNow: true,
    dailyCapPerRecipient: 10,
    pacing: { dialsPerMinute: 600, maxConcurrent: 500, quotaPerSecond: 50, burst: 50 },
    ...input,
  });
  const { targets, excluded } = await resolveAudience(accounts(), parsed.audience, parsed.type);
  return campaigns().createCampaign(parsed, targets, excluded, 'test', created);
}

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
    ['ThrottlingException', 1, throttling],
    ['LimitExceededException', 2, limit],
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
