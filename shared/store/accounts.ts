import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import {
  type Account,
  type AccountInput,
  type AccountSummary,
  type AccountWithContacts,
  buildAccount,
  type Contact,
  type ContactInput,
  normalizeContact,
  routingQueueOf,
  SEGMENTS,
  type Segment,
} from '../domain/account.ts';
import { normalizePhone } from '../domain/phone.ts';
import type { PrioritizationPolicy, Tier } from '../domain/prioritization.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../errors.ts';
import type { DocumentClient } from './client.ts';
import { keys, nameKey } from './keys.ts';
import { queryAll } from './query.ts';

/** DynamoDB's limit on actions in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What the screen pop reads for a phone number, one item per (number, account, contact). */
export interface PhoneLookupItem {
  e164: string;
  accountId: string;
  contactId: string;
  accountName: string;
  contactName: string;
  tier: Tier;
  priorityScore: number;
  routingPriority: number;
  segment: Segment;
  serviceGroup: string;
  /** Queue name: the dedicated team's for key accounts, the service group's otherwise. */
  routingQueue: string;
  dedicatedRep?: string;
  language: string;
  doNotCall: boolean;
}

export interface ListFilter {
  tier?: Tier;
  segment?: Segment;
  /** Case-insensitive text matched against the Chinese and English names. */
  q?: string;
}

export interface SaveOptions {
  now?: Date;
  /** Skip the write when nothing would change (re-imports). */
  skipUnchanged?: boolean;
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

/**
 * The key-account registry. An account, its contacts and its phone-lookup items are written in
 * one transaction, so a lookup never sees a half-written account.
 */
export class AccountStore {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
    private readonly policy?: PrioritizationPolicy,
    private readonly newId: () => string = ulid,
  ) {}

