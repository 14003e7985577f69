import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';

/**
 * Whose a shipment is, in one small read (its `accountId` only): for a contact-flow Lambda that
 * needs no more of it, and whose bundle (a caller waits for its cold start) stays small.
 */
export function shipmentOwners(db: DocumentClient, tableName: string) {
  return {
    async get(waybill: string): Promise<{ accountId: string } | undefined> {
      const r = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.shipment.item(waybill),
          ProjectionExpression: 'accountId',
        }),
      );
      return r.Item?.accountId ? { accountId: String(r.Item.accountId) } : undefined;
    },
  };
}
