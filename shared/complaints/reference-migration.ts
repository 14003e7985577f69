/**
 * The one-off migration of a table from before complaints' reference items: each complaint
 * resolved or closed before then gets the item that finds it by the reference the caller quotes
 * (`GET /complaints?reference=`), as a resolution writes it today.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { ENTITY, keys } from '../platform/dynamo/keys.ts';
import { type MigrationOptions, type MigrationProgress, runMigration } from '../platform/dynamo/migration.ts';
import { UNRESOLVED } from './model.ts';
import { ComplaintEntity, referenceItem } from './repo.ts';

/**
 * Writes the reference item of every resolved or closed complaint that has none (`keyline migrate
 * complaint-references`). Idempotent (a reference item already there is left as it is), and safe
 * beside live traffic: a complaint resolved meanwhile wrote its own, the same.
 */
export function backfillComplaintReferences(
  db: DocumentClient,
  tableName: string,
  onPage?: (progress: MigrationProgress) => void,
  o: MigrationOptions = {},
): Promise<MigrationProgress> {
  const unresolved = Object.fromEntries(UNRESOLVED.map((s, i) => [`:u${i}`, s]));
  return runMigration(
    db,
    tableName,
    {
      filter: `#e = :complaint AND NOT (#s IN (${Object.keys(unresolved).join(', ')}))`,
      projection: 'id, #r',
      names: { '#e': ENTITY, '#s': 'status', '#r': 'reference' },
      values: { ':complaint': ComplaintEntity.name, ...unresolved },
      needed: async (db, TableName, item) =>
        !(
          await db.send(
            new GetCommand({
              TableName,
              Key: keys.complaint.reference(String(item.reference)),
              ProjectionExpression: 'pk',
            }),
          )
        ).Item,
      write: (db, TableName, item) =>
        db.send(
          new PutCommand({
            TableName,
            Item: referenceItem({ id: String(item.id), reference: String(item.reference) }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
    },
    onPage,
    o,
  );
}
