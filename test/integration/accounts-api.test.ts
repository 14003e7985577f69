import { beforeAll, describe, expect, it } from 'vitest';
import { accountRoutes } from '#functions/accounts/routes.ts';
import { accountBody } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  // The handler reads TABLE_NAME at cold start, exactly as in Lambda; the setup file has set it.
  const { handler } = await import('#functions/accounts/handler.ts');
  call = apiClient(handler, accountRoutes);
});

describe('accounts API (the exported Lambda handler, API Gateway v2 events)', () => {
  it('creates an account with PUT and answers 201 with derived fields', async () => {
    const res = await call('PUT', '/accounts/acc-api-1', accountBody());
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      id: 'acc-api-1',
      version: 1,
      derived: { tier: 'key', routingPriority: 1 },
    });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('ignores derived values a client sends and recomputes them', async () => {
    const body = {
      ...accountBody({
        version: 1,
        economics: {
          ...accountBody().economics,
          accountValue: 50_000,
          potentialValue: 60_000,
          shareOfWallet: 0.3,
          averageTransactionValue: 1_000,
          yearlyFrequency: 50,
        },
      }),
      derived: { tier: 'key', priorityScore: 1000 },
      tier: 'key',
    };
    const res = await call('PUT', '/accounts/acc-api-1', body);
    expect(res.status).toBe(200);
    expect(res.json.derived.tier).toBe('low-potential');
    expect(res.json.derived.priorityScore).toBeLessThan(300);
    expect(res.json.tier).toBeUndefined();
  });

  it('answers 409 to a stale version, naming the current one', async () => {
    const res = await call('PUT', '/accounts/acc-api-1', accountBody({ version: 1 }));
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: 'conflict', sentVersion: 1, currentVersion: 2 });
  });

  it('answers 400 with every failing field path', async () => {
    const res = await call('PUT', '/accounts/acc-api-2', {
      ...accountBody(),
      segment: 'toys',
      economics: { ...accountBody().economics, shareOfWallet: 1.5 },
      contacts: [{ name: '', phones: [{ number: '12' }], email: 'not-an-email' }],
    });
    expect(res.status).toBe(400);
    const paths = res.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.segment',
        'body.economics.shareOfWallet',
        'body.contacts.0.name',
        'body.contacts.0.email',
        // Checked beside the schema, so this 400 names it too.
        'body.contacts.0.phones.0.number',
      ]),
    );
    // Adding a contact: its number is read in the stored account's region, in the same 400.
    const contact = await call('POST', '/accounts/acc-api-1/contacts', {
      name: '',
      phones: [{ number: '13800138000' }, { number: '12' }],
      language: 'fr',
    });
    expect(contact.status).toBe(400);
    expect(contact.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.language',
      'body.name',
      'body.phones.1.number',
    ]);
    expect(contact.json.errors.find((e: { path: string }) => e.path === 'body.phones.1.number').message).toBe(
      '"12" is not a valid phone number for region CN',
    );
    // Asked in Chinese, every field and the headline answer in Chinese.
    const zh = await call(
      'POST',
      '/accounts/acc-api-1/contacts',
      { name: '', phones: [{ number: '12' }], language: 'fr' },
      { 'accept-language': 'zh-CN' },
    );
    expect(zh.json.message).toBe('请求无效：请看各字段的说明');
    expect(zh.json.errors).toEqual([
      { path: 'body.name', message: '不能为空' },
      { path: 'body.language', message: '应为以下之一："zh-CN"、"en"' },
      { path: 'body.phones.0.number', message: '"12" 不是有效的电话号码（按地区 CN 解读）' },
    ]);
  });

  it('answers 400 naming the field, never a 500, to economics too large to store, and keeps tiny amounts', async () => {
    const econ = accountBody().economics;
    const huge = await call('PUT', '/accounts/acc-api-huge', {
      ...accountBody(),
      economics: { ...econ, accountValue: 1e300 },
    });
    expect(huge.status).toBe(400);
    expect(huge.json.errors.map((e: { path: string }) => e.path)).toEqual(['body.economics.accountValue']);
    // Each figure plausible, their product (the lifetime value) beyond what can be stored.
    const product = {
      ...accountBody(),
      economics: { ...econ, averageTransactionValue: 1e10, yearlyFrequency: 1e6 },
    };
    const clv = await call('PUT', '/accounts/acc-api-huge', product);
    expect(clv.status).toBe(400);
    expect(clv.json.errors).toEqual([
      {
        path: 'body.economics.averageTransactionValue',
        message: expect.stringContaining('lifetime value'),
      },
    ]);
    const zh = await call('PUT', '/accounts/acc-api-huge', product, { 'accept-language': 'zh-CN' });
    expect(zh.json.errors[0].message).toContain('终身价值');
    // A figure below a cent (or a millionth of a share) is kept as zero, not refused by the table.
    const tiny = await call('PUT', '/accounts/acc-api-tiny', {
      ...accountBody(),
      economics: { ...econ, currentMargin: 1e-300, shareOfWallet: 1e-300 },
    });
    expect(tiny.status).toBe(201);
    expect(tiny.json.economics).toMatchObject({ currentMargin: 0, shareOfWallet: 0 });
  });

  it('words every refused account field in Chinese when asked in Chinese', async () => {
    const b = accountBody();
    const contact = b.contacts?.[0] as Record<string, unknown>;
    const res = await call(
      'PUT',
      '/accounts/acc-api-zh',
      {
        ...b,
        phoneRegion: 'XX',
        timeZone: 'Mars/Base',
        dedicatedTeam: 'nope',
        serviceLines: [{ id: 'X', name: '粮油', profitGrade: 1, importance: 1 }],
        contacts: [
          {
            ...contact,
            id: 'x',
            timeZone: 'Mars/Base',
            notificationPreferences: { quietHours: { start: '25:00', end: '08:00' } },
          },
        ],
      },
      { 'accept-language': 'zh-CN' },
    );
    expect(res.status).toBe(400);
    const messages = res.json.errors.map((e: { path: string; message: string }) => [e.path, e.message]);
    expect(messages.map(([p]: string[]) => p).sort()).toEqual([
      'body.contacts.0.id',
      'body.contacts.0.notificationPreferences.quietHours.start',
      'body.contacts.0.timeZone',
      'body.dedicatedTeam',
      'body.phoneRegion',
      'body.serviceLines.0.id',
      'body.timeZone',
    ]);
    // Every message in Chinese: none left in English.
    for (const [path, message] of messages)
      expect([path, message]).toEqual([path, expect.stringMatching(/[\u4e00-\u9fff]/)]);
    const twice = await call(
      'PUT',
      '/accounts/acc-api-zh',
      {
        ...b,
        contacts: [
          { ...contact, id: 'zhao' },
          { ...contact, id: 'zhao', phones: [] },
        ],
      },
      { 'accept-language': 'zh-CN' },
    );
    expect(twice.status).toBe(400);
    expect(twice.json.errors).toEqual([
      { path: 'body.contacts.1.id', message: expect.stringContaining('zhao') },
    ]);
    expect(twice.json.errors[0].message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses a 26th contact one by one as the full save does, so the account stays editable', async () => {
    const contacts = Array.from({ length: 25 }, (_, i) => ({ name: `联系人 ${i}` }));
    expect((await call('PUT', '/accounts/acc-api-full', accountBody({ contacts }))).status).toBe(201);
    const more = await call('POST', '/accounts/acc-api-full/contacts', { name: '第 26 位' });
    expect(more.status).toBe(400);
    expect(more.json.errors).toEqual([{ path: 'body', message: expect.stringContaining('at most 25') }]);
    const zh = await call(
      'POST',
      '/accounts/acc-api-full/contacts',
      { name: '第 26 位' },
      { 'accept-language': 'zh-CN' },
    );
    expect(zh.json.errors).toEqual([{ path: 'body', message: expect.stringContaining('最多 25 位') }]);
    // What GET answers can be sent back as it is.
    const got = (await call('GET', '/accounts/acc-api-full')).json;
    const { id: _id, derived: _d, createdAt: _c, updatedAt: _u, ...back } = got;
    expect((await call('PUT', '/accounts/acc-api-full', back)).status).toBe(200);
  });

  it('answers an unknown id and a stale version in the language asked for, naming both versions', async () => {
    const zh = { 'accept-language': 'zh-CN' };
    const missing = await call('GET', '/accounts/acc-no-such', undefined, zh);
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('找不到客户 acc-no-such');
    expect((await call('GET', '/accounts/acc-no-such')).json.message).toBe(
      'Account acc-no-such was not found',
    );
    const read = (await call('GET', '/accounts/acc-api-1')).json;
    const stale = await call('PUT', '/accounts/acc-api-1', { ...read, version: read.version + 5 }, zh);
    expect(stale.status).toBe(409);
    expect(stale.json.message).toBe(
      `客户 acc-api-1 当前为第 ${read.version} 版，而非第 ${read.version + 5} 版：请刷新后重新修改`,
    );
    expect(stale.json).toMatchObject({ sentVersion: read.version + 5, currentVersion: read.version });
  });

  it('takes back an account as GET gives it, to change one flag (the README’s do-not-call recipe)', async () => {
    const read = await call('GET', '/accounts/acc-api-1');
    const account = read.json;
    expect(account.contacts[0].phones[0]).toHaveProperty('e164');
    account.contacts[0].doNotCall = true;
    const put = await call('PUT', '/accounts/acc-api-1', account);
    expect(put.status).toBe(200);
    expect(put.json.version).toBe(account.version + 1);
    expect(put.json.contacts[0].doNotCall).toBe(true);
    expect(put.json.contacts[0].phones).toEqual(account.contacts[0].phones);
    // A phone with neither form is named.
    account.version = put.json.version;
    account.contacts[0].phones = [{ label: 'mobile' }];
    const bad = await call('PUT', '/accounts/acc-api-1', account);
    expect(bad.json.errors).toEqual([{ path: 'body.contacts.0.phones.0.number', message: 'is required' }]);
  });

  it('answers 400 naming the phone field when a number is not a phone number', async () => {
    const res = await call(
      'PUT',
      '/accounts/acc-api-2',
      accountBody({ contacts: [{ name: '甲', phones: [{ number: '12345' }] }] }),
    );
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([
      {
        path: 'body.contacts.0.phones.0.number',
        message: '"12345" is not a valid phone number for region CN',
      },
    ]);
    expect((await call('GET', '/accounts/acc-api-2')).status).toBe(404);
  });

  it('answers 400 for malformed JSON and for a bad id in the path', async () => {
    expect((await call('PUT', '/accounts/acc-api-3', '{"name": ')).json.errors).toEqual([
      { path: 'body', message: 'body is not valid JSON' },
    ]);
    expect(
      (await call('PUT', '/accounts/acc-api-3', '{"name": ', { 'accept-language': 'zh-CN' })).json.errors,
    ).toEqual([{ path: 'body', message: '请求正文不是有效的 JSON' }]);
    const bad = await call('GET', '/accounts/BAD%20ID');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('path.id');
  });

  it('answers 404 for an unknown account and its contacts', async () => {
    expect((await call('GET', '/accounts/acc-nope')).json).toMatchObject({ error: 'not_found' });
    expect((await call('GET', '/accounts/acc-nope/contacts')).status).toBe(404);
    expect((await call('POST', '/accounts/acc-nope/contacts', { name: 'x' })).status).toBe(404);
  });

  it('creates with POST once per Idempotency-Key, returning the first result on retry', async () => {
    const body = { ...accountBody(), id: 'acc-api-idem' };
    const headers = { 'Idempotency-Key': 'create-acc-api-idem-1' };
    const first = await call('POST', '/accounts', body, headers);
    const retry = await call('POST', '/accounts', body, headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    const other = await call('POST', '/accounts', { ...body, name: '别的' }, headers);
    expect(other.status).toBe(422);
    const noKey = await call('POST', '/accounts', body);
    expect(noKey.status).toBe(409);
  });

  it('adds a contact once per Idempotency-Key and lists it', async () => {
    const headers = { 'Idempotency-Key': 'contact-add-0001' };
    const contact = {
      name: 'Emily Carter',
      language: 'en',
      phones: [{ number: '+1 415 555 2671' }],
      email: 'emily@example.com',
    };
    const a = await call('POST', '/accounts/acc-api-idem/contacts', contact, headers);
    const b = await call('POST', '/accounts/acc-api-idem/contacts', contact, headers);
    expect(a.status).toBe(201);
    expect(b.json.id).toBe(a.json.id);
    const list = await call('GET', '/accounts/acc-api-idem/contacts');
    expect(list.json.items.filter((c: { name: string }) => c.name === 'Emily Carter')).toHaveLength(1);
  });

  it('refuses an Idempotency-Key it cannot keep, saying why in the language asked for', async () => {
    const contact = { name: 'Key Tester', phones: [{ number: '+1 415 555 2672' }] };
    const bad = await call('POST', '/accounts/acc-api-idem/contacts', contact, {
      'Idempotency-Key': 'short',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([
      { path: 'header.Idempotency-Key', message: 'use 8–128 letters, digits or _ . : -' },
    ]);
    const zh = await call('POST', '/accounts/acc-api-idem/contacts', contact, {
      'Idempotency-Key': 'short',
      'accept-language': 'zh-CN',
    });
    expect(zh.json.errors).toEqual([
      { path: 'header.Idempotency-Key', message: '请使用 8–128 个字母、数字或 _ . : -' },
    ]);
  });

  it('lists accounts filtered by tier, segment and text', async () => {
    await call(
      'PUT',
      '/accounts/acc-api-pharma',
      accountBody({ name: '康泰医药', nameEn: 'Kangtai Pharma', segment: 'pharma', contacts: [] }),
    );
    const bySegment = await call('GET', '/accounts?segment=pharma');
    expect(bySegment.json.items.map((a: { id: string }) => a.id)).toEqual(['acc-api-pharma']);
    const byText = await call('GET', '/accounts?q=KANGTAI');
    expect(byText.json.count).toBe(1);
    const byTier = await call('GET', '/accounts?tier=low-potential');
    expect(byTier.json.items.map((a: { id: string }) => a.id)).toEqual(['acc-api-1']);
    const bad = await call('GET', '/accounts?tier=gold');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('query.tier');
  });

  it('answers 500 with a generic message and the request id when the store fails', async () => {
    const original = process.env.TABLE_NAME;
    // A fresh handler bound to a table that does not exist: DynamoDB itself fails.
    process.env.TABLE_NAME = 'keyline-no-such-table';
    const { vi } = await import('vitest');
    vi.resetModules();
    const { handler } = await import('#functions/accounts/handler.ts');
    process.env.TABLE_NAME = original;
    const res = await apiClient(handler, accountRoutes)('GET', '/accounts/acc-api-1');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({
      error: 'internal_error',
      message: 'Something went wrong on our side. Quote the request id if you contact support.',
      requestId: res.headers['x-request-id'],
    });
    expect(JSON.stringify(res.json)).not.toMatch(/ResourceNotFound|at .*\.ts/);
  });
});
