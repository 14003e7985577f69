import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { type Named, TransactionCancelled } from '../platform/dynamo/transact.ts';
import { ConflictError, decided, type FieldError, NotFoundError } from '../platform/errors.ts';
import { pool } from '../platform/pool.ts';
import { CREDIT_WARNING_DAYS, type Credit, type CreditState, creditState } from './credit.ts';
import type { AccountInput, AccountWithContacts, Contact, ContactInput, PhoneLookup } from './model.ts';
import { DEFAULT_POLICY, type PrioritizationPolicy, RULES_VERSION } from './prioritization.ts';
import {
  type AccountPlan,
  canonical,
  planAddContact,
  planAddPhone,
  planSave,
  type SaveOutcome,
  staleVersion,
  withoutContacts,
} from './registry.ts';
import { AccountRepo, type ListFilter } from './repo.ts';
import {
  decideReview,
  nextReviewDue,
  proposeReview,
  type ReviewCommand,
  type ReviewProposal,
  type ReviewRecord,
} from './review.ts';
import { type AccountSummary, summaryOf } from './summary.ts';

export type { SaveOutcome } from './registry.ts';
export type { ListFilter } from './repo.ts';

export interface SaveOptions {
  now?: Date;
  /** An import's save: see SaveContext.asImport (registry.ts). */
  asImport?: boolean;
  /** Check everything a write would (numbers, ids, versions) and answer its outcome; write nothing. */
  dryRun?: boolean;
  /** The input's fingerprint (sourceHashOf), kept on the profile a save writes or finds unchanged. */
  sourceHash?: string;
}

export interface BulkEntry {
  accountId: string;
  /** Validated, without a version: a bulk save creates, or replaces what is stored. */
  input: AccountInput;
}

/** A bulk save's answer for one entry: what happened, or why it could not. */
/** An account's outcome (with what an import kept against its input), or why it was refused. */
export type BulkResult = { outcome: SaveOutcome; notices?: FieldError[] } | { error: unknown };

export interface BulkOptions {
  now?: Date;
  dryRun?: boolean;
  /** Requests in flight while staging. */
  concurrency?: number;
}

/**
 * The key-account registry as the functions use it: read, and change through the registry's
 * rules, written by the repository. Write conflicts come back as domain errors.
 */
