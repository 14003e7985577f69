/**
 * The phone lookup: which contacts and accounts a number belongs to, with the routing summary
 * copied on each item. On the screen pop's hot path, so it imports no schema library: the types
 * come from the account model's zod schemas at compile time only.
 */
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { queryOnce } from '../platform/dynamo/query.ts';
import type { PhoneLookup } from './model.ts';

export const PhoneLookupEntity = entity<PhoneLookup>({
  name: 'PhoneLookup',
  keys: (p) => keys.phone.item(p.e164, p.accountId, p.contactId),
});

/** Highest priority first; ties by account id, so every reader orders matches alike. */
export const byPriority = (a: PhoneLookup, b: PhoneLookup) =>
  b.priorityScore - a.priorityScore || a.accountId.localeCompare(b.accountId);

export class PhoneLookups {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  /** The lookup items of a number, highest priority first. */
  async find(e164: string, abortSignal?: AbortSignal): Promise<PhoneLookup[]> {
    const r = await queryOnce(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.phone.partition(e164) },
        Limit: 50,
      },
      abortSignal,
    );
    return r.items.map((i) => PhoneLookupEntity.fromItem(i)).sort(byPriority);
  }
}
