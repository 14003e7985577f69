import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { importAccounts } from '#shared/accounts/import.ts';
import { AccountInput, ContactInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { queryAll } from '#shared/platform/dynamo/query.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';

const store = () => new Accounts(createDocumentClient(), TABLE_NAME());
const exampleCsv = () => readFile('docs/examples/accounts.csv', 'utf8');

describe('account import against DynamoDB Local', () => {
  it('imports the good accounts and reports each bad row with its number, field and reason', async () => {
    const report = await importAccounts(store(), await exampleCsv(), 'csv');
    expect(report).toMatchObject({
      rows: 6,
      accounts: 4,
      created: 2,
      updated: 0,
      unchanged: 0,
      rejectedAccounts: 2,
    });
    expect(report.errors).toEqual([
      {
        row: 6,
        accountId: 'acc-bad-phone',
        field: 'contact_phones',
        reason: '"12345" is not a valid phone number for region CN',
      },
      {
        row: 7,
        accountId: 'acc-bad-segment',
        field: 'segment',
        reason: expect.stringContaining('must be one of: "fmcg"'),
      },
      {
        row: 7,
        accountId: 'acc-bad-segment',
        field: 'share_of_wallet',
        reason: 'must be at most 1',
      },
    ]);
    const rice = await store().require('acc-fengshou-rice');
    expect(rice.contacts.map((c) => c.name).sort()).toEqual(['冯涛', '蒋欣'].sort());
    expect(rice.contacts.find((c) => c.name === '蒋欣')?.phones.map((p) => p.e164)).toEqual([
      '+8613927010002',
      '+862787654321',
    ]);
  });

  it('writes nothing of an account with a bad row, not even its good rows', async () => {
    expect(await store().get('acc-bad-phone')).toBeUndefined();
    expect(await store().findByPhone('+8613900000001')).toEqual([]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await store().require('acc-fengshou-rice');
    const report = await importAccounts(store(), await exampleCsv(), 'csv');
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejectedAccounts: 2 });
    const after = await store().require('acc-fengshou-rice');
    expect(after.version).toBe(before.version);
    expect(after.contacts).toEqual(before.contacts);
  });

  it('never lifts a do-not-call nor drops a contact set or added outside the file, and says so', async () => {
    const csv = (await exampleCsv()).replaceAll('acc-fengshou-rice', 'acc-fengshou-keep');
    await importAccounts(store(), csv, 'csv');
    const s = store();
    // An agent marks 冯涛 do-not-call (GET, set the flag, PUT), and a manager adds a contact.
    const acc = await s.require('acc-fengshou-keep');
    await s.save(
      acc.id,
      AccountInput.parse({
        ...acc,
        contacts: acc.contacts.map((c) => (c.name === '冯涛' ? { ...c, doNotCall: true } : c)),
      }),
    );
    await s.addContact(acc.id, ContactInput.parse({ name: '周敏', phones: [{ number: '139 2701 7777' }] }));
    const marked = (await s.require(acc.id)).contacts.find((c) => c.name === '冯涛');
    expect(marked).toMatchObject({ doNotCall: true, doNotCallSince: expect.any(String) });

    // The same file again: nothing undone, nothing written, and the file's reader is told.
    const again = await importAccounts(store(), csv, 'csv');
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(again.notices).toEqual([
      { row: 2, accountId: acc.id, field: '(account)', reason: expect.stringContaining('contact 周敏') },
      {
        row: 2,
        accountId: acc.id,
        field: 'contact_do_not_call',
        reason: expect.stringContaining('冯涛 is marked do-not-call'),
      },
    ]);
    let now = await s.require(acc.id);
    expect(now.contacts.find((c) => c.name === '冯涛')).toEqual(marked);
    expect(now.contacts.map((c) => c.name).sort()).toEqual(['冯涛', '周敏', '蒋欣'].sort());
    expect((await s.findByPhone('+8613927017777')).map((l) => l.accountId)).toEqual([acc.id]);

    // A changed file updates what it carries (冯涛's role), still without lifting the flag.
    const changed = await importAccounts(store(), csv.replace('冯涛,物流经理', '冯涛,物流总监'), 'csv');
    expect(changed).toMatchObject({ updated: 1, unchanged: 1 });
    now = await s.require(acc.id);
    expect(now.contacts.find((c) => c.name === '冯涛')).toEqual({ ...marked, role: '物流总监' });
    expect(now.contacts.some((c) => c.name === '周敏')).toBe(true);
  });

  it('imports JSON, reporting rows by position, and rejects an account whose id appears twice, both copies', async () => {
    const good = {
      id: 'acc-json-1',
      name: '捷达物流',
      segment: 'other',
      regions: ['华东'],
      serviceGroup: 'general-service',
      accountManager: '郑伟',
      onTimeCommitment: 0.95,
      economics: {
        accountValue: 1,
        shareOfWallet: 0.5,
        costToServe: 0,
        relationshipStrength: 0.5,
        currentMargin: 0,
        potentialMargin: 0,
        averageTransactionValue: 1,
        yearlyFrequency: 1,
        expectedLifetimeYears: 1,
      },
      contacts: [{ name: '甲', phones: [{ number: '13900001111' }] }],
    };
    const file = JSON.stringify([
      good,
      { ...good, name: '' },
      { ...good, id: 'acc-json-2', contacts: [{ name: '乙', email: 'nope' }] },
    ]);
    const report = await importAccounts(store(), file, 'json');
    expect(report.created).toBe(0);
    expect(report.rejectedAccounts).toBe(2);
    expect(report.errors).toEqual([
      { row: 1, accountId: 'acc-json-1', field: 'id', reason: 'account acc-json-1 appears again at row 2' },
      { row: 2, accountId: 'acc-json-1', field: 'id', reason: 'account acc-json-1 already appears at row 1' },
      { row: 3, accountId: 'acc-json-2', field: 'contacts.0.email', reason: expect.any(String) },
    ]);
  });

  it('numbers rows by the file’s lines (blank lines counted) and says "required" for a blank cell', async () => {
    const [header, ...rows] = (await exampleCsv()).trim().split(/\r?\n/);
    const rice = rows.filter((r) => r.startsWith('acc-fengshou-rice,'));
    const blankName = (rice[0] ?? '').replace(/^acc-fengshou-rice,[^,]*/, 'acc-blank-name,');
    const csv = [header, '', '', blankName].join('\n');
    const report = await importAccounts(store(), csv, 'csv', { dryRun: true });
    expect(report.errors).toEqual([
      { row: 4, accountId: 'acc-blank-name', field: 'name', reason: 'is required' },
    ]);
  });

  it('checks phone numbers in a dry run as a write would, and writes nothing', async () => {
    const report = await importAccounts(store(), await exampleCsv(), 'csv', { dryRun: true });
    expect(report.errors.some((e) => e.field === 'contact_phones' && e.reason.includes('"12345"'))).toBe(
      true,
    );
    expect(await store().get('acc-bad-phone')).toBeUndefined();
  });

  it('takes an optional delay tolerance per account, and names the column when it is out of range', async () => {
    const [header, ...rows] = (await exampleCsv()).trim().split(/\r?\n/);
    const rice = rows.filter((r) => r.startsWith('acc-fengshou-rice,'));
    const csv = [
      `${header},delay_tolerance_minutes`,
      ...rice.map((r) => `${r.replace('acc-fengshou-rice', 'acc-cold-30')},30`),
      ...rice.map((r) => `${r.replace('acc-fengshou-rice', 'acc-cold-bad')},-5`),
    ].join('\n');
    const report = await importAccounts(store(), csv, 'csv');
    // Account columns are read from an account's first row; later rows only add contacts.
    expect(report.errors).toEqual([
      {
        row: 2 + rice.length,
        accountId: 'acc-cold-bad',
        field: 'delay_tolerance_minutes',
        reason: 'must be at least 0',
      },
    ]);
    expect((await store().require('acc-cold-30')).delayToleranceMinutes).toBe(30);
    expect(await store().get('acc-cold-bad')).toBeUndefined();
  });

  it('derives the cost to serve from the service mode (an old file’s cost_to_serve is ignored), and takes the new columns', async () => {
    const [header, ...rows] = (await exampleCsv()).trim().split(/\r?\n/);
    expect(header).toContain('cost_to_serve');
    const { costToServe } = await import('#shared/accounts/prioritization.ts');
    const rice = await store().require('acc-fengshou-rice');
    expect(rice.derived.costToServe).toBe(costToServe(rice.derived.serviceMode));
    const riceRows = rows.filter((r) => r.startsWith('acc-fengshou-rice,'));
    const csv = [
      `${header},projected_share_of_wallet,strategic_reason,service_lines`,
      ...riceRows.map(
        (r) =>
          `${r.replace('acc-fengshou-rice', 'acc-strategic-rice')},0.9,参考客户：华中粮食行业标杆,rice:大米:5:2|seed:种子:2:1`,
      ),
    ].join('\n');
    expect((await importAccounts(store(), csv, 'csv')).errors).toEqual([]);
    const imported = await store().require('acc-strategic-rice');
    expect(imported.economics.projectedShareOfWallet).toBe(0.9);
    expect(imported.strategic).toEqual({ reason: '参考客户：华中粮食行业标杆' });
    expect(imported.serviceLines).toEqual([
      { id: 'rice', name: '大米', profitGrade: 5, importance: 2 },
      { id: 'seed', name: '种子', profitGrade: 2, importance: 1 },
    ]);
    const bad = csv.replace('seed:种子:2:1', 'seed:种子:2:7');
    const report = await importAccounts(
      store(),
      bad.replaceAll('acc-strategic-rice', 'acc-bad-lines'),
      'csv',
    );
    expect(report.errors[0]).toMatchObject({ accountId: 'acc-bad-lines', field: 'service_lines' });
    expect(imported.derived.expectedRevenue).toBeGreaterThan(rice.derived.expectedRevenue);
  });

  it('refuses a file that is not an accounts file as a whole: a header without the required columns, JSON that is not an array', async () => {
    await expect(importAccounts(store(), 'account_id,name\nacc-x,X\n', 'csv')).rejects.toThrow(
      /line 1 is not the accounts header: missing columns: segment, contact_name/,
    );
    await expect(importAccounts(store(), '[{"id":', 'json')).rejects.toThrow(/not valid JSON/);
    await expect(importAccounts(store(), '{"id":"acc-x"}', 'json')).rejects.toThrow(
      'not a JSON array of accounts',
    );
  });

  it('rejects an account whose rows come again after another account’s, as JSON rejects a repeated id', async () => {
    const csv = await readFile('docs/examples/accounts.csv', 'utf8');
    const [header, ...lines] = csv.trim().split('\n');
    const first = lines.filter((l) => l.startsWith('acc-fengshou-rice,'));
    const other = lines.filter((l) => l.startsWith('acc-jiali-adhesives,'));
    expect(first.length).toBeGreaterThan(0);
    expect(other.length).toBeGreaterThan(0);
    // One more contact of the first account, after the other account's rows.
    const again = (first.at(-1) as string)
      .replace('蒋欣', '再来一位')
      .replace(/139 2701 0002;027 8765 4321/, '13800138777');
    expect(again).toContain('再来一位');
    const file = [header, ...first, ...other, again].join('\n');
    const report = await importAccounts(
      store(),
      file.replaceAll('acc-fengshou-rice', 'acc-split-rice'),
      'csv',
      {
        dryRun: true,
      },
    );
    const row = first.length + other.length + 2;
    expect(report.errors).toContainEqual({
      row,
      accountId: 'acc-split-rice',
      field: 'account_id',
      reason: expect.stringContaining(`appears again here, after other accounts' rows (it starts at row 2)`),
    });
    expect(report.rejectedAccounts).toBe(1);
    expect(report.created + report.updated + report.unchanged).toBe(1); // the other account
  });
});

