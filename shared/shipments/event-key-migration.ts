/**
 * The one-off migration of a table from before tracking events were keyed by their event id alone:
 * an event stored under its old key (`EVENT#<at>#<eventId>`, `at` as the feed wrote it) is not
 * found by the new one (`EVENT#<eventId>`), so its redelivery would be applied a second time.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { ENTITY, keys } from '../platform/dynamo/keys.ts';
import { type MigrationOptions, type MigrationProgress, runMigration } from '../platform/dynamo/migration.ts';

const EVENT = 'EVENT#';

/** The item's new key: its own partition, its event id's sort key. */
const newKey = (item: Record<string, unknown>) => ({
  pk: String(item.pk),
  sk: keys.shipment.event('', String(item.eventId)).sk,
});

/**
 * Whether the item is a tracking event under the old key. An event id may hold any character, `#`
 * included, so the sort key's shape alone cannot tell: the old key is rebuilt from the item's own
 * `at` and `eventId` (stored with it, as the feed sent them) and compared whole. A new key
 * (`EVENT#<eventId>`) is always shorter than the old one of the same item, so never matches.
 */
export function hasOldEventKey(item: Record<string, unknown>): boolean {
  const { sk, at, eventId } = item;
  return (
    typeof sk === 'string' &&
    typeof at === 'string' &&
    typeof eventId === 'string' &&
    sk === `${EVENT}${at}#${eventId}`
  );
}

/**
 * Puts a copy of every tracking event stored under its old key under the new one (`keyline migrate
 * event-keys`), so that a redelivery of it is a duplicate. The old item stays (nothing is
 * deleted). Idempotent, and safe beside live traffic: a conditional put, so an event the new code
 * already stored under its id (redelivered meanwhile) stands as it is, and of two old items with
 * the same id (the old key let the same id with another time through) the first one copied stands.
 */
export function copyEventsToIdKeys(
  db: DocumentClient,
  tableName: string,
  onPage?: (progress: MigrationProgress) => void,
  o: MigrationOptions = {},
): Promise<MigrationProgress> {
  // For a dry run that counts exactly: the new keys already counted in the partition being read
  // (a scan reads a partition's items together, in sort key order).
  let partition: unknown;
  let counted = new Set<string>();
  return runMigration(
    db,
    tableName,
    {
      filter: 'begins_with(pk, :shipment) AND begins_with(sk, :event) AND #e = :entity',
      names: { '#e': ENTITY },
      values: { ':shipment': keys.shipment.item('').pk, ':event': EVENT, ':entity': 'TrackingEvent' },
      selects: hasOldEventKey,
      needed: async (db, TableName, item) => {
        const Key = newKey(item);
        if (item.pk !== partition) {
          partition = item.pk;
          counted = new Set();
        }
        if (counted.has(Key.sk)) return false;
        counted.add(Key.sk);
        const { Item } = await db.send(new GetCommand({ TableName, Key, ProjectionExpression: 'pk' }));
        return !Item;
      },
      write: (db, TableName, item) =>
        db.send(
          new PutCommand({
            TableName,
            Item: { ...item, ...newKey(item) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
    },
    onPage,
    o,
  );
}
