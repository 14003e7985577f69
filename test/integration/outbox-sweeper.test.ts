/**
 * The outbox sweeper (functions/outbox-sweeper): what the table stream gave up on is published by
 * the scheduled sweeper, once, and an entry whose attempts are spent is dead-lettered, not lost.
 * SNS is mocked; the table is DynamoDB Local.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { drainOutbox, OUTBOX_SWEEP, outboxPut } from '#shared/platform/dynamo/outbox.ts';
import { transactWrite } from '#shared/platform/dynamo/transact.ts';
import { SnsEventPublisher } from '#shared/platform/events.ts';
import { metrics } from '#shared/platform/observability/index.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { cli } from '../support/cli.ts';
import { delayDetected } from '../support/delays.ts';
import { loadDemo } from '../support/demo.ts';
import { streamInsert } from '../support/events.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;
const TOPIC = 'arn:aws:sns:cn-north-1:123456789012:keyline-delays';
/** Tuesday 10:00 in Shanghai. */
const T0 = new Date('2026-11-24T02:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const ctx = { awsRequestId: 'r', functionName: 'outbox-sweeper', getRemainingTimeInMillis: () => 60_000 };

const db = createDocumentClient();
const sns = mockClient(SNSClient);
let sweep: Handler;
let stream: Handler;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0, shouldAdvanceTime: true });
  process.env.DELAY_TOPIC_ARN = TOPIC;
  await loadDemo(T0);
  sweep = (await import('#functions/outbox-sweeper/handler.ts')).handler as unknown as Handler;
  stream = (await import('#functions/delay-publisher/handler.ts')).handler as unknown as Handler;
});
afterEach(() => {
  sns.reset();
  vi.restoreAllMocks();
  vi.setSystemTime(T0);
});
afterAll(() => {
  vi.useRealTimers();
  sns.restore();
});

/** An outbox entry announcing `waybill`'s delay, written at `at` (as the shipment's transaction writes it). */
async function announce(waybill: string, at: Date) {
  const put = outboxPut(
    TABLE_NAME(),
    `${waybill}#major#${at.toISOString()}`,
    {
      type: 'DelayDetected',
      subject: `Delay major: waybill ${waybill}`,
      payload: delayDetected({ waybill, createdAt: at.toISOString() }),
      attributes: { accountId: 'acc-jinhe-grain', tier: 'key', severity: 'major', segment: 'fmcg' },
    },
    at,
  );
  await transactWrite(db, [put]);
  return put.Put?.Item ?? {};
}

const entry = async (item: Record<string, unknown>) =>
  (
    await db.send(
      new GetCommand({ TableName: TABLE_NAME(), Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }),
    )
  ).Item;