export class Accounts {
  readonly repo: AccountRepo;
  private policyText: string | undefined;

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
  ): Promise<{ account: AccountWithContacts; outcome: SaveOutcome; notices?: FieldError[] }> {
    const now = options.now ?? new Date();
    const ctx = {
      now,
      newId: this.newId,
      ...(this.policy ? { policy: this.policy } : {}),
      ...(options.asImport ? { asImport: true } : {}),
    };
    const current = await this.repo.get(accountId);
    const { next } = decided(planSave(current, accountId, input, ctx));
    if (options.sourceHash) next.sourceHash = options.sourceHash;
    if (next.outcome !== 'unchanged' && !options.dryRun) await this.write(next, current);
    else if (current && options.sourceHash && !options.dryRun) {
      await this.repo.markSource(accountId, current.version, options.sourceHash);
    }
    return {
      account: { ...next.account, contacts: next.contacts },
      outcome: next.outcome,
      ...(next.notices ? { notices: next.notices } : {}),
    };
  }

  /**
   * The import's save of many accounts, each created or replaced whole (`asImport`), at the
   * engine's speed without a half-written account:
   * 1. the profiles' heads are read in batches; one whose fingerprint matches the input is
   *    unchanged, with nothing more read;
   * 2. new accounts are planned and their phone lookups staged in batches (invisible: each names
   *    its account's creation time, and counts only once that account's profile exists with it),
   *    then their profiles, each one item with its contacts, created in transactions of up to a
   *    hundred, each profile only if no account of its id exists;
   * 3. the rest, and any account created meanwhile by another writer (its staged lookups undone),
   *    go through `save`: read, plan, one transaction each.
   * A process that dies between 2's halves leaves staged lookups nobody reads; the next import of
   * the file stages the same ones again (staged contact ids come from the input) and creates.
   */
  async saveMany(entries: BulkEntry[], options: BulkOptions = {}): Promise<BulkResult[]> {
    const now = options.now ?? new Date();
    const dryRun = options.dryRun ?? false;
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const results: BulkResult[] = new Array(entries.length);
    const hashes = entries.map((e) => this.sourceHashOf(e.input));
    const heads = await this.repo.heads(entries.map((e) => e.accountId));
    const creates: { i: number; plan: AccountPlan }[] = [];
    const slow: number[] = [];
    entries.forEach((e, i) => {
      const head = heads.get(e.accountId);
      const hash = hashes[i] as string;
      if (head) {
        if (head.sourceHash === hash) results[i] = { outcome: 'unchanged' };
        else slow.push(i);
        return;
      }
      const d = planSave(undefined, e.accountId, e.input, {
        now,
        newId: stagedIds(hash),
        ...(this.policy ? { policy: this.policy } : {}),
        asImport: true,
      });
      if (!d.ok) results[i] = { error: d.error };
      else creates.push({ i, plan: { ...d.next, sourceHash: hash } });
    });
    if (!dryRun && creates.length > 0) {
      await this.repo.stageCreates(
        creates.map((c) => c.plan),
        concurrency,
      );
      const { existing } = await this.repo.commitCreates(
        creates.map((c) => c.plan),
        concurrency,
      );
      const lost = new Set(existing);
      for (const c of creates.filter((c) => lost.has(c.plan.account.id))) {
        // Created by another writer since the heads were read: ours goes the usual way.
        await this.repo.discardStaged(c.plan, await this.repo.get(c.plan.account.id));
        slow.push(c.i);
      }
    }
    const slowSet = new Set(slow);
    for (const c of creates) if (!slowSet.has(c.i)) results[c.i] = { outcome: 'created' };
    await pool(slow, concurrency, async (i) => {
      const e = entries[i] as BulkEntry;
      try {
        const r = await this.save(e.accountId, e.input, {
          now,
          asImport: true,
          dryRun,
          sourceHash: hashes[i] as string,
        });
        results[i] = { outcome: r.outcome, ...(r.notices ? { notices: r.notices } : {}) };
      } catch (error) {
        results[i] = { error };
      }
    });
    return results;
  }

  /** The fingerprint of a save's input (as AccountInput parsed it) under this registry's policy. */
  sourceHashOf(input: AccountInput): string {
    const { version: _v, ...rest } = input;
    // The rules and the policy are part of it: when either changes, a re-import rewrites every
    // account (its derived figures and its phone lookups' routing) instead of skipping it.
    this.policyText ??= `${RULES_VERSION}\n${canonical(this.policy ?? DEFAULT_POLICY)}`;
    // The input as its schema outputs it, keys in the schema's order: plain JSON is canonical.
    return createHash('sha256')
      .update(this.policyText)
      .update('\n')
      .update(JSON.stringify(rest))
      .digest('base64url');
  }

  /** Adds one contact (and its phone lookups) and bumps the account version, atomically. */
  async addContact(accountId: string, input: ContactInput, now = new Date()): Promise<Contact> {
    const current = await this.require(accountId);
    const { next } = decided(planAddContact(current, input, now, this.newId));
    await this.write(next, current);
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
    if (next.outcome !== 'unchanged') await this.write(next, current);
    return next.put[0] as Contact;
  }

  /** The review of an account: the proposal as of now, the decisions so far, where its credit stands. */
  async review(
    accountId: string,
    now = new Date(),
  ): Promise<{ proposal: ReviewProposal; history: ReviewRecord[]; creditState: CreditState }> {
    const [account, history] = await Promise.all([this.require(accountId), this.repo.reviews(accountId)]);
    return {
      proposal: proposeReview(account, now, this.policy),
      history,
      creditState: creditState(account.credit, now),
    };
  }

  /**
   * A manager's decision: the account (tier, mode, team, and the phone lookups' routing) and the
   * decision's record are written in one transaction, conditional on the version reviewed.
   */
  async decideReview(
    accountId: string,
    cmd: ReviewCommand,
    by: string,
    now = new Date(),
  ): Promise<{ account: AccountWithContacts; record: ReviewRecord }> {
    const current = await this.require(accountId);
    const ctx = { now, by, id: this.newId(), ...(this.policy ? { policy: this.policy } : {}) };
    const { account, record } = decided(decideReview(withoutContacts(current), cmd, ctx)).next;
    const plan: AccountPlan = {
      outcome: 'updated',
      account,
      contacts: current.contacts,
      put: current.contacts,
      removedContacts: [],
      removedPhones: [],
      expectedVersion: current.version,
    };
    await this.write(plan, current, [this.repo.reviewPut(record)]);
    return { account: { ...account, contacts: current.contacts }, record };
  }

  /**
   * The revised priority list: the active accounts whose review is due by `until` (never reviewed,
   * or their quarter is up), each with its proposal, conflicts first, then by priority. A lost or
   * closed account has no tier or team left to decide.
   */
  async reviewsDue(
    now = new Date(),
    until = now,
  ): Promise<{ account: AccountSummary; proposal: ReviewProposal }[]> {
    const all = await this.repo.list();
    return all
      .filter((a) => a.status === 'active' && nextReviewDue(a) <= until.toISOString())
      .map((a) => ({ account: summaryOf(a), proposal: proposeReview(a, now, this.policy) }))
      .sort(
        (x, y) =>
          Number(y.proposal.conflicts.length > 0) - Number(x.proposal.conflicts.length > 0) ||
          y.account.priorityScore - x.account.priorityScore,
      );
  }

  /**
   * Credit reviews to do, of active accounts: overdue, coming up within `withinDays`, and accounts
   * never rated, in that order (overdue and soon by date).
   */
  async creditReviews(
    now = new Date(),
    withinDays = CREDIT_WARNING_DAYS,
  ): Promise<{ account: AccountSummary; credit?: Credit; state: CreditState }[]> {
    const order: Record<CreditState, number> = { 'review-overdue': 0, 'review-soon': 1, unrated: 2, ok: 3 };
    return (await this.repo.list())
      .filter((a) => a.status === 'active')
      .map((a) => ({
        account: summaryOf(a),
        ...(a.credit ? { credit: a.credit } : {}),
        state: creditState(a.credit, now, withinDays),
      }))
      .filter((x) => x.state !== 'ok')
      .sort(
        (x, y) =>
          order[x.state] - order[y.state] ||
          (x.credit?.reviewDue ?? '').localeCompare(y.credit?.reviewDue ?? '') ||
          y.account.priorityScore - x.account.priorityScore,
      );
  }

  private async write(
    plan: AccountPlan,
    current: AccountWithContacts | undefined,
    extra: Named[] = [],
  ): Promise<void> {
    try {
      await this.repo.write(plan, current, extra);
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

/**
 * Contact ids for a staged creation, derived from the account's input fingerprint: an import run
 * again after an interruption puts the same items, and two identical imports stage the same ones.
 */
function stagedIds(sourceHash: string): () => string {
  const stem = `c${sourceHash.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}`;
  let n = 0;
  return () => `${stem}-${n++}`;
}
