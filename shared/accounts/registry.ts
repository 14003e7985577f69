/**
 * The registry's rules, pure: what a save, an added contact or an attached number does to an
 * account (the next account, the contacts and lookups to write and to remove), or why it may not.
 * The repository writes a plan atomically; it decides nothing.
 */
import {
  accept,
  ConflictError,
  type Decision,
  type FieldError,
  NotFoundError,
  reject,
  ValidationError,
} from '../platform/errors.ts';
import { fieldError } from '../platform/messages/index.ts';
import { MAX_CONTACTS, mergeImportedContacts } from './import-merge.ts';
import {
  type Account,
  type AccountInput,
  type AccountWithContacts,
  buildAccount,
  type Contact,
  type ContactInput,
} from './model.ts';
import { normalizePhone, type PhoneRefusal } from './phone.ts';
import { isPhoneRegion } from './phone-regions.ts';
import type { PrioritizationPolicy } from './prioritization.ts';

/**
 * Normalizes a contact's phones to E.164 in the account's region. Returns the contact or the
 * issues found, with paths relative to `basePath`.
 */
export function normalizeContact(
  input: ContactInput,
  accountId: string,
  region: string,
  newId: () => string,
  basePath: (string | number)[] = [],
): { contact: Contact; issues: FieldError[] } {
  const issues: FieldError[] = [];
  const phones: Contact['phones'] = [];
  input.phones.forEach((p, j) => {
    const r = normalizePhone(p.number, region);
    if (r.ok) {
      if (!phones.some((x) => x.e164 === r.e164)) phones.push({ e164: r.e164, label: p.label });
    } else {
      issues.push(phoneRefused([...basePath, 'phones', j, 'number'].join('.'), r.refusal));
    }
  });
  const contact: Contact = { ...input, id: input.id ?? newId(), accountId, phones };
  return { contact, issues };
}

/**
 * The phone refusals of an input whose other fields were refused, so that the import reports
 * every bad row of an account at once: each number checked against the input's region, when
 * that is a region at all.
 */
