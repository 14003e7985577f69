import { ulid } from 'ulid';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { TransactionCancelled } from '../platform/dynamo/transact.ts';
import { ConflictError, decided, NotFoundError } from '../platform/errors.ts';
import {
  type AccountInput,
  type AccountSummary,
  type AccountWithContacts,
  type Contact,
  type ContactInput,
  type PhoneLookup,
  summaryOf,
} from './model.ts';
import type { PrioritizationPolicy } from './prioritization.ts';
import {
  type AccountPlan,
  planAddContact,
  planAddPhone,
  planSave,
  type SaveOutcome,
  staleVersion,
} from './registry.ts';
import { AccountRepo, type ListFilter } from './repo.ts';

export type { SaveOutcome } from './registry.ts';
export type { ListFilter } from './repo.ts';

export interface SaveOptions {
  now?: Date;
  /** Skip the write when nothing would change (re-imports). */
  skipUnchanged?: boolean;
  /** Check everything a write would (numbers, ids, versions) and answer its outcome; write nothing. */
  dryRun?: boolean;
  /**
   * Try the write as a creation first, without reading (an import of new accounts): if the
   * account exists after all, the transaction is refused whole and the usual read-and-plan runs.
   */
  assumeNew?: boolean;
}

/**
 * The key-account registry as the functions use it: read, and change through the registry's
 * rules, written by the repository. Write conflicts come back as domain errors.
 */
export class Accounts {
  readonly repo: AccountRepo;

  constructor(
    db: DocumentClient,
    tableName: string,
    private readonly policy?: PrioritizationPolicy,
    private readonly newId: () => string = ulid,
  ) {
    this.repo = new AccountRepo(db, tableName);
  }

  get(accountId: string): Promise<AccountWithContacts | undefined> {
    return this.repo.get(accountId);
  }

  async require(accountId: string): Promise<AccountWithContacts> {
    const account = await this.repo.get(accountId);
    if (!account) throw new NotFoundError('Account', accountId);
    return account;
  }

  /** The book, highest priority first. */
  async list(filter: ListFilter = {}): Promise<AccountSummary[]> {
    return (await this.repo.list(filter))
      .map(summaryOf)
      .sort((a, b) => b.priorityScore - a.priorityScore || a.name.localeCompare(b.name, 'zh-CN'));
  }

  findByPhone(e164: string): Promise<PhoneLookup[]> {
    return this.repo.findByPhone(e164);
  }

  async getContacts(accountId: string): Promise<Contact[]> {
    return (await this.require(accountId)).contacts;
  }

  /**
   * Creates or replaces an account with its full contact list. A replace names the version it
   * replaces; contacts left out are removed, with the lookups of their numbers.
   */
  async save(
    accountId: string,
    input: AccountInput,
    options: SaveOptions = {},
  ): Promise<{ account: AccountWithContacts; outcome: SaveOutcome }> {
    const now = options.now ?? new Date();
    const ctx = {
      now,
      newId: this.newId,
      ...(this.policy ? { policy: this.policy } : {}),
      ...(options.skipUnchanged ? { skipUnchanged: true } : {}),
    };
    if (options.assumeNew && !options.dryRun) {
      const { next } = decided(planSave(undefined, accountId, input, ctx));
      try {
        await this.repo.write(next);
        return { account: { ...next.account, contacts: next.contacts }, outcome: next.outcome };
      } catch (err) {
        // It exists: nothing was written (one transaction); plan against what is stored.
        if (!(err instanceof TransactionCancelled && err.failedOn('profile'))) throw err;
      }
    }
    const current = await this.repo.get(accountId);
    const { next } = decided(planSave(current, accountId, input, ctx));
    if (next.outcome !== 'unchanged' && !options.dryRun) await this.write(next);
    return { account: { ...next.account, contacts: next.contacts }, outcome: next.outcome };
  }

  /** Adds one contact (and its phone lookups) and bumps the account version, atomically. */
  async addContact(accountId: string, input: ContactInput, now = new Date()): Promise<Contact> {
    const current = await this.require(accountId);
    const { next } = decided(planAddContact(current, input, now, this.newId));
    await this.write(next);
    return next.put[0] as Contact;
  }

  /** Attaches a number to a contact, with its lookup item; a number it already has changes nothing. */
  async addPhone(
    accountId: string,
    contactId: string,
    number: string,
    label: 'mobile' | 'office' | 'other',
    now = new Date(),
  ): Promise<Contact> {
    const current = await this.require(accountId);
    const { next } = decided(planAddPhone(current, contactId, number, label, now));
    if (next.outcome !== 'unchanged') await this.write(next);
    return next.put[0] as Contact;
  }

  private async write(plan: AccountPlan): Promise<void> {
    try {
      await this.repo.write(plan);
    } catch (err) {
      if (!(err instanceof TransactionCancelled && err.failedOn('profile'))) throw err;
      const latest = await this.repo.get(plan.account.id);
      if (plan.expectedVersion === undefined) {
        throw new ConflictError(`Account ${plan.account.id} was created by another writer`, {
          currentVersion: latest?.version,
        });
      }
      throw staleVersion(plan.account.id, plan.expectedVersion, latest?.version);
    }
  }
}
