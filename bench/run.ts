import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SingleBar } from 'cli-progress';
import { createTable, JavaMissingError, localAwsEnv, startDynamoLocal } from '#local/dynamodb.ts';
import { importAccounts } from '#shared/import/accounts-import.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { generateAccountsCsv } from './generate.ts';

const HELP = `npm run bench [-- --accounts N --contacts N --concurrency N]

Benchmarks against DynamoDB Local (started in memory for the run):
  baseline     raw BatchWriteItem of the same number of items (the engine's own write rate here)
  import       keyline import of a generated CSV (default 2,500 accounts x 4 contacts = 10,000 rows,
               2% of the accounts with one bad row), in-process
  re-import    the same file again: every account unchanged, nothing written
  cli          npx keyline import accounts FILE, as a child process, on a fresh table

Figures go to bench/results/bench.json; ratios are against the baseline of the same run,
because absolute speed on a shared machine is noise.`;

interface Row {
  name: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  ratioToBaseline: number;
  note: string;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return;
  }
  const opt = (name: string, def: number) => {
    const i = args.indexOf(`--${name}`);
    const v = i >= 0 ? Number(args[i + 1]) : def;
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive whole number`);
    return v;
  };
  const accounts = opt('accounts', 2_500);
  const contacts = opt('contacts', 4);
  const concurrency = opt('concurrency', 8);

  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let dynamo: Awaited<ReturnType<typeof startDynamoLocal>>;
  try {
    dynamo = await startDynamoLocal();
  } catch (err) {
    if (err instanceof JavaMissingError) {
      console.error(err.message);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  process.on('exit', () => dynamo.process.kill('SIGKILL'));
  try {
    const file = generateAccountsCsv(accounts, contacts);
    await mkdir('bench/results', { recursive: true });
    const csvPath = 'bench/results/accounts-generated.csv';
    await writeFile(csvPath, file.csv);
    console.log(
      `Generated ${file.rows} rows (${file.accounts} accounts, ${file.badRows} bad rows) → ${csvPath}`,
    );

    const freshTable = async (name: string) => {
      Object.assign(process.env, localAwsEnv(dynamo.endpoint, name));
      const raw = new DynamoDBClient({});
      await createTable(raw, name);
      raw.destroy();
      return name;
    };
    const results: Row[] = [];
    const db = createDocumentClient();

    // Baseline: the same number of items written as plainly as DynamoDB allows.
    const baseTable = await freshTable('bench-baseline');
    const items = Array.from({ length: file.rows }, (_, i) => ({
      pk: `BASE#${i}`,
      sk: 'ITEM',
      n: i,
      name: `row ${i}`,
    }));
    let t = performance.now();
    const batches: (typeof items)[] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    await runPool(batches, concurrency, async (batch) => {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length) {
        const r = await db.send(new BatchWriteCommand({ RequestItems: { [baseTable]: pending } }));
        pending = (r.UnprocessedItems?.[baseTable] ?? []) as typeof pending;
      }
    });
    const baseSeconds = (performance.now() - t) / 1000;
    const baseRate = file.rows / baseSeconds;
    results.push({
      name: 'baseline BatchWriteItem',
      rows: file.rows,
      seconds: baseSeconds,
      rowsPerSecond: baseRate,
      ratioToBaseline: 1,
      note: `${file.rows} plain items`,
    });

    // Import, in process, with a progress bar.
    const table = await freshTable('bench-import');
    const store = new AccountStore(db, table);
    const bar = new SingleBar({
      format: 'import |{bar}| {value}/{total} rows',
      hideCursor: true,
      stream: process.stderr,
    });
    if (process.stderr.isTTY) bar.start(file.rows, 0);
    t = performance.now();
    const report = await importAccounts(store, file.csv, 'csv', {
      concurrency,
      onProgress: (done) => process.stderr.isTTY && bar.update(done),
    });
    if (process.stderr.isTTY) bar.stop();
    const importSeconds = (performance.now() - t) / 1000;
    if (report.rejectedAccounts !== file.badAccounts || report.created !== file.accounts - file.badAccounts) {
      throw new Error(
        `import result is wrong: ${JSON.stringify({ ...report, errors: report.errors.length })}`,
      );
    }
    results.push({
      name: 'keyline import (in process)',
      rows: file.rows,
      seconds: importSeconds,
      rowsPerSecond: file.rows / importSeconds,
      ratioToBaseline: file.rows / importSeconds / baseRate,
      note: `${report.created} created, ${report.rejectedAccounts} rejected (${report.errors.length} row errors)`,
    });

    t = performance.now();
    const again = await importAccounts(store, file.csv, 'csv', { concurrency });
    const reSeconds = (performance.now() - t) / 1000;
    if (again.unchanged !== report.created || again.created + again.updated !== 0) {
      throw new Error(`re-import changed data: ${JSON.stringify({ ...again, errors: again.errors.length })}`);
    }
    results.push({
      name: 're-import (unchanged)',
      rows: file.rows,
      seconds: reSeconds,
      rowsPerSecond: file.rows / reSeconds,
      ratioToBaseline: file.rows / reSeconds / baseRate,
      note: `${again.unchanged} unchanged, 0 written`,
    });

    // The real CLI, as a user runs it.
    const cliTable = await freshTable('bench-cli');
    t = performance.now();
    const cli = await promisify(execFile)(
      'node',
      [
        'bin/keyline.mjs',
        'import',
        'accounts',
        csvPath,
        '--table',
        cliTable,
        '--concurrency',
        String(concurrency),
      ],
      { env: process.env, maxBuffer: 10 * 1024 * 1024 },
    ).then(
      () => ({ code: 0 }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    const cliSeconds = (performance.now() - t) / 1000;
    if (cli.code !== 1) throw new Error(`the CLI should exit 1 on a file with bad rows, got ${cli.code}`);
    results.push({
      name: 'npx keyline import (CLI process)',
      rows: file.rows,
      seconds: cliSeconds,
      rowsPerSecond: file.rows / cliSeconds,
      ratioToBaseline: file.rows / cliSeconds / baseRate,
      note: 'exit code 1 (bad rows reported), includes process start-up',
    });

    const out = {
      benchmark: 'account-import',
      at: new Date().toISOString(),
      machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
      parameters: { accounts, contactsPerAccount: contacts, concurrency, badRows: file.badRows },
      results: results.map((r) => ({
        ...r,
        seconds: round(r.seconds, 3),
        rowsPerSecond: round(r.rowsPerSecond, 1),
        ratioToBaseline: round(r.ratioToBaseline, 3),
      })),
    };
    await writeFile('bench/results/bench.json', `${JSON.stringify(out, null, 2)}\n`);
    console.log('\nAccount import against DynamoDB Local');
    console.table(
      Object.fromEntries(
        out.results.map((r) => [
          r.name,
          {
            rows: r.rows,
            seconds: r.seconds,
            'rows/s': r.rowsPerSecond,
            'x baseline': r.ratioToBaseline,
            note: r.note,
          },
        ]),
      ),
    );
    console.log('Written to bench/results/bench.json');
  } finally {
    await dynamo.stop();
  }
}

async function runPool<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let it = queue.shift(); it !== undefined; it = queue.shift()) await fn(it);
    }),
  );
}

const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
