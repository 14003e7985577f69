import { describe, expect, it } from 'vitest';
import { AccountInput, type AccountWithContacts } from '#shared/accounts/model.ts';
import { planSave } from '#shared/accounts/registry.ts';
import { accountBody } from '../support/fixtures.ts';

const NOW = new Date('2026-11-27T02:00:00Z');
let n = 0;
const ctx = { now: NOW, newId: () => `id-${++n}` };
const input = (o: Record<string, unknown> = {}) => AccountInput.parse(accountBody(o));

function saved(d: ReturnType<typeof planSave>): AccountWithContacts {
  if (!d.ok) throw d.error;
  return { ...d.next.account, contacts: d.next.contacts };
}

/**
 * An import's merge with the stored contacts (planSave with asImport; shared/accounts/import-merge.ts):
 * a number that said no stays no, no number ends on two contacts, and the account stays one a PUT
 * accepts.
 */
describe('an import’s merge with the stored contacts', () => {
  it('does not make a do-not-call number callable again through a contact the file renamed', () => {
    const first = saved(planSave(undefined, 'acc-m', input(), ctx));
    // An agent marks 赵敏 do-not-call.
    const marked = saved(
      planSave(
        first,
        'acc-m',
        input({
          version: first.version,
          contacts: [{ ...accountBody().contacts?.[0], id: first.contacts[0]?.id, doNotCall: true }],
        }),
        ctx,
      ),
    );
    // The client's file corrects her name: the same person, the same number.
    const renamed = accountBody().contacts?.map((c) => ({ ...c, name: '赵敏 (物流总监)' }));
    const after = saved(planSave(marked, 'acc-m', input({ contacts: renamed }), { ...ctx, asImport: true }));
    // Every contact holding the number that said no must still be do-not-call.
    const holders = after.contacts.filter((c) => c.phones.some((p) => p.e164 === '+8613800138000'));
    expect(holders.map((c) => ({ name: c.name, doNotCall: c.doNotCall }))).toEqual(
      holders.map((c) => ({ name: c.name, doNotCall: true })),
    );
    expect(holders.map((c) => c.name)).toEqual(['赵敏 (物流总监)']);
    expect(holders[0]?.doNotCallSince).toBe(marked.contacts[0]?.doNotCallSince);
  });

  it('does not leave one number on two contacts when the file moves it to another contact', () => {
    const first = saved(planSave(undefined, 'acc-p', input(), ctx));
    // 赵敏 left; her mobile now belongs to her successor 钱峰, and the file says so.
    const moved = [{ ...accountBody().contacts?.[0], name: '钱峰' }];
    const after = saved(planSave(first, 'acc-p', input({ contacts: moved }), { ...ctx, asImport: true }));
    const holders = after.contacts.filter((c) => c.phones.some((p) => p.e164 === '+8613800138000'));
    expect(holders.map((c) => c.name)).toEqual(['钱峰']);
    const d = planSave(first, 'acc-p', input({ contacts: moved }), { ...ctx, asImport: true });
    expect(d.ok && d.next.notices).toEqual([
      expect.objectContaining({ path: '(account)', message: expect.stringContaining('replaced by 钱峰') }),
    ]);
  });

  it('leaves an account the API can still save: at most 25 contacts', () => {
    const people = (from: number, length: number) =>
      Array.from({ length }, (_, k) => ({
        name: `联系人${from + k}`,
        phones: [{ number: `1380013${String(from + k).padStart(4, '0')}`, label: 'mobile' }],
        consent: { calls: true, sms: true, email: true },
      }));
    const first = saved(planSave(undefined, 'acc-25', input({ contacts: people(0, 20) }), ctx));
    const d = planSave(first, 'acc-25', input({ contacts: people(100, 25) }), { ...ctx, asImport: true });
    // 20 kept beside the file's 25 would be 45: the account is refused, saying why.
    expect(d.ok).toBe(false);
    if (!d.ok)
      expect(d.error).toMatchObject({
        errors: [{ path: 'contacts', message: expect.stringContaining('would have 45, over 25') }],
      });
    // The file's 25 alone, with the 20 named too, is still over: only what fits is stored.
    const within = planSave(first, 'acc-25', input({ contacts: people(0, 25) }), { ...ctx, asImport: true });
    expect(within.ok).toBe(true);
    if (within.ok) {
      const stored = { ...within.next.account, contacts: within.next.contacts };
      expect(stored.contacts).toHaveLength(25);
      expect(AccountInput.safeParse({ ...stored, version: stored.version }).success).toBe(true);
    }
  });
});
