/**
 * The one loop of the table's one-off migrations (`keyline migrate …`): a scan for the items
 * from before a change, and a conditional write per item that brings it up to date. Idempotent,
 * safe beside live traffic (a write whose condition no longer holds is skipped, never forced),
 * reporting progress after each page.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { pool } from '../pool.ts';
import type { DocumentClient } from './client.ts';

export interface MigrationProgress {
  /** Items the scan read (before its filter). */
  scanned: number;
  /** Items brought up to date (with `dryRun`: that would be). */
  updated: number;
}

export interface MigrationOptions {
  /** Count what would be updated; write nothing. */
  dryRun?: boolean;
  /** Writes in flight (default 8). */
  concurrency?: number;
}

export interface Migration {
  /** The scan's filter for the items to migrate, and what it reads of them (default: all of each). */
  filter: string;
  projection?: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
  /**
   * Of the items the filter lets through, those to migrate, when a filter expression cannot tell
   * (it cannot compare an attribute with one built from others). Without it, every item found.
   */
  selects?: (item: Record<string, unknown>) => boolean;
  /**
   * For a dry run, whether the item still needs its write (when the filter alone cannot tell: what
   * the write's condition checks lies in another item). Without it, every item found counts.
   */
  needed?: (db: DocumentClient, tableName: string, item: Record<string, unknown>) => Promise<boolean>;
  /** The conditional write of one item; a ConditionalCheckFailedException means: nothing to do. */
  write: (db: DocumentClient, tableName: string, item: Record<string, unknown>) => Promise<unknown>;
}

export async function runMigration(
  db: DocumentClient,
  tableName: string,
  m: Migration,
  onPage: (progress: MigrationProgress) => void = () => {},
  o: MigrationOptions = {},
): Promise<MigrationProgress> {
  const progress = { scanned: 0, updated: 0 };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: m.filter,
        ...(m.projection ? { ProjectionExpression: m.projection } : {}),
        ...(m.names ? { ExpressionAttributeNames: m.names } : {}),
        ...(m.values ? { ExpressionAttributeValues: m.values } : {}),
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    progress.scanned += page.ScannedCount ?? 0;
    const items = m.selects ? (page.Items ?? []).filter(m.selects) : (page.Items ?? []);
    await pool(items, o.concurrency ?? 8, async (item) => {
      if (o.dryRun) {
        if (!m.needed || (await m.needed(db, tableName, item))) progress.updated++;
        return;
      }
      try {
        await m.write(db, tableName, item);
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
