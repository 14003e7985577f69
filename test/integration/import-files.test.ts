/**
 * The files a new user feeds the import, and what the report and the CLI say about them: other
 * encodings, a byte-order mark, quoted cells over several lines, entries that are not accounts,
 * an account with several faults, the progress bar, a --region beside DynamoDB Local.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { importAccounts } from '#shared/accounts/import.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { cli } from '../support/cli.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const store = () => new Accounts(createDocumentClient(), TABLE_NAME());
const exampleCsv = () => readFile('docs/examples/accounts.csv', 'utf8');
const dir = await mkdtemp(join(tmpdir(), 'keyline-import-files-'));

/** The same, as if on a terminal: also what the progress bar drew. */
async function onTerminal(...argv: string[]) {
  const drawn: string[] = [];
  const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    drawn.push(String(chunk));
    return true;
  });
  try {
    return { ...(await cli(...argv)), bar: drawn.join('') };
  } finally {
    write.mockRestore();
    if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
    else Reflect.deleteProperty(process.stderr, 'isTTY');
  }
}

/** A valid account as JSON takes it. */
const jsonAccount = (id: string, phone: string) => ({
  id,
  name: '捷达物流',
  segment: 'other',
  regions: ['华东'],
  serviceGroup: 'general-service',
  accountManager: '郑伟',
  onTimeCommitment: 0.95,
  economics: {
    accountValue: 1,
    shareOfWallet: 0.5,
    currentMargin: 0,
    potentialMargin: 0,
    averageTransactionValue: 1,
    yearlyFrequency: 1,
    expectedLifetimeYears: 1,
  },
  contacts: [{ name: '甲', phones: [{ number: phone }] }],
});

describe('import: files as a new user has them', () => {
  it('refuses a GBK file (Excel’s "CSV (逗号分隔)" on Chinese Windows) instead of storing mojibake', async () => {
    const [header, first] = (await exampleCsv()).trim().split('\n');
    const row = (first ?? '').replace(/^acc-fengshou-rice,丰收米业,/, 'acc-gbk-rice,@@,');
    // 丰收 in GBK: not UTF-8.
    const gbk = Buffer.concat(
      (`${header}\n${row}\n`.split('@@') as [string, string]).flatMap((part, i) =>
        i === 0 ? [Buffer.from(part)] : [Buffer.from([0xb7, 0xe1, 0xca, 0xd5]), Buffer.from(part)],
      ),
    );
    const file = join(dir, 'gbk.csv');
    await writeFile(file, gbk);
    const r = await cli('import', 'accounts', file);
    expect(r.code).toBe(2);
    expect(r.output).toContain('is not UTF-8 text');
    expect(r.output).toContain('Save it as "CSV UTF-8"');
    expect(await store().get('acc-gbk-rice')).toBeUndefined();
  });

  it('reads a JSON file that starts with a byte-order mark, as it reads such a CSV', async () => {
    const file = join(dir, 'bom.json');
    await writeFile(file, `\uFEFF${JSON.stringify([jsonAccount('acc-bom-json', '13900001111')], null, 2)}`);
    const r = await cli('import', 'accounts', file, '--dry-run');
    expect(r.output).not.toContain('not valid JSON');
    expect(r.code).toBe(0);
  });

  it('says a JSON entry that is not an object is not an account', async () => {
    const report = await importAccounts(store(), '[null, "acc-x", 5, []]', 'json', { dryRun: true });
    expect(report.errors).toEqual(
      [1, 2, 3, 4].map((row) => ({
        row,
        field: '(account)',
        reason: expect.stringContaining('is not an account object'),
      })),
    );
  });
});

describe('import: what the report says', () => {
  it('names the line a record starts on when a quoted cell spans lines', async () => {
    const [header, first] = (await exampleCsv()).trim().split('\n');
    const cols = (header ?? '').split(',');
    const cells = (first ?? '').split(',');
    cells[0] = 'acc-multiline';
    cells[cols.indexOf('segment')] = 'toys';
    cells[cols.indexOf('tags')] = '"line one\nline two\nline three"';
    // Lines 2–4 hold the record, then a blank line, then a bad record on line 6.
    const bad = [...cells];
    bad[0] = 'acc-multiline-2';
    bad[cols.indexOf('tags')] = '';
    const csv = [header, cells.join(','), '', bad.join(',')].join('\n');
    const report = await importAccounts(store(), csv, 'csv', { dryRun: true });
    expect(report.errors.map((e) => [e.row, e.accountId, e.field])).toEqual([
      [2, 'acc-multiline', 'segment'],
      [6, 'acc-multiline-2', 'segment'],
    ]);
  });

  it('reports every bad row of an account at once: a bad phone is not hidden by a bad segment', async () => {
    const [header, ...rows] = (await exampleCsv()).trim().split('\n');
    const bad = rows
      .filter((r) => r.startsWith('acc-bad-phone,'))
      .map((r) => r.replace(/^acc-bad-phone,/, 'acc-two-faults,').replace(',other,', ',toys,'));
    const report = await importAccounts(store(), [header, ...bad].join('\n'), 'csv', { dryRun: true });
    expect(report.errors.map((e) => `${e.row} ${e.field}`).sort()).toEqual(['2 segment', '3 contact_phones']);
  });
});

describe('import: the CLI', () => {
  it('counts a JSON file’s accounts on the progress bar, not its lines', async () => {
    const accounts = Array.from({ length: 240 }, (_, i) =>
      jsonAccount(`acc-bar-json-${i}`, `1390000${String(2000 + i)}`),
    );
    const file = join(dir, 'bar.json');
    await writeFile(file, JSON.stringify(accounts, null, 2)); // some thirty lines an account
    const r = await onTerminal('import', 'accounts', file, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.bar).toContain('240/240 rows');
  });

  it('still shows the bar when a row has a bad account id', async () => {
    const [header, first] = (await exampleCsv()).trim().split('\n');
    const rows = Array.from({ length: 250 }, (_, i) =>
      (first ?? '')
        .replace(/^acc-fengshou-rice,/, `acc-bar-csv-${i},`)
        .replace('139 2701 0001', `139 3${String(i).padStart(3, '0')} 0001`),
    );
    const file = join(dir, 'bar.csv');
    await writeFile(file, [header, 'NOT AN ID,x', ...rows].join('\n'));
    const r = await onTerminal('import', 'accounts', file, '--dry-run');
    expect(r.code).toBe(1);
    expect(r.bar).toContain('Importing |');
    expect(r.bar.slice(-200)).toMatch(/100% · (\d+)\/\1 rows/);
  });

  it('ignores --region for DynamoDB Local (its tables live under npm start’s region), and says so', async () => {
    const r = await cli(
      'import',
      'accounts',
      'docs/examples/accounts.csv',
      '--dry-run',
      '--region',
      'eu-west-1',
    );
    expect(r.output).toContain('--region eu-west-1 is ignored for a loopback endpoint');
    expect(r.output).not.toContain('there is no table');
    expect(r.code).toBe(1);
  });
});