  /** One query reads the profile and all its contacts (they share the PROFILE sort-key prefix). */
  async get(accountId: string): Promise<AccountWithContacts | undefined> {
    const items = await this.queryAll({
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
      .map((i) => stripKeys(i) as Contact)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    return { ...(stripKeys(profile) as Account), contacts };
  }

  async require(accountId: string): Promise<AccountWithContacts> {
    const account = await this.get(accountId);
    if (!account) throw new NotFoundError('Account', accountId);
    return account;
  }

  /** Accounts by segment and tier through gsi1 (one query per segment), ordered by priority. */
  async list(filter: ListFilter = {}): Promise<AccountSummary[]> {
    const segments = filter.segment ? [filter.segment] : [...SEGMENTS];
    const q = filter.q ? nameKey(filter.q) : undefined;
    const pages = await Promise.all(
      segments.map((segment) => {
        const values: Record<string, unknown> = { ':pk': keys.account.segmentPartition(segment) };
        let condition = 'gsi1pk = :pk';
        if (filter.tier) {
          condition += ' AND begins_with(gsi1sk, :tier)';
          values[':tier'] = keys.account.tierPrefix(filter.tier);
        }
        const input: QueryCommandInput = {
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: condition,
          ExpressionAttributeValues: values,
        };
        if (q) {
          input.FilterExpression = 'contains(nameKey, :q) OR contains(nameEnKey, :q)';
          values[':q'] = q;
        }
        return this.queryAll(input);
      }),
    );
    return pages
      .flat()
      .map((i) => toSummary(stripKeys(i) as Account))
      .sort((a, b) => b.priorityScore - a.priorityScore || a.name.localeCompare(b.name, 'zh-CN'));
  }

  /** The phone-lookup items for a number: the screen-pop hot path's first round trip. */
  async findByPhone(e164: string): Promise<PhoneLookupItem[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.phone.partition(e164) },
    });
    return items
      .map((i) => stripKeys(i) as unknown as PhoneLookupItem)
      .sort((a, b) => b.priorityScore - a.priorityScore);
  }

  /**
   * Creates or replaces an account with its full contact list. A replace must name the version it
   * replaces; a stale version answers a ConflictError. Contacts left out are removed, and so are
   * the lookup items of their phone numbers.
   */
  async save(
    accountId: string,
    input: AccountInput,
    options: SaveOptions = {},
  ): Promise<{ account: AccountWithContacts; outcome: SaveOutcome }> {
    const now = options.now ?? new Date();
    const current = await this.get(accountId);
    if (current && input.version === undefined && !options.skipUnchanged) {
      throw new ConflictError(`Account ${accountId} already exists; send its current version to replace it`, {
        currentVersion: current.version,
      });
    }
    if (!current && input.version !== undefined) {
      throw new NotFoundError('Account', accountId);
    }
    const expectedVersion = options.skipUnchanged ? current?.version : input.version;
    if (current && expectedVersion !== current.version) {
      throw staleVersion(accountId, expectedVersion, current.version);
    }

    const issues: FieldError[] = [];
    const existingByName = new Map(current?.contacts.map((c) => [c.name, c.id]) ?? []);
    const contacts = input.contacts.map((c, i) => {
      const withId = c.id ? c : { ...c, id: existingByName.get(c.name) };
      const r = normalizeContact(withId, accountId, input.phoneRegion, this.newId, ['contacts', i]);
      issues.push(...r.issues);
      return r.contact;
    });
    const ids = new Set<string>();
    contacts.forEach((c, i) => {
      if (ids.has(c.id))
        issues.push({ path: `contacts.${i}.id`, message: `contact id ${c.id} appears twice` });
      ids.add(c.id);
    });
    if (issues.length > 0) throw new ValidationError(issues);

    const version = (current?.version ?? 0) + 1;
    const account = buildAccount(accountId, input, version, now, current?.createdAt, this.policy);

    if (current && options.skipUnchanged && sameContent(current, account, contacts)) {
      return { account: current, outcome: 'unchanged' };
    }

    const items: TransactItem[] = [this.putProfile(account, current?.version)];
    for (const c of contacts) items.push(...this.putContact(account, c));
    for (const old of current?.contacts ?? []) {
      const next = contacts.find((c) => c.id === old.id);
      if (!next)
        items.push({ Delete: { TableName: this.tableName, Key: keys.contact.item(accountId, old.id) } });
      for (const p of old.phones) {
        if (!next?.phones.some((x) => x.e164 === p.e164)) {
          items.push({
            Delete: { TableName: this.tableName, Key: keys.phone.item(p.e164, accountId, old.id) },
          });
        }
      }
    }
    if (items.length > MAX_TRANSACTION_ITEMS) {
      throw new ValidationError([
        {
          path: 'contacts',
          message: `contacts and phone numbers need ${items.length} writes; at most ${MAX_TRANSACTION_ITEMS} fit in one atomic write`,
        },
      ]);
    }
    await this.transact(items, accountId, expectedVersion);
    return {
      account: { ...account, contacts: sortContacts(contacts) },
      outcome: current ? 'updated' : 'created',
    };
  }

  /** Adds one contact (and its phone lookups) and bumps the account version, atomically. */
  async addContact(accountId: string, input: ContactInput, now = new Date()): Promise<Contact> {
    const account = await this.require(accountId);
    const { contact, issues } = normalizeContact(input, accountId, account.phoneRegion, this.newId);
    if (issues.length > 0) throw new ValidationError(issues);
    if (account.contacts.some((c) => c.id === contact.id)) {
      throw new ConflictError(`Contact ${contact.id} already exists on account ${accountId}`);
    }
    const bumped: Account = {
      ...withoutContacts(account),
      version: account.version + 1,
      updatedAt: now.toISOString(),
    };
    await this.transact(
      [this.putProfile(bumped, account.version), ...this.putContact(bumped, contact)],
      accountId,
      account.version,
    );
    return contact;
  }

  /**
   * Attaches a phone number to an existing contact (the unknown-caller card's "this is …"), with
   * its lookup item, atomically. Attaching a number the contact already has changes nothing.
   */
  async addPhone(
    accountId: string,
    contactId: string,
    number: string,
    label: 'mobile' | 'office' | 'other',
    now = new Date(),
  ): Promise<Contact> {
    const account = await this.require(accountId);
    const contact = account.contacts.find((c) => c.id === contactId);
    if (!contact) throw new NotFoundError('Contact', contactId);
    const r = normalizePhone(number, account.phoneRegion);
    if (!r.ok) throw new ValidationError([{ path: 'body.number', message: r.reason }]);
    if (contact.phones.some((p) => p.e164 === r.e164)) return contact;
    if (contact.phones.length >= 3) {
      throw new ValidationError([
        { path: 'body.number', message: 'a contact has at most 3 phone numbers; remove one first' },
      ]);
    }
    const updated: Contact = { ...contact, phones: [...contact.phones, { e164: r.e164, label }] };
    const bumped: Account = {
      ...withoutContacts(account),
      version: account.version + 1,
      updatedAt: now.toISOString(),
    };
    await this.transact(
      [this.putProfile(bumped, account.version), ...this.putContact(bumped, updated)],
      accountId,
      account.version,
    );
    return updated;
  }

  async getContacts(accountId: string): Promise<Contact[]> {
    return (await this.require(accountId)).contacts;
  }

  /** Raw item access for the idempotency store and tests. */
  async getItem(key: { pk: string; sk: string }) {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return r.Item;
  }

  async putItem(item: Record<string, unknown>) {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  private putProfile(account: Account, expectedVersion: number | undefined): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.account.profile(account.id),
          ...keys.account.listing(account.segment, account.derived.tier, nameKey(account.name), account.id),
          type: 'Account',
          nameKey: nameKey(account.name),
          nameEnKey: nameKey(account.nameEn ?? ''),
          ...account,
        },
        ...(expectedVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': expectedVersion },
            }),
      },
    };
  }

  private putContact(account: Account, contact: Contact): TransactItem[] {
    const out: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.contact.item(account.id, contact.id), type: 'Contact', ...contact },
        },
      },
    ];
    for (const phone of contact.phones) {
      const lookup: PhoneLookupItem = {
        e164: phone.e164,
        accountId: account.id,
        contactId: contact.id,
        accountName: account.name,
        contactName: contact.name,
        tier: account.derived.tier,
        priorityScore: account.derived.priorityScore,
        routingPriority: account.derived.routingPriority,
        segment: account.segment,
        serviceGroup: account.serviceGroup,
        routingQueue: routingQueueOf(account),
        ...(account.dedicatedRep ? { dedicatedRep: account.dedicatedRep } : {}),
        language: contact.language,
        doNotCall: contact.doNotCall,
      };
      out.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.phone.item(phone.e164, account.id, contact.id), type: 'PhoneLookup', ...lookup },
        },
      });
    }
    return out;
  }

  private async transact(items: TransactItem[], accountId: string, expectedVersion: number | undefined) {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (
        err instanceof TransactionCanceledException &&
        err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        const latest = await this.get(accountId);
        if (expectedVersion === undefined) {
          throw new ConflictError(`Account ${accountId} was created by another writer`, {
            currentVersion: latest?.version,
          });
        }
        throw staleVersion(accountId, expectedVersion, latest?.version);
      }
      throw err;
    }
  }

  private queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, input);
  }
}

