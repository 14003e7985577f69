/**
 * Exact IAM for the Lambdas Amazon Connect invokes and the IVR hand-off worker: each runs its
 * paths (the answers a caller can get, the duplicates, the hand-off) through a proxy in front of
 * DynamoDB Local that records the IAM actions every request needs; the set is exactly the one its
 * role is granted (functions/index.ts), no more and no less.
 */
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_FUNCTIONS, HANDOFF_WORKER } from '#functions/index.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { demoWaybill } from '#local/demo/shipments.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { loadDemo } from '../support/demo.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { sqsRecord } from '../support/events.ts';
import { HANDOFF_QUEUE, TABLE_NAME } from '../support/fixtures.ts';
import { granted, used as usedBy } from '../support/iam.ts';

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;
let proxy: DynamoProxy;
const direct = String(process.env.AWS_ENDPOINT_URL_DYNAMODB);
/** The test's own reads and writes go around the proxy. */
const db = createDocumentClient({ endpoint: direct });
/** No SNS engine runs locally: the worker's confirmations go to a mock that records them. */
const sns = mockClient(SNSClient);

beforeAll(async () => {
  await loadDemo();
  proxy = new DynamoProxy(direct);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  // The hand-off worker below takes the messages itself.
  HANDOFF_QUEUE().consume(async () => {
    throw new Error('left for the test');
  });
});
afterAll(() => {
  sns.restore();
  return proxy.stop();
});

const ctx = { getRemainingTimeInMillis: () => 5000 };
const load = async (name: string) => (await import(`../../functions/${name}/handler.ts`)).handler as Handler;
const call = (h: Handler, from: string, contactId: string, parameters: Record<string, string> = {}) =>
  h(contactFlowEvent({ from, contactId, parameters }), ctx);

/** Marks the callback holding a number's pending slot as completed (around the proxy). */
async function endPendingCallback(e164: string) {
  const held = await db.send(
    new GetCommand({ TableName: TABLE_NAME(), Key: keys.claim.pendingCallback(e164) }),
  );
  await db.send(
    new UpdateCommand({
      TableName: TABLE_NAME(),
      Key: keys.callback.item(String(held.Item?.callbackId)),
      UpdateExpression: 'SET #s = :done',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':done': 'completed' },
    }),
  );
}

const used = async (paths: () => Promise<unknown>) => new Set(await usedBy(proxy, paths));

const access = (name: string) => {
  const f = CONNECT_FUNCTIONS.find((x) => x.name === name);
  if (!f) throw new Error(`no Connect function ${name}`);
  return granted(f.access);
};

describe('exact IAM of the contact-flow Lambdas and the hand-off worker', () => {
  it('screen-pop', async () => {
    const h = await load('screen-pop');
    const actions = await used(async () => {
      await call(h, '+8613910012001', 'iam-pop-known');
      await call(h, '+862158881234', 'iam-pop-shared');
      await call(h, '+8613700000000', 'iam-pop-unknown');
      await call(h, 'anonymous', 'iam-pop-withheld');
    });
    expect([...actions].sort()).toEqual([...access('screen-pop')].sort());
  });

  it('ivr-tracking', async () => {
    const h = await load('ivr-tracking');
    const actions = await used(async () => {
      await call(h, '+8613910012001', 'iam-track-1', { waybill: demoWaybill(0, 0) });
      await call(h, '+8613910012001', 'iam-track-2', { waybill: '7999999999' });
    });
    expect([...actions].sort()).toEqual([...access('ivr-tracking')].sort());
  });

  it('ivr-complaint', async () => {
    const h = await load('ivr-complaint');
    const actions = await used(async () => {
      await call(h, '+8613910012001', 'iam-complaint-1', { category: '1', waybill: demoWaybill(0, 0) });
      await call(h, '+8613910012001', 'iam-complaint-1', { category: '1' }); // Connect retried the Lambda
      await call(h, '+8613910012002', 'iam-complaint-2', { category: '2' });
      await call(h, '+8613700000000', 'iam-complaint-stranger', { category: '3' });
    });
    expect([...actions].sort()).toEqual([...access('ivr-complaint')].sort());
  });

  it('ivr-callback', async () => {
    const h = await load('ivr-callback');
    const actions = await used(async () => {
      await call(h, '+8613910012001', 'iam-callback-1');
      await call(h, '+8613910012001', 'iam-callback-2'); // already scheduled
      await call(h, '+8613700000000', 'iam-callback-stranger');
      // The number's pending callback ended: the next request takes its slot back.
      await endPendingCallback('+8613910012001');
      await call(h, '+8613910012001', 'iam-callback-3');
    });
    expect([...actions].sort()).toEqual([...access('ivr-callback')].sort());
  });

  it('ivr-handoff worker', async () => {
    // Two writes the calls could not finish: the IVR hands them off (the write fails at the proxy).
    const complaint = await load('ivr-complaint');
    const callback = await load('ivr-callback');
    proxy.fault = { ops: ['TransactWriteItems'], fail: 'server-error' };
    const before = HANDOFF_QUEUE().sent.length;
    await call(complaint, '+8613311009001', 'iam-handoff-complaint', { category: '2' });
    await call(callback, '+8613311009001', 'iam-handoff-callback');
    proxy.fault = undefined;
    const messages = HANDOFF_QUEUE().sent.slice(before);
    expect(messages).toHaveLength(2);
    // Meanwhile the number booked a callback that has ended: the worker takes the slot back.
    await call(callback, '+8613311009001', 'iam-handoff-prior');
    await endPendingCallback('+8613311009001');
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: false });
    const worker = await load('ivr-handoff');
    const actions = await used(async () => {
      for (const [i, m] of messages.entries()) {
        const event = { Records: [sqsRecord(`iam-${i}`, m.body)] };
        const r = (await worker(event, { awsRequestId: `iam-${i}` } as Context)) as {
          batchItemFailures: unknown[];
        };
        expect(r.batchItemFailures).toEqual([]);
      }
    });
    expect([...actions].sort()).toEqual([...granted(HANDOFF_WORKER.access)].sort());
    // Each finished write was confirmed to the caller by one SMS.
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.PhoneNumber)).toEqual([
      '+8613311009001',
      '+8613311009001',
    ]);
  });
});
