import { type QueryCommandInput, TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { keys, nameKey } from '../platform/dynamo/keys.ts';
import { queryAll } from '../platform/dynamo/query.ts';
import { type Named, transactWrite } from '../platform/dynamo/transact.ts';
import { PhoneLookupEntity, PhoneLookups } from './lookup.ts';
import {
  type Account,
  type AccountWithContacts,
  type Contact,
  type PhoneLookup,
  phoneLookupOf,
  SEGMENTS,
  type Segment,
} from './model.ts';
import type { Tier } from './prioritization.ts';
import { type AccountPlan, sortContacts } from './registry.ts';

export const AccountEntity = entity<Account>({
  name: 'Account',
  keys: (a) => ({
    ...keys.account.profile(a.id),
    ...keys.account.listing(a.segment, a.derived.tier, a.name, a.id),
  }),
  stored: (a) => ({ nameKey: nameKey(a.name), nameEnKey: nameKey(a.nameEn ?? '') }),
  storedNames: ['nameKey', 'nameEnKey'],
});

export const ContactEntity = entity<Contact>({
  name: 'Contact',
  keys: (c) => keys.contact.item(c.accountId, c.id),
});

/** An account's status and one contact's call flags, as read at the moment of a call. */
export interface CallStanding {
  account?: Pick<Account, 'status'>;
  contact?: Pick<Contact, 'doNotCall' | 'doNotCallSince' | 'consent' | 'phones'>;
}

export interface ListFilter {
  tier?: Tier;
  segment?: Segment;
  /** Case-insensitive text matched against the Chinese and English names. */
  q?: string;
}

/**
 * Accounts, contacts and phone lookups in the single table. An account plan (accounts/registry)
 * is written in one transaction, conditional on the version it was planned from, so a lookup never
 * sees a half-written account and two writers never overwrite each other.
 */
export class AccountRepo {
  private readonly lookups: PhoneLookups;

  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {
    this.lookups = new PhoneLookups(db, tableName);
  }

  /**
   * What a call needs to know at the moment it is placed, read strongly consistent (an opt-out
   * made a second ago counts): the account's status and the one contact's flags and numbers. Two
   * small items in one TransactGetItems, not the whole account.
   */
  async callStanding(accountId: string, contactId: string | undefined): Promise<CallStanding> {
    const projection = {
      ProjectionExpression: '#status, doNotCall, doNotCallSince, consent, phones, sk',
      ExpressionAttributeNames: { '#status': 'status' },
    };
    const r = await this.db.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: this.tableName, Key: keys.account.profile(accountId), ...projection } },
          ...(contactId
            ? [
                {
                  Get: {
                    TableName: this.tableName,
                    Key: keys.contact.item(accountId, contactId),
                    ...projection,
                  },
                },
              ]
            : []),
        ],
      }),
    );
    const [profile, contact] = (r.Responses ?? []).map((x) => x.Item);
    return {
      ...(profile ? { account: { status: (profile.status as Account['status']) ?? 'active' } } : {}),
      ...(contact ? { contact: contact as CallStanding['contact'] } : {}),
    };
  }

  /** One query reads the profile and all its contacts (they share the PROFILE sort-key prefix). */
  async get(accountId: string): Promise<AccountWithContacts | undefined> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.account.partition(accountId),
        ':prefix': keys.account.profileTreePrefix,
      },
    });
    const profile = items.find((i) => i.sk === keys.account.profile(accountId).sk);
    if (!profile) return undefined;
    const contacts = items
      .filter((i) => String(i.sk).startsWith(keys.contact.prefix))
      .map((i) => ContactEntity.fromItem(i));
    return { ...AccountEntity.fromItem(profile), contacts: sortContacts(contacts) };
  }

  /** Accounts by segment and tier through gsi1 (one query per segment). */
  async list(filter: ListFilter = {}): Promise<Account[]> {
    const segments = filter.segment ? [filter.segment] : [...SEGMENTS];
    const q = filter.q ? nameKey(filter.q) : undefined;
    const pages = await Promise.all(
      segments.map((segment) => {
        const input: QueryCommandInput = {
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: filter.tier
            ? 'gsi1pk = :pk AND begins_with(gsi1sk, :tier)'
            : 'gsi1pk = :pk',
          ExpressionAttributeValues: {
            ':pk': keys.account.segmentPartition(segment),
            ...(filter.tier ? { ':tier': keys.account.tierPrefix(filter.tier) } : {}),
            ...(q ? { ':q': q } : {}),
          },
          ...(q ? { FilterExpression: 'contains(nameKey, :q) OR contains(nameEnKey, :q)' } : {}),
        };
        return queryAll(this.db, input);
      }),
    );
    return pages.flat().map((i) => AccountEntity.fromItem(i));
  }

  /** The phone-lookup items for a number, highest priority first (the screen pop's first read). */
  findByPhone(e164: string, abortSignal?: AbortSignal): Promise<PhoneLookup[]> {
    return this.lookups.find(e164, abortSignal);
  }

  /**
   * Writes a plan atomically: the profile (conditional on the planned version), the contacts and
   * their lookups, and the removals. A stale version cancels it with the item named `profile`.
   */
  async write(p: AccountPlan): Promise<void> {
    const items: Named[] = [
      {
        name: 'profile',
        Put: {
          TableName: this.tableName,
          Item: AccountEntity.toItem(p.account),
          ...(p.expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': p.expectedVersion },
              }),
        },
      },
    ];
    for (const c of p.put) {
      items.push({ Put: { TableName: this.tableName, Item: ContactEntity.toItem(c) } });
      for (const phone of c.phones) {
        const lookup = phoneLookupOf(p.account, c, phone.e164);
        items.push({ Put: { TableName: this.tableName, Item: PhoneLookupEntity.toItem(lookup) } });
      }
    }
    for (const id of p.removedContacts) {
      items.push({ Delete: { TableName: this.tableName, Key: keys.contact.item(p.account.id, id) } });
    }
    for (const r of p.removedPhones) {
      items.push({
        Delete: { TableName: this.tableName, Key: keys.phone.item(r.e164, p.account.id, r.contactId) },
      });
    }
    await transactWrite(this.db, items);
  }
}
