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

/** How many of a number's accounts `heads` confirms, highest priority first. */
export const MAX_HEADS = 10;

/** Each account's creation time, for the accounts whose profile exists. */
export type AccountHeads = ReadonlyMap<string, string>;

/**
 * The matches whose account exists with the creation time the lookup was written for: a lookup
 * staged by an import that never committed, or left by an account since replaced, is not one.
 */
export function liveMatches(matches: PhoneLookup[], heads: AccountHeads): PhoneLookup[] {
  return matches.filter((m) => {
    const createdAt = heads.get(m.accountId);
    return createdAt !== undefined && (m.accountCreatedAt === undefined || m.accountCreatedAt === createdAt);
  });
}

export class PhoneLookups {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The lookup items of a number, highest priority first. All of them, in one request (a page
   * holds thousands): they are stored by account id, not by priority, so a limit would drop the
   * key account behind a switchboard number that many other accounts' contacts list.
   */
  async find(e164: string, abortSignal?: AbortSignal): Promise<PhoneLookup[]> {
    const r = await queryOnce(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.phone.partition(e164) },
      },
      abortSignal,
    );
    return r.items.map((i) => PhoneLookupEntity.fromItem(i)).sort(byPriority);
  }

  /**
   * The creation times of these accounts' profiles (absent: no such account): one Query of each
   * profile's key, side by side. A Query, not a BatchGetItem, because the screen pop already sends
   * Queries: a cold start pays a command's first use once (about 5 ms of a cold invocation, see
   * the README's screen-pop figures), and a number almost always names one account.
   */
  async heads(accountIds: string[], abortSignal?: AbortSignal): Promise<AccountHeads> {
    const pages = await Promise.all(
      // The first accounts named (by priority, as `find` orders them): the others are not read,
      // so they count as not live, and a shared number's fan-out stays bounded.
      [...new Set(accountIds)].slice(0, MAX_HEADS).map((id) => {
        const k = keys.account.profile(id);
        return queryOnce(
          this.db,
          {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk = :sk',
            ExpressionAttributeValues: { ':pk': k.pk, ':sk': k.sk },
            ProjectionExpression: 'id, createdAt',
          },
          abortSignal,
        );
      }),
    );
    return new Map(pages.flatMap((p) => p.items).map((i) => [String(i.id), String(i.createdAt)]));
  }

  /** The live lookup items of a number (see liveMatches), highest priority first. */
  async findLive(e164: string, abortSignal?: AbortSignal): Promise<PhoneLookup[]> {
    const matches = await this.find(e164, abortSignal);
    if (matches.length === 0) return matches;
    return liveMatches(
      matches,
      await this.heads(
        matches.map((m) => m.accountId),
        abortSignal,
      ),
    );
  }
}