const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'type',
  'nameKey',
  'nameEnKey',
  'expiresAt',
];

function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRIBUTES.includes(k)) out[k] = v;
  return out;
}

function staleVersion(accountId: string, sent: number | undefined, current: number | undefined) {
  return new ConflictError(
    `Account ${accountId} changed since version ${sent}; reload it and apply your change again`,
    {
      sentVersion: sent,
      currentVersion: current,
    },
  );
}

function withoutContacts(a: AccountWithContacts): Account {
  const { contacts: _contacts, ...rest } = a;
  return rest;
}

function sortContacts(contacts: Contact[]) {
  return [...contacts].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

function toSummary(a: Account): AccountSummary {
  return {
    id: a.id,
    name: a.name,
    ...(a.nameEn ? { nameEn: a.nameEn } : {}),
    segment: a.segment,
    regions: a.regions,
    serviceGroup: a.serviceGroup,
    accountManager: a.accountManager,
    ...(a.dedicatedRep ? { dedicatedRep: a.dedicatedRep } : {}),
    tier: a.derived.tier,
    reviewQuadrant: a.derived.reviewQuadrant,
    priorityScore: a.derived.priorityScore,
    clv: a.derived.clv,
    version: a.version,
  };
}

/** Deep equality on what a write would store, ignoring bookkeeping. */
function sameContent(current: AccountWithContacts, next: Account, contacts: Contact[]): boolean {
  const strip = (a: Account) => {
    const { version: _v, createdAt: _c, updatedAt: _u, ...rest } = a as Account & { contacts?: unknown };
    delete (rest as { contacts?: unknown }).contacts;
    return rest;
  };
  return (
    canonical(strip(withoutContacts(current))) === canonical(strip(next)) &&
    canonical(sortContacts(current.contacts)) === canonical(sortContacts(contacts))
  );
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
