/**
 * The outcomes of an account's scheduled follow-up calls (回访), in the account's partition,
 * newest read first: what the satisfaction trend and the quarterly review pack read.
 */
import * as z from 'zod';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { queryOnce } from '../platform/dynamo/query.ts';
import type { Named } from '../platform/dynamo/transact.ts';

export const AccountFollowUp = z
  .object({
    accountId: z.string(),
    callbackId: z.string(),
    at: z.string(),
    disposition: z.string(),
    satisfaction: z.number().int().optional(),
    notes: z.string().optional(),
    contactName: z.string().optional(),
  })
  .meta({ id: 'AccountFollowUp' });
export type AccountFollowUp = z.output<typeof AccountFollowUp>;

const AccountFollowUpEntity = entity<AccountFollowUp>({
  name: 'AccountFollowUp',
  keys: (f) => keys.account.followUp(f.accountId, f.at, f.callbackId),
});

export class FollowUpLog {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  /** The put of an outcome, written in the transaction of the disposition it records. */
  put(f: AccountFollowUp): Named {
    return { Put: { TableName: this.tableName, Item: AccountFollowUpEntity.toItem(f) } };
  }

  /** An account's follow-up outcomes, newest first. */
  async list(accountId: string, limit = 12): Promise<AccountFollowUp[]> {
    const { items } = await queryOnce(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.account.partition(accountId),
        ':prefix': keys.account.followUpPrefix,
      },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.map((i) => AccountFollowUpEntity.fromItem(i));
  }
}