export function rawPhoneIssues(input: unknown): FieldError[] {
  const i = (input ?? {}) as { phoneRegion?: unknown; contacts?: unknown };
  const region = i.phoneRegion ?? 'CN';
  if (typeof region !== 'string' || !isPhoneRegion(region) || !Array.isArray(i.contacts)) return [];
  const issues: FieldError[] = [];
  i.contacts.forEach((c, k) => {
    const phones = (c as { phones?: unknown } | null)?.phones;
    if (!Array.isArray(phones)) return;
    phones.forEach((p, j) => {
      const number = (p as { number?: unknown } | null)?.number;
      if (typeof number !== 'string') return;
      const r = normalizePhone(number, region);
      if (!r.ok) issues.push(phoneRefused(`contacts.${k}.phones.${j}.number`, r.refusal));
    });
  });
  return issues;
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

/** What a write changes: the profile, the contacts to put, and what to remove. */
export interface AccountPlan {
  outcome: SaveOutcome;
  account: Account;
  contacts: Contact[];
  /** Contacts to put (all of them on a save; the new or changed one otherwise). */
  put: Contact[];
  removedContacts: string[];
  removedPhones: { e164: string; contactId: string }[];
  /** The version the write is conditional on; undefined for a create. */
  expectedVersion: number | undefined;
  /** What an import kept from the stored account against its input (see SaveContext.asImport). */
  notices?: FieldError[];
  /**
   * The fingerprint of the save's input (and the policy), kept on the profile until any other
   * write: a re-import of the same input is then known unchanged from the profile alone.
   */
  sourceHash?: string;
}

/** DynamoDB's limit on actions in one transaction. */
export const MAX_WRITES = 100;

export interface SaveContext {
  now: Date;
  newId: () => string;
  policy?: PrioritizationPolicy;
  /**
   * An import's save (the import CLI, the demo loader): no version needed, nothing written when
   * nothing changes, and the file is the source of what it carries but never of a refusal or of
   * who is missing from it: a do-not-call set on a stored contact stays set, and a stored contact
   * the file leaves out is kept (each said in `notices`). Removing either takes the desktop or PUT.
   */
  asImport?: boolean;
}

/** A create or full replace: a replace must name the version it replaces. */
export function planSave(
  current: AccountWithContacts | undefined,
  id: string,
  input: AccountInput,
  ctx: SaveContext,
): Decision<AccountPlan> {
  if (current && input.version === undefined && !ctx.asImport) {
    return reject(
      new ConflictError(
        `Account ${id} already exists; send its current version to replace it`,
        { currentVersion: current.version },
        'already-exists',
      ),
    );
  }
  if (!current && input.version !== undefined) return reject(new NotFoundError('Account', id));
  const expectedVersion = ctx.asImport ? current?.version : input.version;
  if (current && expectedVersion !== current.version) {
    return reject(staleVersion(id, expectedVersion, current.version));
  }
  const issues: FieldError[] = [];
  const notices: FieldError[] = [];
  const existingByName = new Map(current?.contacts.map((c) => [c.name, c.id]) ?? []);
  const previous = new Map(current?.contacts.map((c) => [c.id, c]) ?? []);
  let contacts = input.contacts.map((c, i) => {
    const withId = c.id ? c : { ...c, id: existingByName.get(c.name) };
    const r = normalizeContact(withId, id, input.phoneRegion, ctx.newId, ['contacts', i]);
    issues.push(...r.issues);
    return stampDoNotCall(r.contact, previous.get(r.contact.id), ctx.now);
  });
  // An import never lifts a do-not-call nor drops a contact it does not name (import-merge.ts).
  if (ctx.asImport && current) {
    const merged = mergeImportedContacts(current.contacts, contacts, (next, refusing) =>
      stampDoNotCall(next, refusing, ctx.now),
    );
    contacts = merged.contacts;
    notices.push(...merged.notices);
    issues.push(...merged.issues);
  }
  const ids = new Set<string>();
  contacts.forEach((c, i) => {
    if (ids.has(c.id)) issues.push(fieldError(`contacts.${i}.id`, 'account.contact-twice', { id: c.id }));
    ids.add(c.id);
  });
  if (issues.length > 0) return reject(new ValidationError(issues));
  // The last review's decision stays in force through a save: only a review moves an account,
  // its team included.
  const { dedicatedTeam: _sent, ...rest } = input;
  const reviewed = current?.review
    ? { ...rest, ...(current.dedicatedTeam ? { dedicatedTeam: current.dedicatedTeam } : {}) }
    : input;
  const account = buildAccount(
    id,
    reviewed,
    (current?.version ?? 0) + 1,
    ctx.now,
    current?.createdAt,
    ctx.policy,
    current?.review,
  );
  const sorted = sortContacts(contacts);
  if (current && ctx.asImport && sameContent(current, account, contacts)) {
    return accept({
      ...plan('unchanged', withoutContacts(current), current.contacts, [], expectedVersion),
      ...(notices.length ? { notices } : {}),
    });
  }
  const removedContacts: string[] = [];
  const removedPhones: AccountPlan['removedPhones'] = [];
  for (const old of current?.contacts ?? []) {
    const next = contacts.find((c) => c.id === old.id);
    if (!next) removedContacts.push(old.id);
    for (const p of old.phones) {
      if (!next?.phones.some((x) => x.e164 === p.e164))
        removedPhones.push({ e164: p.e164, contactId: old.id });
    }
  }
  const writes =
    1 + contacts.reduce((n, c) => n + 1 + c.phones.length, 0) + removedContacts.length + removedPhones.length;
  if (writes > MAX_WRITES) {
    return reject(
      new ValidationError([
        fieldError('contacts', 'account.too-many-writes', { count: writes, max: MAX_WRITES }),
      ]),
    );
  }
  return accept({
    ...plan(current ? 'updated' : 'created', account, sorted, sorted, expectedVersion),
    removedContacts,
    removedPhones,
    ...(notices.length ? { notices } : {}),
  });
}

/** One more contact, with its phone lookups; the account's version moves on. */
export function planAddContact(
  current: AccountWithContacts,
  input: ContactInput,
  now: Date,
  newId: () => string,
): Decision<AccountPlan> {
  const normalized = normalizeContact(input, current.id, current.phoneRegion, newId);
  if (normalized.issues.length > 0) return reject(new ValidationError(normalized.issues));
  const contact = stampDoNotCall(normalized.contact, undefined, now);
  // The full save's limit (AccountInput): an account past it could no longer be saved back whole.
  if (current.contacts.length >= MAX_CONTACTS)
    return reject(
      new ValidationError([fieldError('body', 'account.contacts-at-most', { max: MAX_CONTACTS })]),
    );
  if (current.contacts.some((c) => c.id === contact.id)) {
    return reject(
      new ConflictError(
        `Contact ${contact.id} already exists on account ${current.id}`,
        undefined,
        'already-exists',
      ),
    );
  }
  return accept(bumped(current, [...current.contacts, contact], contact, now));
}

/**
 * A number attached to a contact (the unknown-caller card's "this is …"). A number the contact
 * already has changes nothing (outcome `unchanged`).
 */
export function planAddPhone(
  current: AccountWithContacts,
  contactId: string,
  number: string,
  label: 'mobile' | 'office' | 'other',
  now: Date,
): Decision<AccountPlan> {
  const contact = current.contacts.find((c) => c.id === contactId);
  if (!contact) return reject(new NotFoundError('Contact', contactId));
  const r = normalizePhone(number, current.phoneRegion);
  if (!r.ok) return reject(new ValidationError([phoneRefused('body.number', r.refusal)]));
  if (contact.phones.some((p) => p.e164 === r.e164)) {
    return accept(plan('unchanged', withoutContacts(current), current.contacts, [contact], current.version));
  }
  if (contact.phones.length >= 3) {
    return reject(new ValidationError([fieldError('body.number', 'phone.at-most-three')]));
  }
  const updated: Contact = { ...contact, phones: [...contact.phones, { e164: r.e164, label }] };
  return accept(
    bumped(
      current,
      current.contacts.map((c) => (c.id === contactId ? updated : c)),
      updated,
      now,
    ),
  );
}

/**
 * Do-not-call carries the moment it was set, kept while it stays set: a callback the client
 * requested before that moment is still placed, one requested after it is not.
 */
export function stampDoNotCall(next: Contact, before: Contact | undefined, now: Date): Contact {
  const { doNotCallSince: _drop, ...rest } = next;
  if (!next.doNotCall) return rest;
  // A flag set before the stamp existed keeps no date: its moment is unknown.
  const since = before?.doNotCall ? before.doNotCallSince : now.toISOString();
  return since ? { ...rest, doNotCallSince: since } : rest;
}

export function staleVersion(accountId: string, sent: number | undefined, current: number | undefined) {
  return new ConflictError(
    `Account ${accountId} is at version ${current ?? 'none'}, not ${sent}: reload it and apply your change again`,
    { sentVersion: sent, currentVersion: current },
    'version-conflict',
    `客户 ${accountId} 当前为第 ${current ?? '—'} 版，而非第 ${sent} 版：请刷新后重新修改`,
  );
}

export function withoutContacts(a: AccountWithContacts): Account {
  const { contacts: _contacts, ...rest } = a;
  return rest;
}

export function sortContacts(contacts: Contact[]) {
  return [...contacts].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

function plan(
  outcome: SaveOutcome,
  account: Account,
  contacts: Contact[],
  put: Contact[],
  expectedVersion: number | undefined,
): AccountPlan {
  return { outcome, account, contacts, put, removedContacts: [], removedPhones: [], expectedVersion };
}

function bumped(current: AccountWithContacts, contacts: Contact[], changed: Contact, now: Date): AccountPlan {
  const account: Account = {
    ...withoutContacts(current),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  return plan('updated', account, sortContacts(contacts), [changed], current.version);
}

/** Deep equality on what a write would store, ignoring bookkeeping. */
function sameContent(current: AccountWithContacts, next: Account, contacts: Contact[]): boolean {
  const strip = (a: Account) => {
    const { version: _v, createdAt: _c, updatedAt: _u, ...rest } = a;
    return rest;
  };
  return (
    canonical(strip(withoutContacts(current))) === canonical(strip(next)) &&
    canonical(sortContacts(current.contacts)) === canonical(sortContacts(contacts))
  );
}

/** JSON with object keys sorted, so equal values give equal text (undefined members left out). */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`;
  const keys = Object.keys(value as object).sort();
  let out = '';
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined || typeof v === 'function') continue;
    out += `${out ? ',' : ''}${JSON.stringify(k)}:${canonical(v)}`;
  }
  return `{${out}}`;
}

/** A refused number as a field error, in both languages. */
export function phoneRefused(path: string, r: PhoneRefusal): FieldError {
  return r.why === 'empty'
    ? fieldError(path, 'phone.empty')
    : r.why === 'characters'
      ? fieldError(path, 'phone.characters', { raw: r.raw })
      : fieldError(path, 'phone.invalid', { raw: r.raw, region: r.region });
}

/**
 * The numbers in a raw request body that are not phone numbers (whatever else is wrong with the
 * body): `[{ number }]` items at `at`, each `number` (or `e164`) read in `region`. For a 400 that
 * names every failing field at once.
 */
export function phoneIssues(phones: unknown, region: string, at: string): FieldError[] {
  if (!Array.isArray(phones)) return [];
  return phones.flatMap((p, j) => {
    const item = (p ?? {}) as { number?: unknown; e164?: unknown };
    const number = item.number ?? item.e164;
    if (typeof number !== 'string' || number.trim() === '') return [];
    const r = normalizePhone(number, region);
    return r.ok ? [] : [phoneRefused(`${at}.${j}.number`, r.refusal)];
  });
}
