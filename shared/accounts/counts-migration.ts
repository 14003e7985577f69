/**
 * The one-off migration of a table from before the counts index (gsi3): kept apart from stats.ts,
 * which the screen pop bundles.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { type MigrationOptions, type MigrationProgress, runMigration } from '../platform/dynamo/migration.ts';

/**
 * Gives the counter items written before the counts index existed (shards, complaints' own count
 * items) that index's keys, so that readStats counts them: run once on a table from before it
 * (`keyline migrate counts-index`). Idempotent, and safe beside live traffic: an item removed
 * meanwhile (a complaint resolved) is not brought back.
 */
export function backfillCountsIndex(
  db: DocumentClient,
  tableName: string,
  onPage?: (progress: MigrationProgress) => void,
  o: MigrationOptions = {},
): Promise<MigrationProgress> {
  return runMigration(
    db,
    tableName,
    {
      filter: 'begins_with(pk, :stats) AND attribute_not_exists(gsi3pk)',
      projection: 'pk, sk',
      values: { ':stats': keys.stats.partition('') },
      write: (db, TableName, item) => {
        const key = { pk: String(item.pk), sk: String(item.sk) };
        return db.send(
          new UpdateCommand({
            TableName,
            Key: key,
            UpdateExpression: 'SET gsi3pk = :pk, gsi3sk = :sk',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':pk': key.pk, ':sk': key.sk },
          }),
        );
      },
    },
    onPage,
    o,
  );
}