describe('the bulk save behind the import (Accounts.saveMany)', () => {
  const own = (o: Parameters<typeof accountBody>[0] = {}, number = '13800138999') =>
    AccountInput.omit({ version: true }).parse(
      accountBody({ contacts: [{ name: '钱七', phones: [{ number }] }], ...o }),
    );
  /** The raw items of an account's partition and of a number's lookups. */
  const rawItems = async (accountId: string, e164: string) => {
    const db = createDocumentClient();
    const q = (pk: string) =>
      queryAll(db, {
        TableName: TABLE_NAME(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      });
    return { account: await q(`ACCOUNT#${accountId}`), lookups: await q(`PHONE#${e164}`) };
  };

  it('creates new accounts, then knows an unchanged one from its profile alone', async () => {
    const s = store();
    expect(await s.saveMany([{ accountId: 'acc-bulk-1', input: own() }])).toEqual([{ outcome: 'created' }]);
    expect(await s.findByPhone('+8613800138999')).toEqual([
      expect.objectContaining({ accountId: 'acc-bulk-1', contactName: '钱七' }),
    ]);
    const before = await s.require('acc-bulk-1');
    const again = await s.saveMany([{ accountId: 'acc-bulk-1', input: own() }]);
    expect(again).toEqual([{ outcome: 'unchanged' }]);
    expect((await s.require('acc-bulk-1')).version).toBe(before.version);
    // A change elsewhere (a contact added on the desktop) drops the fingerprint: the next
    // import reads and compares, keeps the contact the file does not name, and says so.
    await s.addContact('acc-bulk-1', {
      name: '孙八',
      phones: [{ number: '13800138998', label: 'mobile' }],
    } as never);
    expect(await s.saveMany([{ accountId: 'acc-bulk-1', input: own() }])).toEqual([
      { outcome: 'unchanged', notices: [expect.objectContaining({ path: '(account)' })] },
    ]);
    expect((await s.require('acc-bulk-1')).contacts.map((c) => c.name).sort()).toEqual(
      ['孙八', '钱七'].sort(),
    );
    expect(await s.saveMany([{ accountId: 'acc-bulk-1', input: own() }])).toEqual([{ outcome: 'unchanged' }]);
  });

  it('marks an account found unchanged the slow way, so the next re-import is fast', async () => {
    const s = store();
    await s.save('acc-bulk-legacy', own({}, '13800138996')); // written without a fingerprint
    const slow = vi.spyOn(s.repo, 'get');
    expect(await s.saveMany([{ accountId: 'acc-bulk-legacy', input: own({}, '13800138996') }])).toEqual([
      { outcome: 'unchanged' },
    ]);
    expect(slow).toHaveBeenCalledTimes(1);
    slow.mockClear();
    expect(await s.saveMany([{ accountId: 'acc-bulk-legacy', input: own({}, '13800138996') }])).toEqual([
      { outcome: 'unchanged' },
    ]);
    expect(slow).not.toHaveBeenCalled();
  });

  it('leaves nothing visible when it stops between staging and commit, and the next run completes it', async () => {
    const s = store();
    const commit = vi.spyOn(s.repo, 'commitCreates').mockRejectedValueOnce(new Error('process killed'));
    await expect(s.saveMany([{ accountId: 'acc-bulk-cut', input: own({}, '13800138995') }])).rejects.toThrow(
      'process killed',
    );
    expect(await s.get('acc-bulk-cut')).toBeUndefined();
    expect(await s.findByPhone('+8613800138995')).toEqual([]);
    expect((await s.list()).map((a) => a.id)).not.toContain('acc-bulk-cut');
    commit.mockRestore();
    expect(await s.saveMany([{ accountId: 'acc-bulk-cut', input: own({}, '13800138995') }])).toEqual([
      { outcome: 'created' },
    ]);
    // The same lookup was staged again (contact ids come from the input): one, not two.
    const raw = await rawItems('acc-bulk-cut', '+8613800138995');
    expect(raw.lookups).toHaveLength(1);
    expect((await s.require('acc-bulk-cut')).contacts).toHaveLength(1);
  });

  it('yields to a writer that created the account meanwhile: its staged items removed, then the usual replace', async () => {
    const s = store();
    const other = store();
    const commit = s.repo.commitCreates.bind(s.repo);
    vi.spyOn(s.repo, 'commitCreates').mockImplementationOnce(async (plans, concurrency) => {
      await other.save(
        'acc-bulk-race',
        own({ name: '对手物流', contacts: [{ name: '周九', phones: [{ number: '13800138994' }] }] }),
      );
      return commit(plans, concurrency);
    });
    const results = await s.saveMany([
      { accountId: 'acc-bulk-race', input: own({}, '13800138993') },
      { accountId: 'acc-bulk-calm', input: own({}, '13800138992') },
    ]);
    // The other writer's contact is kept (an import drops no contact), and said so.
    expect(results).toEqual([
      { outcome: 'updated', notices: [expect.objectContaining({ path: '(account)' })] },
      { outcome: 'created' },
    ]);
    const raced = await s.require('acc-bulk-race');
    expect(raced.version).toBe(2);
    expect(raced.contacts.map((c) => c.name).sort()).toEqual(['周九', '钱七'].sort());
    // Exactly the replace's lookup: none staged by the lost creation is left.
    const raw = await rawItems('acc-bulk-race', '+8613800138993');
    expect(raw.lookups).toHaveLength(1);
    expect(raw.lookups[0]?.contactId).toBe(raced.contacts.find((c) => c.name === '钱七')?.id);
    expect((await s.findByPhone('+8613800138994')).map((l) => l.contactName)).toEqual(['周九']);
    expect((await s.require('acc-bulk-calm')).contacts).toHaveLength(1);
  });

  it('answers a refusal per account and writes nothing of it', async () => {
    const s = store();
    const bad = own({}, '12345');
    const results = await s.saveMany([
      { accountId: 'acc-bulk-bad', input: bad },
      { accountId: 'acc-bulk-good', input: own({}, '13800138991') },
    ]);
    expect(results[0]).toEqual({ error: expect.objectContaining({ name: 'ValidationError' }) });
    expect(results[1]).toEqual({ outcome: 'created' });
    expect(await s.get('acc-bulk-bad')).toBeUndefined();
  });
});

describe('keyline CLI', () => {
  const run = promisify(execFile);
  const db = createDocumentClient();
  /** The CLI in process (the same main() bin/keyline.mjs runs), its output captured. */
  const inProcess = async (...argv: string[]) => {
    const { main } = await import('#local/cli.ts');
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    const err = vi.spyOn(console, 'error').mockImplementation((m: string) => void out.push(m));
    try {
      return { code: await main(argv), stdout: out.join('\n') };
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  };
  const cli = (...args: string[]) =>
    run('node', ['bin/keyline.mjs', ...args], { env: process.env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );

  it('prints help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('import accounts <FILE>');
    expect(r.stdout).toContain('migrate counts-index');
  });

  it('migrates a table from before the counts index, once: a second run has nothing to do', async () => {
    const migrate = (...args: string[]) =>
      inProcess('migrate', 'counts-index', '--table', TABLE_NAME(), ...args);
    // A counter shard as written before the counts index: no index keys.
    const shard = keys.stats.shard('acc-cli-migrate', 0);
    await db.send(new PutCommand({ TableName: TABLE_NAME(), Item: { ...shard, openComplaints: 2 } }));
    const stats = async () => (await new Shipments(db, TABLE_NAME()).stats('acc-cli-migrate')).openComplaints;
    expect(await stats()).toBe(0); // not in the counts index yet
    const dry = await migrate('--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/[1-9]\d* counter item\(s\) would be given the counts index's keys \(dry run/);
    expect(await stats()).toBe(0);
    expect((await migrate('--format', 'csv')).code).toBe(2);
    const first = await migrate('--concurrency', '4');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/[1-9]\d* counter item\(s\) given the counts index's keys/);
    expect(await stats()).toBe(2);
    const again = await migrate();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to do');
    expect((await inProcess('migrate', 'everything')).code).toBe(2);
  });

  it('exits 1 and lists row errors when rows were rejected', async () => {
    const r = await cli('import', 'accounts', 'docs/examples/accounts.csv', '--table', TABLE_NAME());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('row 6 (acc-bad-phone): contact_phones: "12345" is not a valid phone number');
    expect(r.stdout).toContain('rejected 2 account(s)');
    expect(r.stdout).not.toMatch(/imported [4-9]/);
  });

  it('runs as the README says from a fresh shell: no region, no credentials, just the local endpoint', async () => {
    const fresh = (...args: string[]) =>
      run('node', ['bin/keyline.mjs', ...args], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' },
      }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '';
    const r = await fresh(
      'import',
      'accounts',
      'docs/examples/accounts.csv',
      '--endpoint',
      endpoint,
      '--table',
      TABLE_NAME(),
    );
    expect(r.stderr).not.toMatch(/Region is missing|Could not load credentials/);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('rejected 2 account(s)');
    // Against AWS without a region: a clear error, before anything is read.
    const noRegion = await fresh('import', 'accounts', 'docs/examples/accounts.csv');
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toContain('No AWS region');
    // Nothing listening: says so, and that nothing was written.
    const down = await fresh(
      'import',
      'accounts',
      'docs/examples/accounts.csv',
      '--endpoint',
      'http://127.0.0.1:9',
    );
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('Nothing was written.');
  });

  it('exits 2 for a workbook or other binary file', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/keyline-`);
    await writeFile(`${dir}/accounts.xlsx`, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]));
    const r = await cli('import', 'accounts', `${dir}/accounts.xlsx`, '--format', 'csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a CSV or JSON text file');
  });

  it('exits 2 for a file it cannot read', async () => {
    const r = await cli('import', 'accounts', 'no/such/file.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot read no/such/file.csv: there is no such file');
  });

  it('exits 2 with a plain message for a file that is not an accounts file, a missing FILE or an endpoint without its scheme', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/keyline-`);
    const run = inProcess;
    const local = ['--table', TABLE_NAME(), '--endpoint', process.env.AWS_ENDPOINT_URL_DYNAMODB ?? ''];
    await writeFile(`${dir}/broken.json`, '[{"id":');
    await writeFile(`${dir}/notes.txt`, 'hello world, this is text\n');
    const broken = await run('import', 'accounts', `${dir}/broken.json`, ...local);
    expect(broken).toEqual({
      code: 2,
      stdout: expect.stringMatching(
        /broken\.json is not an accounts JSON file: not valid JSON: .+ Nothing was written\./,
      ),
    });
    const text = await run('import', 'accounts', `${dir}/notes.txt`, ...local);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('notes.txt is not an accounts CSV file: line 1 is not the accounts header');
    const noFile = await run('import', 'accounts', ...local);
    expect(noFile).toEqual({
      code: 2,
      stdout: expect.stringContaining('Which file? Usage: keyline import accounts FILE'),
    });
    const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '';
    const noTable = await run(
      'import',
      'accounts',
      'docs/examples/accounts.csv',
      '--endpoint',
      endpoint,
      '--table',
      'nope',
    );
    expect(noTable.code).toBe(2);
    expect(noTable.stdout).toContain(
      'Import stopped: there is no table "nope" at this endpoint: check --table',
    );
    expect(noTable.stdout).toContain('Nothing was written.');
    const noScheme = await run(
      'import',
      'accounts',
      'docs/examples/accounts.csv',
      '--endpoint',
      'localhost:8000',
    );
    expect(noScheme).toEqual({
      code: 2,
      stdout: expect.stringContaining(
        '--endpoint must be a URL with its scheme, such as http://127.0.0.1:8000 (got "localhost:8000")',
      ),
    });
  });
});
