import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from './client.ts';
import { DUE_SHARDS, type DueFamily, keys } from './keys.ts';
import { queryAll } from './query.ts';

export interface DueQuery {
  /** Only items due by this instant (sort key ≤ the family's bound); all items when absent. */
  now?: Date;
  /** Items read per shard at most (one page); every page when absent. */
  limitPerShard?: number;
  /** The partitions to read instead of the family's shards (callbacks: one per running campaign). */
  partitions?: string[];
}

/**
 * The sparse due index (gsi2), read once per shard in parallel: complaints by SLA mark, callbacks
 * due, the outbox, deferred alerts, shipments by next milestone. Only items that carry the
 * family's gsi2pk are in the index, so a read touches what is due, whatever the size of the table.
 * Items come back merged in due order; `read` is how many items the reads touched.
 */
export async function queryDue(
  db: DocumentClient,
  tableName: string,
  family: DueFamily,
  q: DueQuery = {},
): Promise<{ items: Record<string, unknown>[]; read: number }> {
  let read = 0;
  const partitions = q.partitions ?? Array.from({ length: DUE_SHARDS }, (_, s) => keys.due.shard(family, s));
  const pages = await Promise.all(
    partitions.map(async (partition) => {
      const input = {
        TableName: tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: q.now ? 'gsi2pk = :pk AND gsi2sk <= :until' : 'gsi2pk = :pk',
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(q.now ? { ':until': keys.due.until(family, q.now) } : {}),
        },
      };
      if (q.limitPerShard === undefined) {
        const items = await queryAll(db, input);
        read += items.length;
        return items;
      }
      const r = await db.send(new QueryCommand({ ...input, Limit: q.limitPerShard }));
      read += r.ScannedCount ?? r.Count ?? 0;
      return r.Items ?? [];
    }),
  );
  const items = pages.flat().sort((a, b) => String(a.gsi2sk).localeCompare(String(b.gsi2sk)));
  return { items, read };
}
