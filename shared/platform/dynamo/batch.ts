/**
 * Many items at once, where atomicity is not needed or comes from a later write (the bulk import
 * stages lookups this way, then creates the profiles): BatchWriteItem 25 at a time and
 * BatchGetItem 100 at a time, several requests in flight. What DynamoDB leaves unprocessed is sent
 * again with back-off and jitter, a bounded number of times, after which the call fails: nothing
 * is silently dropped.
 */
import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { pool } from '../pool.ts';
import { retry } from '../retry.ts';
import type { DocumentClient } from './client.ts';

type Item = Record<string, unknown>;
export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

const WRITE_LIMIT = 25;
const GET_LIMIT = 100;
const ATTEMPTS = 10;

export function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** What DynamoDB left unprocessed (its throughput spent): sent again, with back-off. */
class Unprocessed extends Error {}

/**
 * Unprocessed items are sent again here; a failed request is not: the SDK has retried what was
 * worth retrying, and the rest (no such table, a bad request) would fail again.
 */
const AGAIN = {
  attempts: ATTEMPTS,
  baseDelayMs: 50,
  maxDelayMs: 2_000,
  retryIf: (err: unknown) => err instanceof Unprocessed,
};

/** Puts and deletes in batches of 25, `concurrency` requests in flight. */
export async function batchWrite(
  db: DocumentClient,
  tableName: string,
  requests: WriteRequest[],
  concurrency = 4,
): Promise<void> {
  await pool(chunk(requests, WRITE_LIMIT), concurrency, async (batch) => {
    let pending = batch;
    await retry(async () => {
      const r = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (r.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      if (pending.length) throw new Unprocessed(`${pending.length} items left unprocessed by BatchWriteItem`);
    }, AGAIN);
  });
}

/** Puts items 25 at a time (see batchWrite). */
export function batchPut(db: DocumentClient, tableName: string, items: Item[], concurrency = 1) {
  return batchWrite(
    db,
    tableName,
    items.map((Item) => ({ PutRequest: { Item } })),
    concurrency,
  );
}

/**
 * Reads items by key, 100 per request (eventually consistent unless asked), and answers those that
 * exist, in no particular order.
 */
export async function batchGet(
  db: DocumentClient,
  tableName: string,
  keys: Item[],
  options: {
    projection?: string;
    names?: Record<string, string>;
    consistent?: boolean;
    concurrency?: number;
  } = {},
): Promise<Item[]> {
  const found: Item[] = [];
  await pool(chunk(keys, GET_LIMIT), options.concurrency ?? 4, async (batch) => {
    let pending: Item[] = batch;
    await retry(async () => {
      const r = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
              ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
              ...(options.consistent ? { ConsistentRead: true } : {}),
            },
          },
        }),
      );
      found.push(...(r.Responses?.[tableName] ?? []));
      pending = (r.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
      if (pending.length) throw new Unprocessed(`${pending.length} keys left unprocessed by BatchGetItem`);
    }, AGAIN);
  });
  return found;
}
