import type { DocumentClient } from '../platform/dynamo/client.ts';
import { counterAdd, readCounters } from '../platform/dynamo/counters.ts';
import { keys } from '../platform/dynamo/keys.ts';

/** An account's live counters, read by the screen pop and the card. */
export const STATS_NAMES = ['openComplaints', 'delayedShipments', 'inTransitShipments'] as const;
export type AccountStats = Record<(typeof STATS_NAMES)[number], number>;

/**
 * The counter update that goes into the transaction of a state change (a shipment that became
 * late, a complaint resolved), on the shard of the counted entity; nothing when nothing changed.
 */
export function statsChange(
  tableName: string,
  accountId: string,
  entityId: string,
  deltas: Partial<AccountStats>,
) {
  return counterAdd(tableName, keys.stats.shardFor(accountId, entityId), deltas as Record<string, number>);
}

/** The counters, summed over the shards in one round trip. */
export function readStats(
  db: DocumentClient,
  tableName: string,
  accountId: string,
  abortSignal?: AbortSignal,
): Promise<AccountStats> {
  return readCounters(db, tableName, keys.stats.partition(accountId), STATS_NAMES, abortSignal);
}
