import type { DocumentClient } from './client.ts';
import { ENTITY, type Key } from './keys.ts';
import { queryAll } from './query.ts';
import type { Named } from './transact.ts';

/**
 * Sharded counters. A counter is the sum of a few shard items under one partition key; a write
 * adds to one shard (chosen by the counted entity), so no single item takes every change of a busy
 * account. A write happens only when something changed: zero deltas write nothing. `index` sets
 * the shard's keys in an index the counter is read from (with other counted items).
 */
export function counterAdd(
  tableName: string,
  shard: Key,
  deltas: Record<string, number>,
  index: Record<string, string> = {},
): Named | undefined {
  const entries = Object.entries(deltas).filter(([, v]) => v !== 0);
  if (entries.length === 0) return undefined;
  const indexKeys = Object.entries(index);
  return {
    name: 'counter',
    Update: {
      TableName: tableName,
      Key: shard,
      UpdateExpression:
        `ADD ${entries.map((_, i) => `#c${i} :v${i}`).join(', ')} SET #e = if_not_exists(#e, :e)` +
        indexKeys.map((_, i) => `, #i${i} = :i${i}`).join(''),
      ExpressionAttributeNames: {
        '#e': ENTITY,
        ...Object.fromEntries(entries.map(([k], i) => [`#c${i}`, k])),
        ...Object.fromEntries(indexKeys.map(([k], i) => [`#i${i}`, k])),
      },
      ExpressionAttributeValues: {
        ':e': 'Counter',
        ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
        ...Object.fromEntries(indexKeys.map(([, v], i) => [`:i${i}`, v])),
      },
    },
  };
}

/**
 * Reads every shard of a counter in one round trip (a Query of its partition, or of the index
 * `index` names with its partition-key attribute) and sums them.
 */
export async function readCounters<K extends string>(
  db: DocumentClient,
  tableName: string,
  partitionKey: string,
  names: readonly K[],
  abortSignal?: AbortSignal,
  index?: { name: string; partitionKey: string },
): Promise<Record<K, number>> {
  const sums = Object.fromEntries(names.map((n) => [n, 0])) as Record<K, number>;
  const items = await queryAll(
    db,
    {
      TableName: tableName,
      ...(index ? { IndexName: index.name } : {}),
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index?.partitionKey ?? 'pk' },
      ExpressionAttributeValues: { ':pk': partitionKey },
    },
    abortSignal,
  );
  for (const item of items) {
    for (const n of names) {
      const v = item[n];
      if (typeof v === 'number' && Number.isFinite(v)) sums[n] += v;
    }
  }
  for (const n of names) sums[n] = Math.max(0, sums[n]);
  return sums;
}
