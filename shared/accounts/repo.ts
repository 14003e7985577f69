import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type QueryCommandInput, TransactGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet, batchWrite, chunk } from '../platform/dynamo/batch.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { keys, nameKey } from '../platform/dynamo/keys.ts';
import { queryAll, queryOnce } from '../platform/dynamo/query.ts';
import {
  createDroppingExisting,
  MAX_TRANSACTION_ITEMS,
  type Named,
  transactWrite,
} from '../platform/dynamo/transact.ts';
import { pool } from '../platform/pool.ts';
import { PhoneLookupEntity, PhoneLookups } from './lookup.ts';
import {
  type Account,
  type AccountStatus,
  type AccountWithContacts,
  type Contact,
  type PhoneLookup,
  phoneLookupOf,
  SEGMENTS,
  type Segment,
  withCurrentDerivation,
} from './model.ts';
import type { Tier } from './prioritization.ts';
import { type AccountPlan, sortContacts } from './registry.ts';
import type { ReviewRecord } from './review.ts';

export const AccountEntity = entity<Account>({
  name: 'Account',
  keys: (a) => ({
    ...keys.account.profile(a.id),
    ...keys.account.listing(a.segment, a.derived.tier, a.name, a.id),
  }),
  stored: (a) => ({ nameKey: nameKey(a.name), nameEnKey: nameKey(a.nameEn ?? '') }),
  // The contacts are stored inside the profile item (written by `write`, read by `get`).
  storedNames: ['nameKey', 'nameEnKey', 'sourceHash', 'contacts'],
});

export const ReviewEntity = entity<ReviewRecord>({
  name: 'AccountReview',
  keys: (r) => keys.account.review(r.accountId, r.decidedAt, r.id),
});

/**
 * A contact as its own item, as accounts were stored before their contacts moved into the profile
 * item: still read, and removed by the account's next write.
 */
const LegacyContactEntity = entity<Contact>({
  name: 'Contact',
  keys: (c) => keys.contact.item(c.accountId, c.id),
});

/** What a bulk import needs to know of a stored profile before it plans. */
export interface ProfileHead {
  id: string;
  version: number;
  createdAt: string;
  sourceHash?: string;
}

/**
 * An account's status and zone and one contact's call flags, numbers and zone, as read at the
 * moment of a call (the zone the call is placed in is `callZone` of these).
 */
export interface CallStanding {
  account?: Pick<Account, 'status' | 'timeZone'>;
  contact?: Pick<Contact, 'doNotCall' | 'doNotCallSince' | 'consent' | 'phones' | 'timeZone'>;
}

export interface ListFilter {
  tier?: Tier;
  segment?: Segment;
  /** Case-insensitive text matched against the Chinese and English names. */
  q?: string;
}

/**
 * Accounts (each one profile item holding its contacts) and phone lookups in the single table. An
 * account plan (accounts/registry) is written in one transaction, conditional on the version it
 * was planned from, so a lookup never sees a half-written account and two writers never overwrite
 * each other.
 */
export class AccountRepo {
  private readonly lookups: PhoneLookups;
  /** Accounts read with contacts still in their own items: their next write removes those. */
  private readonly legacy = new WeakMap<AccountWithContacts, string[]>();

  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {
    this.lookups = new PhoneLookups(db, tableName);
  }

  /**
   * What a call needs to know at the moment it is placed, read strongly consistent (an opt-out
   * made a second ago counts, and so does a zone changed since the call was planned): the
   * account's status and zone and the one contact's flags, numbers and zone, in one
   * TransactGetItems (the profile, and the contact's own item of an account stored the old way).
   */
  async callStanding(accountId: string, contactId: string | undefined): Promise<CallStanding> {
    const r = await this.db.send(
      new TransactGetCommand({
        TransactItems: [
          {
            Get: {
              TableName: this.tableName,
              Key: keys.account.profile(accountId),
              ProjectionExpression: '#status, #zone, contacts',
              ExpressionAttributeNames: { '#status': 'status', '#zone': 'timeZone' },
            },
          },
          ...(contactId
            ? [
                {
                  Get: {
                    TableName: this.tableName,
                    Key: keys.contact.item(accountId, contactId),
                    ProjectionExpression: 'doNotCall, doNotCallSince, consent, phones, #zone',
                    ExpressionAttributeNames: { '#zone': 'timeZone' },
                  },
                },
              ]
            : []),
        ],
      }),
    );
    const [profile, legacyContact] = (r.Responses ?? []).map((x) => x.Item);
    const inline = profile?.contacts as Contact[] | undefined;
    const contact = inline ? inline.find((c) => c.id === contactId) : legacyContact;
    return {
      ...(profile
        ? {
            account: {
              status: (profile.status as Account['status']) ?? 'active',
              timeZone: (profile.timeZone as string | undefined) ?? 'Asia/Shanghai',
            },
          }
        : {}),
      ...(contact ? { contact: contact as CallStanding['contact'] } : {}),
    };
  }