describe('outbox sweeper', () => {
  it('publishes to SNS a delay the stream never published, once, then removes its entry', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'swept-1' });
    const shipments = new Shipments(db, TABLE_NAME());
    const waybill = '7100100000';
    const s = await shipments.get(waybill);
    if (!s) throw new Error(`demo shipment ${waybill} is missing`);
    // A scan that makes the delay critical: the shipment and its outbox entry in one transaction.
    await shipments.applyEvent({
      eventId: 'ev-sweep-1',
      waybill,
      accountId: s.accountId,
      milestone: 'exception',
      reason: 'accident',
      location: 'G15',
      at: T0.toISOString(),
      carrierEta: new Date(Date.parse(s.promisedAt) + 40 * 3_600_000).toISOString(),
    });
    const [item] = (await queryOutbox()).filter((i) => String(i.id).startsWith(`${waybill}#`));
    expect(item).toBeDefined();
    // The stream gave up on it (an SNS outage outlasting its retries): nothing publishes it.
    // Five minutes on it is still the stream's to publish; ten minutes on the sweeper takes it.
    vi.setSystemTime(minutes(5));
    expect(await sweep({}, ctx)).toMatchObject({ read: 0, published: 0 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    vi.setSystemTime(minutes(11));
    expect(await sweep({}, ctx)).toMatchObject({ read: 1, published: 1, failed: 0, deadLettered: 0 });
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      {
        TopicArn: TOPIC,
        Subject: `Delay critical: waybill ${waybill}`,
        Message: JSON.stringify({ type: 'DelayDetected', ...(item?.payload as object) }),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'DelayDetected' },
          accountId: { DataType: 'String', StringValue: 'acc-alpina-chocolate' },
          tier: { DataType: 'String', StringValue: 'key' },
          severity: { DataType: 'String', StringValue: 'critical' },
          segment: { DataType: 'String', StringValue: 'fmcg' },
          stockOutRisk: { DataType: 'String', StringValue: 'true' },
        },
      },
    ]);
    expect(JSON.parse(String(calls[0]?.Message))).toMatchObject({ waybill, severity: 'critical' });
    expect(await entry(item ?? {})).toBeUndefined();
    // The next run finds nothing: published once.
    vi.setSystemTime(minutes(16));
    expect(await sweep({}, ctx)).toMatchObject({ read: 0, published: 0 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('does not publish again what the stream published, even when the stream gets there during the sweep', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'ok' });
    // The stream published this one (late, after a few retries) before the sweep.
    const early = await announce('7100200001', T0);
    expect(await stream({ Records: [streamInsert(early, '1')] }, ctx)).toEqual({ batchItemFailures: [] });
    // This one the stream publishes while the sweep is under way: after the sweeper read the
    // index, before its attempt (a database that runs the stream's turn right there).
    const racing = await announce('7100200002', T0);
    let raced = false;
    const racingDb = {
      send: async (command: { input: { Key?: Record<string, unknown> } }) => {
        if (command instanceof UpdateCommand && command.input.Key?.pk === racing.pk && !raced) {
          raced = true;
          await stream({ Records: [streamInsert(racing, '2')] }, ctx);
        }
        return db.send(command as never);
      },
    } as unknown as DocumentClient;
    const publisher = new SnsEventPublisher(new SNSClient({}), TOPIC);
    const run = await drainOutbox(racingDb, TABLE_NAME(), publisher, {
      now: minutes(11),
      minAgeMs: OUTBOX_SWEEP.minAgeMs,
    });
    expect(raced).toBe(true);
    expect(run).toMatchObject({ read: 1, published: 0, already: 1, failed: 0 });
    const subjects = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject);
    expect(subjects.sort()).toEqual(['Delay major: waybill 7100200001', 'Delay major: waybill 7100200002']);
    expect(await entry(early)).toBeUndefined();
    expect(await entry(racing)).toBeUndefined();
    // And the scheduled run after finds nothing.
    vi.setSystemTime(minutes(11));
    expect(await sweep({}, ctx)).toMatchObject({ read: 0, published: 0 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('tries an entry a bounded number of times, then dead-letters it where an operator finds it', async () => {
    sns.on(PublishCommand).rejects(new Error('KMS key disabled'));
    const added = vi.spyOn(metrics, 'addMetric');
    const item = await announce('7100300001', T0);
    // Every 5 minutes from 10 minutes on, as scheduled: five attempts, each failing.
    for (let i = 0; i < OUTBOX_SWEEP.maxAttempts; i++) {
      vi.setSystemTime(minutes(10 + 5 * i));
      expect(await sweep({}, ctx)).toMatchObject({ read: 1, published: 0, failed: 1, deadLettered: 0 });
    }
    expect(sns.commandCalls(PublishCommand)).toHaveLength(OUTBOX_SWEEP.maxAttempts);
    expect(await entry(item)).toMatchObject({ attempts: OUTBOX_SWEEP.maxAttempts });
    // The next run gives it up: no sixth publish, counted in the metric the alarm watches.
    vi.setSystemTime(minutes(35));
    expect(await sweep({}, ctx)).toMatchObject({ read: 1, published: 0, failed: 0, deadLettered: 1 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(OUTBOX_SWEEP.maxAttempts);
    expect(added).toHaveBeenCalledWith('OutboxDeadLettered', 'Count', 1);
    // It is not lost: still in the table, out of the due index, in the dead-letter partition.
    expect(await entry(item)).toMatchObject({
      id: item.id,
      payload: item.payload,
      attempts: OUTBOX_SWEEP.maxAttempts,
      deadLetteredAt: minutes(35).toISOString(),
    });
    expect(await queryOutbox()).toEqual([]);
    const dead = await db.send(
      new QueryCommand({
        TableName: TABLE_NAME(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.outbox.deadLetterPartition },
      }),
    );
    expect(dead.Items?.map((i) => i.id)).toEqual([item.id]);
    // SNS is back: the dead letter is not retried by the sweeper (an operator replays it).
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'ok' });
    vi.setSystemTime(minutes(40));
    expect(await sweep({}, ctx)).toMatchObject({ read: 0, published: 0, deadLettered: 0 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe("keyline outbox (the operator's replay of dead letters)", () => {
  it('lists the dead letters, replays one once, and the next sweep publishes it', async () => {
    // An entry whose attempts were spent in an outage, given up by the sweep at 10 minutes.
    const item = await announce('7100400001', T0);
    await db.send(
      new UpdateCommand({
        TableName: TABLE_NAME(),
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET attempts = :max',
        ExpressionAttributeValues: { ':max': OUTBOX_SWEEP.maxAttempts },
      }),
    );
    vi.setSystemTime(minutes(10));
    expect(await sweep({}, ctx)).toMatchObject({ deadLettered: 1 });

    const listed = await cli('outbox', 'dead-letters');
    expect(listed.code).toBe(0);
    expect(listed.output).toContain(String(item.id));
    expect(listed.output).toContain('Delay major: waybill 7100400001');

    // A dry run writes nothing.
    const dry = await cli('outbox', 'replay', String(item.id), '--dry-run');
    expect(dry).toMatchObject({ code: 0 });
    expect(await entry(item)).toMatchObject({ gsi2pk: keys.outbox.deadLetterPartition });

    // The replay puts it back under its own due keys, attempts reset; an unknown id is named.
    const replay = await cli('outbox', 'replay', String(item.id), 'no-such-entry');
    expect(replay.code).toBe(1);
    expect(replay.output).toContain('no-such-entry: no such outbox entry');
    expect(replay.output).toContain('replayed 1 of 2 entries');
    const back = await entry(item);
    expect(back).toMatchObject({ ...keys.due.outbox(String(item.id), T0.toISOString()), replays: 1 });
    expect(back).not.toHaveProperty('attempts');
    expect(back).not.toHaveProperty('deadLetteredAt');
    // A second replay of the same id changes nothing.
    const again = await cli('outbox', 'replay', String(item.id));
    expect(again.code).toBe(1);
    expect(again.output).toContain('not dead-lettered');
    expect((await cli('outbox', 'dead-letters')).output).not.toContain(String(item.id));

    // SNS is back: the next sweep publishes it, once, and removes it.
    sns.on(PublishCommand).resolves({ MessageId: 'ok' });
    vi.setSystemTime(minutes(15));
    expect(await sweep({}, ctx)).toMatchObject({ published: 1 });
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject)).toEqual([
      'Delay major: waybill 7100400001',
    ]);
    expect(await entry(item)).toBeUndefined();
  });

  it('replays --all, and refuses a replay with no ids', async () => {
    const none = await cli('outbox', 'replay');
    expect(none.code).toBe(2);
    expect(none.output).toContain('Which entries?');
    for (const waybill of ['7100500001', '7100500002']) {
      const item = await announce(waybill, T0);
      await db.send(
        new UpdateCommand({
          TableName: TABLE_NAME(),
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET attempts = :max',
          ExpressionAttributeValues: { ':max': OUTBOX_SWEEP.maxAttempts },
        }),
      );
    }
    vi.setSystemTime(minutes(10));
    await sweep({}, ctx);
    const all = await cli('outbox', 'replay', '--all');
    expect(all.code).toBe(0);
    expect((await cli('outbox', 'dead-letters')).output).toContain('no outbox entries are dead-lettered');
    expect((await queryOutbox()).map((i) => i.subject)).toEqual(
      expect.arrayContaining(['Delay major: waybill 7100500001', 'Delay major: waybill 7100500002']),
    );
  });
});

/** Every outbox entry still waiting in the due index (all shards). */
async function queryOutbox() {
  const { queryDue } = await import('#shared/platform/dynamo/due-index.ts');
  return (await queryDue(db, TABLE_NAME(), 'OUTBOX')).items;
}
