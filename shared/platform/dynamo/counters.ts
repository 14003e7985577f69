import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from './client.ts';
import { ENTITY, type Key } from './keys.ts';
import type { Named } from './transact.ts';

/**
 * Sharded counters. A counter is the sum of a few shard items, each under its own partition key;
 * a write adds to one shard (chosen by the counted entity), so no single item takes every change
 * of a busy account. A write happens only when something changed: zero deltas write nothing.
 */
export function counterAdd(tableName: string, shard: Key, deltas: Record<string, number>): Named | undefined {
  const entries = Object.entries(deltas).filter(([, v]) => v !== 0);
  if (entries.length === 0) return undefined;
  return {
    name: 'counter',
    Update: {
      TableName: tableName,
      Key: shard,
      UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :v${i}`).join(', ')} SET #e = if_not_exists(#e, :e)`,
      ExpressionAttributeNames: {
        '#e': ENTITY,
        ...Object.fromEntries(entries.map(([k], i) => [`#c${i}`, k])),
      },
      ExpressionAttributeValues: {
        ':e': 'Counter',
        ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
      },
    },
  };
}

/**
 * Reads every shard in one round trip (BatchGetItem) and sums the named counters. Shards the
 * batch left unprocessed are asked for again within the same call.
 */
export async function readCounters<K extends string>(
  db: DocumentClient,
  tableName: string,
  shards: Key[],
  names: readonly K[],
  abortSignal?: AbortSignal,
): Promise<Record<K, number>> {
  const sums = Object.fromEntries(names.map((n) => [n, 0])) as Record<K, number>;
  let pending: Record<string, unknown>[] = shards;
  for (let round = 0; pending.length > 0 && round < 3; round++) {
    const r = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }), {
      abortSignal,
    });
    for (const item of r.Responses?.[tableName] ?? []) {
      for (const n of names) {
        const v = item[n];
        if (typeof v === 'number' && Number.isFinite(v)) sums[n] += v;
      }
    }
    pending = r.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  for (const n of names) sums[n] = Math.max(0, sums[n]);
  return sums;
}
