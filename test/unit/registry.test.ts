import { describe, expect, it } from 'vitest';
import { parseAccountsFile } from '#shared/accounts/import-file.ts';
import { AccountInput, type AccountWithContacts } from '#shared/accounts/model.ts';
import { planAddPhone, planSave } from '#shared/accounts/registry.ts';
import { generateAccountsCsv } from '../../bench/generate.ts';
import { accountBody } from '../support/fixtures.ts';

const NOW = new Date('2026-11-27T02:00:00Z');
let n = 0;
const ctx = { now: NOW, newId: () => `id-${++n}` };
const input = (o: Record<string, unknown> = {}) => AccountInput.parse(accountBody(o));

/** The account as stored after a first save. */
function stored(): AccountWithContacts {
  const d = planSave(undefined, 'acc-r', input(), ctx);
  if (!d.ok) throw d.error;
  return { ...d.next.account, contacts: d.next.contacts };
}

describe('account registry rules', () => {
  it.each([
    // current  version  asImport → outcome or problem
    ['none', undefined, false, 'created'],
    ['none', 1, false, 'not-found'],
    ['exists', undefined, false, 'already-exists'],
    ['exists', 1, false, 'updated'],
    ['exists', 7, false, 'version-conflict'],
    ['exists', undefined, true, 'unchanged'],
  ] as const)('current %s, version %s, asImport %s → %s', (current, version, skip, expected) => {
    const d = planSave(current === 'exists' ? stored() : undefined, 'acc-r', input({ version }), {
      ...ctx,
      asImport: skip,
    });
    expect(d.ok ? d.next.outcome : d.error.problem).toBe(expected);
  });

  it('removes the lookups of the numbers a replace drops, and the contacts it leaves out', () => {
    const current = stored();
    const d = planSave(current, 'acc-r', input({ version: 1, contacts: [] }), ctx);
    expect(d.ok && d.next).toMatchObject({
      removedContacts: [current.contacts[0]?.id],
      removedPhones: [{ e164: '+8613800138000', contactId: current.contacts[0]?.id }],
      expectedVersion: 1,
    });
  });

  it('names every bad phone number by its path', () => {
    const d = planSave(
      undefined,
      'acc-r',
      input({ contacts: [{ name: 'X', phones: [{ number: '12345' }] }] }),
      ctx,
    );
    expect(d.ok ? undefined : d.error).toMatchObject({
      problem: 'invalid',
      details: { errors: [{ path: 'contacts.0.phones.0.number' }] },
    });
  });

  it.each([
    ['139 1000 2000', 'updated'],
    ['138 0013 8000', 'unchanged'],
  ] as const)('attaching %s to the contact is %s', (number, outcome) => {
    const current = stored();
    const d = planAddPhone(current, current.contacts[0]?.id ?? '', number, 'mobile', NOW);
    expect(d.ok && d.next.outcome).toBe(outcome);
  });
});

describe('the import bench’s generated file', () => {
  it('is valid in every account but the ones it spoils on purpose, with every column filled in by name', () => {
    const file = generateAccountsCsv(150, 3, 50);
    const parsed = parseAccountsFile(file.csv, 'csv');
    expect(parsed.errors).toEqual([]);
    expect(parsed.groups).toHaveLength(150);
    const refused = parsed.groups.filter((g) => {
      const input = AccountInput.safeParse(g.input);
      return !input.success || !planSave(undefined, g.accountId, input.data, ctx).ok;
    });
    expect(refused.map((g) => g.accountId)).toEqual([
      'acc-bench-00049',
      'acc-bench-00099',
      'acc-bench-00149',
    ]);
    expect(file.badAccounts).toBe(3);
    // The columns added since the generator was written reach the account (credit, service lines).
    const credit = parsed.groups.filter((g) => (g.input as { credit?: unknown }).credit !== undefined);
    expect(credit.length).toBeGreaterThan(50);
  });
});