  /**
   * The profile and its contacts. One query over the PROFILE sort-key prefix, which also finds the
   * contact items of an account stored before contacts moved into the profile.
   */
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
    const legacy = items
      .filter((i) => String(i.sk).startsWith(keys.contact.prefix))
      .map((i) => LegacyContactEntity.fromItem(i));
    const contacts = Array.isArray(profile.contacts) ? (profile.contacts as Contact[]) : legacy;
    const account = {
      ...withCurrentDerivation(AccountEntity.fromItem(profile)),
      contacts: sortContacts(contacts),
    };
    if (legacy.length > 0)
      this.legacy.set(
        account,
        legacy.map((c) => c.id),
      );
    return account;
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
    return pages.flat().map((i) => withCurrentDerivation(AccountEntity.fromItem(i)));
  }

  /** The live phone-lookup items of a number, highest priority first (see lookup.ts liveMatches). */
  findByPhone(e164: string, abortSignal?: AbortSignal): Promise<PhoneLookup[]> {
    return this.lookups.findLive(e164, abortSignal);
  }

  /**
   * The lookup items of a number as stored, unchecked against their accounts (one request): for a
   * reader that checks the account another way, such as the IVR's owner test, which matches them
   * against a shipment's account (a shipment exists only for a committed account).
   */
  lookupsOf(e164: string, abortSignal?: AbortSignal): Promise<PhoneLookup[]> {
    return this.lookups.find(e164, abortSignal);
  }

  /**
   * Writes a plan atomically: the profile (conditional on the planned version), the contacts and
   * their lookups, and the removals. A stale version cancels it with the item named `profile`.
   */
  async write(p: AccountPlan, current?: AccountWithContacts, extra: Named[] = []): Promise<void> {
    const items: Named[] = [
      ...extra,
      {
        name: 'profile',
        Put: {
          TableName: this.tableName,
          Item: this.profileItem(p),
          ...(p.expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': p.expectedVersion },
              }),
        },
      },
      ...this.lookupItems(p).map((Item) => ({ Put: { TableName: this.tableName, Item } })),
    ];
    for (const id of (current && this.legacy.get(current)) ?? []) {
      items.push({ Delete: { TableName: this.tableName, Key: keys.contact.item(p.account.id, id) } });
    }
    for (const r of p.removedPhones) {
      items.push({
        Delete: { TableName: this.tableName, Key: keys.phone.item(r.e164, p.account.id, r.contactId) },
      });
    }
    await transactWrite(this.db, items);
  }

  /** An account's review decisions, newest first. */
  async reviews(accountId: string, limit = 20): Promise<ReviewRecord[]> {
    const { items } = await queryOnce(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.account.partition(accountId),
        ':prefix': keys.account.reviewPrefix,
      },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.map((i) => ReviewEntity.fromItem(i));
  }

  /** The put of a review's record, to write in the same transaction as the account it moves. */
  reviewPut(r: ReviewRecord): Named {
    return { name: 'review', Put: { TableName: this.tableName, Item: ReviewEntity.toItem(r) } };
  }

  /** The stored heads of these accounts' profiles (those that exist), read in batches. */
  async heads(accountIds: string[]): Promise<Map<string, ProfileHead>> {
    const items = await batchGet(
      this.db,
      this.tableName,
      accountIds.map((id) => keys.account.profile(id)),
      {
        projection: 'id, #version, createdAt, sourceHash',
        names: { '#version': 'version' },
        consistent: true,
      },
    );
    return new Map(items.map((i) => [String(i.id), i as unknown as ProfileHead]));
  }

  /** These accounts' statuses (those that exist), read in batches: the stream's rescoring asks. */
  async statuses(accountIds: readonly string[]): Promise<Map<string, AccountStatus>> {
    const items = await batchGet(
      this.db,
      this.tableName,
      accountIds.map((id) => keys.account.profile(id)),
      { projection: 'id, #status', names: { '#status': 'status' } },
    );
    return new Map(items.map((i) => [String(i.id), (i.status as AccountStatus | undefined) ?? 'active']));
  }

  /**
   * The first half of a bulk creation: the phone lookups of new accounts, put in batches. Nothing
   * staged is visible until `commitCreates` writes the profiles (with their contacts): a lookup
   * counts only while its account's profile exists with the creation time it names.
   */
  async stageCreates(plans: AccountPlan[], concurrency: number): Promise<void> {
    const puts = plans.flatMap((p) => this.lookupItems(p)).map((Item) => ({ PutRequest: { Item } }));
    await batchWrite(this.db, this.tableName, puts, concurrency);
  }

  /**
   * The second half: the staged accounts' profiles, each one item with its contacts, in
   * transactions of up to 100, each profile on condition that no account of its id exists. A
   * transaction with such a profile writes nothing; it is sent again without it, and the ids of
   * the accounts that existed are answered.
   */
  async commitCreates(plans: AccountPlan[], concurrency: number): Promise<{ existing: string[] }> {
    const existing: string[] = [];
    await pool(chunk(plans, MAX_TRANSACTION_ITEMS), concurrency, async (pack) => {
      const r = await createDroppingExisting(
        this.db,
        pack,
        (p) => p.account.id,
        (left) =>
          left.map((p) => ({
            name: p.account.id,
            Put: {
              TableName: this.tableName,
              Item: this.profileItem(p),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
      );
      existing.push(...r.existing);
    });
    return { existing };
  }

  /**
   * Undoes a creation's staged lookups for an account that turned out to exist: those the stored
   * account does not have are removed, those it has (an identical import stages the same keys)
   * are put back as the stored account's.
   */
  async discardStaged(p: AccountPlan, stored: AccountWithContacts | undefined): Promise<void> {
    const mine = new Map(
      (stored?.contacts ?? []).flatMap((c) => c.phones.map((x) => [`${c.id} ${x.e164}`, c] as const)),
    );
    const requests = p.put.flatMap((c) =>
      c.phones.map((x) => {
        const theirs = mine.get(`${c.id} ${x.e164}`);
        return theirs && stored
          ? { PutRequest: { Item: PhoneLookupEntity.toItem(phoneLookupOf(stored, theirs, x.e164)) } }
          : { DeleteRequest: { Key: keys.phone.item(x.e164, p.account.id, c.id) } };
      }),
    );
    await batchWrite(this.db, this.tableName, requests);
  }

  /**
   * Records that the stored account is what this input makes (a save found it unchanged), so the
   * next re-import knows it from the profile alone. Only if nothing was written since.
   */
  async markSource(accountId: string, version: number, sourceHash: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.account.profile(accountId),
          UpdateExpression: 'SET sourceHash = :h',
          ConditionExpression: '#version = :v',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':h': sourceHash, ':v': version },
        }),
      );
    } catch (err) {
      // Written since: the next re-import reads and compares, as without the mark.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  /** The profile item: the account, its contacts, and the save's fingerprint if any. */
  private profileItem(p: AccountPlan) {
    return {
      ...AccountEntity.toItem(p.account),
      contacts: p.contacts,
      ...(p.sourceHash ? { sourceHash: p.sourceHash } : {}),
    };
  }

  /** The lookups of the contacts to put (each names its account's creation time). */
  private lookupItems(p: AccountPlan) {
    return p.put.flatMap((c) =>
      c.phones.map((phone) => PhoneLookupEntity.toItem(phoneLookupOf(p.account, c, phone.e164))),
    );
  }
}
