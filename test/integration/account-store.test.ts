import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccountInput, ContactInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/platform/errors.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
let store: Accounts;
const input = (o: Parameters<typeof accountBody>[0] = {}) => AccountInput.parse(accountBody(o));

/** Every item in the test table, to prove what a write did and did not leave behind. */
async function allItems() {
  const raw = new DynamoDBClient({});
  const r = await raw.send(new ScanCommand({ TableName: TABLE_NAME() }));
  return (r.Items ?? []).map((i) => ({ pk: i.pk?.S, sk: i.sk?.S }));
}

beforeAll(() => {
  store = new Accounts(db, TABLE_NAME());
});

describe('Accounts against DynamoDB Local', () => {
  it('creates an account with contacts and phone lookups, and derives its tier', async () => {
    const { account, outcome } = await store.save('acc-store-1', input());
    expect(outcome).toBe('created');
    expect(account.version).toBe(1);
    expect(account.derived.tier).toBe('key');
    expect(account.contacts[0]?.phones).toEqual([{ e164: '+8613800138000', label: 'mobile' }]);

    const lookups = await store.findByPhone('+8613800138000');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toMatchObject({
      accountId: 'acc-store-1',
      accountName: '金禾粮油集团',
      tier: 'key',
      contactName: '赵敏',
    });
  });

  it('reads the profile and its contacts back in one query', async () => {
    const got = await store.get('acc-store-1');
    expect(got?.name).toBe('金禾粮油集团');
    expect(got?.contacts.map((c) => c.name)).toEqual(['赵敏']);
  });

  it('refuses a replace without a version, and a stale version, with a conflict', async () => {
    await expect(store.save('acc-store-1', input())).rejects.toBeInstanceOf(ConflictError);
    await expect(store.save('acc-store-1', input({ version: 7 }))).rejects.toThrow(/is at version 1, not 7/);
  });

  it('answers not found when replacing an account that does not exist', async () => {
    await expect(store.save('acc-missing', input({ version: 1 }))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('removes the lookup item of a phone number taken off a contact, in the same write', async () => {
    const current = await store.require('acc-store-1');
    const contactId = current.contacts[0]?.id;
    const { account } = await store.save(
      'acc-store-1',
      input({
        version: current.version,
        contacts: [{ id: contactId, name: '赵敏', phones: [{ number: '139 1000 2000', label: 'mobile' }] }],
      }),
    );
    expect(account.version).toBe(2);
    expect(await store.findByPhone('+8613800138000')).toEqual([]);
    expect(await store.findByPhone('+8613910002000')).toHaveLength(1);
  });

  it('removes a contact left out of a replace, with its phone lookups', async () => {
    const current = await store.require('acc-store-1');
    await store.save('acc-store-1', input({ version: current.version, contacts: [] }));
    const items = await allItems();
    expect(items.filter((i) => i.pk?.startsWith('PHONE#'))).toEqual([]);
    expect(items.filter((i) => i.sk?.includes('CONTACT#'))).toEqual([]);
    expect((await store.require('acc-store-1')).contacts).toEqual([]);
  });

  it('rejects a bad phone with its field path and writes nothing', async () => {
    const before = await allItems();
    const bad = input({ contacts: [{ name: '钱六', phones: [{ number: '123', label: 'mobile' }] }] });
    const err = await store.save('acc-store-bad', bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors).toEqual([
      {
        path: 'contacts.0.phones.0.number',
        message: '"123" is not a valid phone number for region CN',
        messageZh: '"123" 不是有效的电话号码（按地区 CN 解读）',
      },
    ]);
    expect(await allItems()).toEqual(before);
  });

  it('lets two accounts share a phone number and orders lookups by priority', async () => {
    const shared = [
      { name: '货代 孙强', phones: [{ number: '+86 21 5888 1234', label: 'office' as const }] },
    ];
    await store.save('acc-shared-big', input({ name: '大客户', contacts: shared }));
    await store.save(
      'acc-shared-small',
      input({
        name: '小客户',
        contacts: shared,
        economics: {
          ...accountBody().economics,
          accountValue: 100_000,
          potentialValue: 200_000,
          shareOfWallet: 0.3,
          averageTransactionValue: 1_000,
          yearlyFrequency: 50,
        },
      }),
    );
    const lookups = await store.findByPhone('+862158881234');
    expect(lookups.map((l) => l.accountId)).toEqual(['acc-shared-big', 'acc-shared-small']);
  });

  it('re-derives a profile stored before the practice’s axes when it is read', async () => {
    await store.save('acc-old-axes', input({ name: '旧档案客户', contacts: [] }));
    const key = { pk: 'ACCOUNT#acc-old-axes', sk: 'PROFILE' };
    const stored = (await db.send(new GetCommand({ TableName: TABLE_NAME(), Key: key }))).Item ?? {};
    // As written before November 2026: no service mode, the old names, a typed-in cost to serve.
    const { serviceMode: _m, largeAccount: _l, rules: _r, ...old } = stored.derived;
    await db.send(
      new PutCommand({
        TableName: TABLE_NAME(),
        Item: {
          ...stored,
          economics: { ...stored.economics, costToServe: 9_000_000 },
          derived: { ...old, meetsProfitTarget: true, expectedValue: 1 },
        },
      }),
    );
    const read = await store.require('acc-old-axes');
    expect(read.derived).toMatchObject({
      serviceMode: 'dedicated',
      largeAccount: true,
      costToServe: 288_000,
    });
    expect((await store.list({ q: '旧档案' }))[0]).toMatchObject({
      id: 'acc-old-axes',
      serviceMode: 'dedicated',
    });
  });

  it('lists by tier, segment and name text through the segment index', async () => {
    await store.save(
      'acc-paint',
      input({ name: '华彩涂料', nameEn: 'Huacai Paints', segment: 'chemicals', contacts: [] }),
    );
    expect((await store.list({ segment: 'chemicals' })).map((a) => a.id)).toEqual(['acc-paint']);
    expect((await store.list({ q: 'huacai' })).map((a) => a.id)).toEqual(['acc-paint']);
    expect((await store.list({ tier: 'low-potential' })).map((a) => a.id)).toEqual(['acc-shared-small']);
    const all = await store.list();
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.at(-1)?.id).toBe('acc-shared-small');
  });

  it('adds a contact and bumps the version atomically', async () => {
    const before = await store.require('acc-paint');
    const contact = await store.addContact(
      'acc-paint',
      ContactInput.parse({ name: 'Anna Schmidt', language: 'en', phones: [{ number: '+49 30 901820' }] }),
    );
    expect(contact.phones[0]?.e164).toBe('+4930901820');
    const after = await store.require('acc-paint');
    expect(after.version).toBe(before.version + 1);
    expect((await store.findByPhone('+4930901820'))[0]?.language).toBe('en');
  });

  it('skips a write that changes nothing when asked (re-import)', async () => {
    const current = await store.require('acc-paint');
    const same = input({
      name: '华彩涂料',
      nameEn: 'Huacai Paints',
      segment: 'chemicals',
      contacts: current.contacts.map((c) => ({
        ...c,
        phones: c.phones.map((p) => ({ number: p.e164, label: p.label })),
      })),
    });
    const r = await store.save('acc-paint', same, { asImport: true });
    expect(r.outcome).toBe('unchanged');
    expect((await store.require('acc-paint')).version).toBe(current.version);
  });

  it('reads an account stored the old way (contacts in their own items) and moves them into the profile on its next write', async () => {
    const { account } = await store.save(
      'acc-legacy',
      input({ contacts: [{ name: '吴十', phones: [{ number: '13800138555' }] }] }),
    );
    const contact = account.contacts[0];
    if (!contact) throw new Error('no contact');
    // Rewrite it as the previous format stored it: a profile without contacts, one item per contact.
    const { contacts: _c, ...profile } = (
      await db.send(
        new GetCommand({ TableName: TABLE_NAME(), Key: { pk: 'ACCOUNT#acc-legacy', sk: 'PROFILE' } }),
      )
    ).Item as Record<string, unknown>;
    await db.send(new PutCommand({ TableName: TABLE_NAME(), Item: profile }));
    await db.send(
      new PutCommand({
        TableName: TABLE_NAME(),
        Item: {
          pk: 'ACCOUNT#acc-legacy',
          sk: `PROFILE#CONTACT#${contact.id}`,
          entity: 'Contact',
          ...contact,
          doNotCall: true,
        },
      }),
    );
    const legacy = await store.require('acc-legacy');
    expect(legacy.contacts).toEqual([expect.objectContaining({ id: contact.id, doNotCall: true })]);
    expect(await store.repo.callStanding('acc-legacy', contact.id)).toMatchObject({
      contact: { doNotCall: true },
    });

    await store.addContact(
      'acc-legacy',
      ContactInput.parse({ name: '郑十一', phones: [{ number: '13800138556' }] }),
    );
    const items = (await allItems()).filter((i) => i.pk === 'ACCOUNT#acc-legacy');
    expect(items.map((i) => i.sk)).toEqual(['PROFILE']);
    const moved = await store.require('acc-legacy');
    expect(moved.contacts.map((c) => [c.name, c.doNotCall])).toEqual([
      ['吴十', true],
      ['郑十一', false],
    ]);
    expect(await store.repo.callStanding('acc-legacy', contact.id)).toMatchObject({
      account: { status: 'active' },
      contact: { doNotCall: true },
    });
  });
});
