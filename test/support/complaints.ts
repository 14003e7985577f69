import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { TABLE_NAME } from './fixtures.ts';

/**
 * Rewrites a stored complaint as complaints were stored before they counted themselves:
 * `openCounter: 'own-item'`, no counts-index keys on it, and its own count item in the account's
 * counter partition, without the counts-index keys either (the table before that index).
 */
export async function storeAsOwnItemCounted(db: DocumentClient, complaintId: string, accountId: string) {
  const TableName = TABLE_NAME();
  const { Item } = await db.send(
    new GetCommand({ TableName, Key: keys.complaint.item(complaintId), ConsistentRead: true }),
  );
  if (!Item) throw new Error(`no complaint ${complaintId}`);
  const { gsi3pk: _p, gsi3sk: _s, openComplaints: _o, ...old } = Item;
  await db.send(new PutCommand({ TableName, Item: { ...old, openCounter: 'own-item' } }));
  await db.send(
    new PutCommand({
      TableName,
      Item: { ...keys.stats.openComplaint(accountId, complaintId), openComplaints: 1 },
    }),
  );
}
