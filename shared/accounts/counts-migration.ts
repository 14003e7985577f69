/**
 * The one-off migration of a table from before the counts index (gsi3): kept apart from stats.ts,
 * which the screen pop bundles.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { pool } from '../platform/pool.ts';

/**
 * Gives the counter items written before the counts index existed (shards, complaints' own count
 * items) that index's keys, so that readStats counts them: run once on a table from before it
 * (`keyline migrate counts-index`). Idempotent, and safe beside live traffic: an item removed
 * meanwhile (a complaint resolved) is not brought back. Reports progress after each page. With
 * `dryRun`, counts the items it would update and writes nothing; `concurrency` bounds the updates
 * in flight (default 8).
 */
export async function backfillCountsIndex(
  db: DocumentClient,
  tableName: string,
  onPage: (progress: { scanned: number; updated: number }) => void = () => {},
  o: { dryRun?: boolean; concurrency?: number } = {},
): Promise<{ scanned: number; updated: number }> {
  const progress = { scanned: 0, updated: 0 };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :stats) AND attribute_not_exists(gsi3pk)',
        ExpressionAttributeValues: { ':stats': keys.stats.partition('') },
        ProjectionExpression: 'pk, sk',
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    progress.scanned += page.ScannedCount ?? 0;
    await pool(page.Items ?? [], o.concurrency ?? 8, async (item) => {
      if (o.dryRun) {
        progress.updated++;
        return;
      }
      const key = { pk: String(item.pk), sk: String(item.sk) };
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET gsi3pk = :pk, gsi3sk = :sk',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':pk': key.pk, ':sk': key.sk },
          }),
        );
        progress.updated++;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    });
    onPage({ ...progress });
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return progress;
}
