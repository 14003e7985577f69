import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { abortable } from '#shared/platform/dynamo/abortable.ts';
import { Claims } from '#shared/platform/dynamo/claim.ts';
import { createDocumentClient, dynamoClient } from '#shared/platform/dynamo/client.ts';
import { counterAdd, readCounters } from '#shared/platform/dynamo/counters.ts';
import { queryDue } from '#shared/platform/dynamo/due-index.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { putOnce, queryAll, queryOnce } from '#shared/platform/dynamo/query.ts';
import {
  createDroppingExisting,
  TransactionCancelled,
  transactWrite,
} from '#shared/platform/dynamo/transact.ts';
import { HttpIdempotency } from '#shared/platform/http/idempotency.ts';
import { retry } from '#shared/platform/retry.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const T0 = new Date('2026-11-27T02:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const expiresAt = Math.floor(T0.getTime() / 1000) + 86_400;

describe('claims with leases that expire', () => {
  it('gives an effect to one taker; a taker that dies loses it once its lease ran out', async () => {
    const claims = new Claims(db, TABLE_NAME());
    const key = keys.claim.mailbox('sms', '+8613910012001');
    expect(await claims.take(key, { owner: 'a', now: at(0), leaseSeconds: 90, expiresAt })).toEqual({
      taken: true,
    });
    // Another sender while the lease holds: held, not done (it must not count as sent).
    expect(await claims.take(key, { owner: 'b', now: at(30), leaseSeconds: 90, expiresAt })).toEqual({
      taken: false,
      state: 'held',
    });
    // `a` died between the claim and the send: after its lease, `b` takes it over and sends.
    expect(await claims.take(key, { owner: 'b', now: at(91), leaseSeconds: 90, expiresAt })).toEqual({
      taken: true,
    });
    await claims.complete(key, 'b', { messageId: 'm-1' });
    expect(await claims.take(key, { owner: 'c', now: at(3600), leaseSeconds: 90, expiresAt })).toEqual({
      taken: false,
      state: 'done',
    });
    expect(await claims.read(key)).toEqual({ state: 'done', data: { messageId: 'm-1' } });
    // `a` coming back late cannot complete or release what `b` finished.
    await expect(claims.complete(key, 'a')).rejects.toThrow();
    await claims.release(key, 'a');
    expect((await claims.read(key))?.state).toBe('done');
  });

  it('gives a failed effect back at once, so a retry can take it', async () => {
    const claims = new Claims(db, TABLE_NAME());
    const key = keys.claim.mailbox('email', 'a@b.cn');
    await claims.take(key, { owner: 'a', now: at(0), leaseSeconds: 90, expiresAt });
    await claims.release(key, 'a');
    expect(await claims.take(key, { owner: 'b', now: at(1), leaseSeconds: 90, expiresAt })).toEqual({
      taken: true,
    });
  });

  it('guards an effect inside its transaction, and a cancellation names the guard, not a position', async () => {
    const claims = new Claims(db, TABLE_NAME());
    const guard = keys.claim.pendingCallback('+8613910012009');
    const put = (id: string) => ({
      name: 'callback',
      Put: { TableName: TABLE_NAME(), Item: { ...keys.callback.item(id), entity: 'Callback', id } },
    });
    await transactWrite(db, [put('cb-a'), claims.guard('pending', guard, { callbackId: 'cb-a' })]);
    const err = await transactWrite(db, [
      put('cb-b'),
      claims.guard('pending', guard, { callbackId: 'cb-b' }),
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionCancelled);
    expect((err as TransactionCancelled).failed).toEqual(['pending']);
    // The same guard first in the list: still named by the item.
    const again = await transactWrite(db, [claims.guard('pending', guard, {}), put('cb-c')]).catch(
      (e: unknown) => e,
    );
    expect((again as TransactionCancelled).failedOn('pending')).toBe(true);
    expect((await claims.read(guard))?.data).toEqual({ callbackId: 'cb-a' });
  });
});

describe('a write of one item through transactWrite', () => {
  const create = (id: string, v: number) => ({
    name: 'single',
    Put: {
      TableName: TABLE_NAME(),
      Item: { pk: `SINGLE#${id}`, sk: 'ITEM', v, tags: ['a', 'b'], at: { day: '2026-11-28' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const watch = () => {
    const sent: string[] = [];
    const client = createDocumentClient();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'watch' },
    );
    return { client, sent };
  };

  it('sends a lone put as a PutItem, and its failed condition names the item', async () => {
    const { client, sent } = watch();
    await transactWrite(client, [create('1', 1), undefined]);
    const err = await transactWrite(client, [create('1', 2)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionCancelled);
    expect((err as TransactionCancelled).failedOn('single')).toBe(true);
    // Anything else, or two items, goes as a transaction (its retries idempotent by its token).
    await transactWrite(client, [
      { Delete: { TableName: TABLE_NAME(), Key: { pk: 'SINGLE#1', sk: 'ITEM' } } },
    ]);
    await transactWrite(client, [create('2', 1), { ...create('3', 1), name: 'other' }]);
    expect(sent).toEqual([
      'PutItemCommand',
      'PutItemCommand',
      'TransactWriteItemsCommand',
      'TransactWriteItemsCommand',
    ]);
    client.destroy();
  });

  it('takes a put the SDK sent again after its answer was lost as written, not as a failed condition', async () => {
    const { client } = watch();
    let lose = true;
    // The first PutItem reaches DynamoDB; its answer is lost (a 500), and the SDK sends it again.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (lose && context.commandName === 'PutItemCommand') {
          lose = false;
          throw Object.assign(new Error('the answer was lost'), {
            name: 'InternalServerError',
            $fault: 'server',
            $metadata: { httpStatusCode: 500 },
          });
        }
        return out;
      },
      { step: 'deserialize', name: 'loseFirstAnswer' },
    );
    await transactWrite(client, [create('4', 1)]);
    expect(lose).toBe(false);
    // Another item under the key is still a failed condition.
    const err = await transactWrite(client, [create('4', 9)]).catch((e: unknown) => e);
    expect((err as TransactionCancelled).failedOn('single')).toBe(true);
    client.destroy();
  });
});

describe('creating what does not exist yet, in one transaction', () => {
  const put = (id: string, v: string) => ({
    name: id,
    Put: {
      TableName: TABLE_NAME(),
      Item: { pk: `BULK#${id}`, sk: 'ITEM', v },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const read = async (id: string) =>
    (
      await db.send(
        new QueryCommand({
          TableName: TABLE_NAME(),
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': `BULK#${id}` },
        }),
      )
    ).Items?.[0]?.v;
  it('creates the rest when some exist, leaving those as they were, and names them', async () => {
    await createDroppingExisting(
      db,
      ['b'],
      (id) => id,
      (ids) => ids.map((id) => put(id, 'first')),
    );
    const r = await createDroppingExisting(
      db,
      ['a', 'b', 'c'],
      (id) => id,
      (ids) => ids.map((id) => put(id, 'second')),
    );
    expect(r).toEqual({ created: ['a', 'c'], existing: ['b'] });
    expect(await Promise.all(['a', 'b', 'c'].map(read))).toEqual(['second', 'first', 'second']);
  });

  it('throws, rather than sending again, when a condition fails on an item that is none of the values', async () => {
    const guard = {
      name: 'guard',
      ConditionCheck: {
        TableName: TABLE_NAME(),
        Key: { pk: 'BULK#missing', sk: 'ITEM' },
        ConditionExpression: 'attribute_exists(pk)',
      },
    };
    await expect(
      createDroppingExisting(
        db,
        ['d'],
        (id) => id,
        (ids) => [...ids.map((id) => put(id, 'x')), guard],
      ),
    ).rejects.toBeInstanceOf(TransactionCancelled);
    expect(await read('d')).toBeUndefined();
  });
});

describe('the sharded due index', () => {
  it('reads every shard and answers only what is due, in due order', async () => {
    const put = (id: string, dueAt: string) =>
      db.send(
        new PutCommand({
          TableName: TABLE_NAME(),
          Item: { pk: `TEST#${id}`, sk: 'ITEM', ...keys.due.notification(id, dueAt), id },
        }),
      );
    const ids = Array.from({ length: 24 }, (_, i) => `due-${i}`);
    await Promise.all(ids.map((id, i) => put(id, at(i * 60).toISOString())));
    const { items, read } = await queryDue(db, TABLE_NAME(), 'NOTIFY', { now: at(10 * 60) });
    expect(items.map((i) => i.id)).toEqual(ids.slice(0, 11));
    expect(read).toBe(11);
    expect((await queryDue(db, TABLE_NAME(), 'NOTIFY')).items).toHaveLength(24);
  });
});

describe('sharded counters', () => {
  it('write nothing when nothing changed, and sum their shards in one read', async () => {
    expect(counterAdd(TABLE_NAME(), keys.stats.shard('acc-c', 0), { openComplaints: 0 })).toBeUndefined();
    await transactWrite(db, [
      counterAdd(TABLE_NAME(), keys.stats.shardFor('acc-c', '7100000001'), { delayedShipments: 1 }),
      counterAdd(TABLE_NAME(), keys.stats.shardFor('acc-c', '7100000002'), {
        delayedShipments: 1,
        openComplaints: 2,
      }),
    ]);
    await transactWrite(db, [
      counterAdd(TABLE_NAME(), keys.stats.shardFor('acc-c', '7100000003'), { delayedShipments: 1 }),
    ]);
    expect(
      await readCounters(db, TABLE_NAME(), keys.stats.partition('acc-c'), [
        'delayedShipments',
        'openComplaints',
      ]),
    ).toEqual({
      delayedShipments: 3,
      openComplaints: 2,
    });
  });
});

describe('Idempotency-Key through Powertools idempotency', () => {
  const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as Context;

  it('answers a retry with the first reply, and refuses the key with another body', async () => {
    const idem = new HttpIdempotency(TABLE_NAME(), dynamoClient(db));
    let runs = 0;
    const create = async () => ({ statusCode: 201, body: { id: `c-${++runs}` } });
    const first = await idem.run('POST /things', 'key-0001', { name: 'a' }, context(10_000), create);
    const again = await idem.run('POST /things', 'key-0001', { name: 'a' }, context(10_000), create);
    expect(again).toEqual(first);
    expect(runs).toBe(1);
    await expect(
      idem.run('POST /things', 'key-0001', { name: 'b' }, context(10_000), create),
    ).rejects.toMatchObject({
      problem: 'idempotency-key-reused',
    });
  });

  it('holds a key while its request runs, and frees it once that Lambda’s timeout has passed', async () => {
    const idem = new HttpIdempotency(TABLE_NAME(), dynamoClient(db));
    // The first request's Lambda dies mid-way (it never answers), with 300 ms left before its timeout.
    void idem.run('POST /things', 'key-0002', {}, context(300), () => new Promise(() => {}));
    await new Promise((r) => setTimeout(r, 100));
    await expect(
      idem.run('POST /things', 'key-0002', {}, context(10_000), async () => ({ statusCode: 201, body: {} })),
    ).rejects.toMatchObject({ problem: 'in-progress' });
    await new Promise((r) => setTimeout(r, 400));
    const retried = await idem.run('POST /things', 'key-0002', {}, context(10_000), async () => ({
      statusCode: 201,
      body: { id: 'second' },
    }));
    expect(retried).toEqual({ statusCode: 201, body: { id: 'second' } });
  });
});

describe('bounded retries', () => {
  it('stops after the bound and throws the last failure; only the failures it is told to retry', async () => {
    let calls = 0;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
    };
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error(`attempt ${calls}`);
        },
        { attempts: 4, baseDelayMs: 100, sleep, random: () => 1 },
      ),
    ).rejects.toThrow('attempt 4');
    expect(calls).toBe(4);
    expect(sleeps).toEqual([100, 200, 400]);
    let other = 0;
    await expect(
      retry(
        async () => {
          other++;
          throw new TypeError('not worth retrying');
        },
        { attempts: 4, retryIf: (e) => !(e instanceof TypeError), sleep },
      ),
    ).rejects.toThrow('not worth retrying');
    expect(other).toBe(1);
  });
});

describe('queries and puts through the low-level client (the contact-flow path)', () => {
  it('stores and reads values exactly as the document client does, page by page', async () => {
    const table = TABLE_NAME();
    const items = Array.from({ length: 3 }, (_, i) => ({
      pk: 'LOWLEVEL#1',
      sk: `ITEM#${i}`,
      n: i,
      nested: { list: [1, 'two', { three: true }], empty: '' },
      dropped: undefined,
    }));
    for (const Item of items) await putOnce(db, { TableName: table, Item });
    const input = {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'LOWLEVEL#1' },
    };
    const viaDocument = (await db.send(new QueryCommand(input))).Items;
    const { dropped: _, ...stored } = items[0] as (typeof items)[number];
    expect(viaDocument?.[0]).toEqual(stored);
    // One item a page: queryAll follows the cursor, marshalled both ways.
    expect(await queryAll(db, { ...input, Limit: 1 })).toEqual(viaDocument);
    expect((await queryOnce(db, { ...input, Limit: 2 })).lastKey).toEqual({ pk: 'LOWLEVEL#1', sk: 'ITEM#1' });
  });

  it('honours the signal of an abortable view, so a contact-flow budget reaches these reads too', async () => {
    const controller = new AbortController();
    controller.abort(new Error('budget spent'));
    const view = abortable(db, controller.signal);
    const input = {
      TableName: TABLE_NAME(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'LOWLEVEL#1' },
    };
    await expect(queryAll(view, input)).rejects.toThrow('budget spent');
    await expect(
      putOnce(view, { TableName: TABLE_NAME(), Item: { pk: 'LOWLEVEL#2', sk: 'X' } }),
    ).rejects.toThrow('budget spent');
    expect(await queryAll(db, { ...input, ExpressionAttributeValues: { ':pk': 'LOWLEVEL#2' } })).toEqual([]);
  });
});
