import type { DocumentClient } from '../platform/dynamo/client.ts';
import { counterAdd, readCounters } from '../platform/dynamo/counters.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { COUNTER_ATTRIBUTES, COUNTS_INDEX } from '../platform/dynamo/table.ts';

/** An account's live counters, read by the screen pop and the card. */
export const STATS_NAMES = COUNTER_ATTRIBUTES;
export type AccountStats = Record<(typeof STATS_NAMES)[number], number>;

/**
 * The counter update that goes into the transaction of a state change (a shipment that became
 * late, a complaint resolved), on the shard of the counted entity; nothing when nothing changed.
 * The shard carries its counts-index keys, so the account's counts are read from one index.
 */
export function statsChange(
  tableName: string,
  accountId: string,
  entityId: string,
  deltas: Partial<AccountStats>,
) {
  const shard = keys.stats.shardFor(accountId, entityId);
  return counterAdd(tableName, shard, deltas as Record<string, number>, keys.stats.indexed(shard));
}

/**
 * The counters, summed in one round trip: a Query of the account in the counts index, which holds
 * its shards and every item that counts itself (an unresolved complaint).
 */
export function readStats(
  db: DocumentClient,
  tableName: string,
  accountId: string,
  abortSignal?: AbortSignal,
): Promise<AccountStats> {
  return readCounters(db, tableName, keys.stats.partition(accountId), STATS_NAMES, abortSignal, COUNTS_INDEX);
}
