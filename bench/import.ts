import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { BatchWriteCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SingleBar } from 'cli-progress';
import { importAccounts } from '#shared/accounts/import.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { chunk } from '#shared/platform/dynamo/batch.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { generateAccountsCsv } from './generate.ts';
import { type BenchContext, freshTable, option, round, runPool } from './lib.ts';

interface Row {
  name: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  ratioToBaseline: number;
  note: string;
}

/**
 * Account import throughput against DynamoDB Local: a raw BatchWriteItem baseline, the import in
 * process, a re-import (nothing changes), and the real CLI as a child process.
 */
export async function importBench(ctx: BenchContext) {
  const accounts = option(ctx.args, 'accounts', 2_500);
  const contacts = option(ctx.args, 'contacts', 4);
  const concurrency = option(ctx.args, 'concurrency', 8);
  const file = generateAccountsCsv(accounts, contacts);
  await mkdir('bench/results', { recursive: true });
  const csvPath = 'bench/results/accounts-generated.csv';
  await writeFile(csvPath, file.csv);
  console.log(
    `Generated ${file.rows} rows (${file.accounts} accounts, ${file.badRows} bad rows) → ${csvPath}`,
  );

  const rows: Row[] = [];
  const db = createDocumentClient();

  // Baseline: the same number of items written as plainly as DynamoDB allows. It, and a small
  // import, run once untimed first, so that neither side pays DynamoDB Local's warm-up (its JIT
  // roughly halves the cost of a write after the first ten thousand).
  const items = Array.from({ length: file.rows }, (_, i) => ({
    pk: `BASE#${i}`,
    sk: 'ITEM',
    n: i,
    name: `row ${i}`,
  }));
  // Items put in raw BatchWriteItem requests of 25, `n` at a time, unprocessed ones sent again.
  const putBatches = (table: string, batches: Record<string, unknown>[][], n: number) =>
    runPool(batches, n, async (batch) => {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length) {
        const r = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (r.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    });
  const batches = chunk(items, 25);
  const baseline = (table: string) => putBatches(table, batches, concurrency);
  await baseline(await freshTable(ctx, 'bench-warmup'));
  const warm = generateAccountsCsv(500, contacts);
  await importAccounts(new Accounts(db, await freshTable(ctx, 'bench-warmup-import')), warm.csv, 'csv', {
    concurrency,
  });
  // Then the baseline and the import take turns, `--rounds` times (default 2), each on a fresh
  // table, and the best time of each counts: the machine is shared, and a later run finds
  // DynamoDB Local's JIT warmer, so turns keep either side from being favoured.
  const rounds = option(ctx.args, 'rounds', 2);
  let baseSeconds = Number.POSITIVE_INFINITY;
  let importSeconds = Number.POSITIVE_INFINITY;
  let report: Awaited<ReturnType<typeof importAccounts>> | undefined;
  let store: Accounts | undefined;
  let importTable = '';
  for (let round = 0; round < rounds; round++) {
    const baseTable = await freshTable(ctx, `bench-baseline-${round}`);
    let t = performance.now();
    await baseline(baseTable);
    baseSeconds = Math.min(baseSeconds, (performance.now() - t) / 1000);

    // Import, in process, with a progress bar.
    importTable = await freshTable(ctx, `bench-import-${round}`);
    store = new Accounts(db, importTable);
    const bar = new SingleBar({
      format: `import ${round + 1}/${rounds} |{bar}| {value}/{total} rows`,
      hideCursor: true,
      stream: process.stderr,
    });
    if (process.stderr.isTTY) bar.start(file.rows, 0);
    t = performance.now();
    report = await importAccounts(store, file.csv, 'csv', {
      concurrency,
      onProgress: (done) => process.stderr.isTTY && bar.update(done),
    });
    if (process.stderr.isTTY) bar.stop();
    importSeconds = Math.min(importSeconds, (performance.now() - t) / 1000);
    if (report.rejectedAccounts !== file.badAccounts || report.created !== file.accounts - file.badAccounts) {
      throw new Error(
        `import result is wrong: ${JSON.stringify({ ...report, errors: report.errors.length })}`,
      );
    }
  }
  if (!report || !store) throw new Error('--rounds must be at least 1');

  // The engine's floor for the same writes: the items the import stored, written raw with the
  // same guard and no rules at all: the phone lookups in BatchWriteItem, the profiles in
  // conditional transactions of 100, both at once.
  const stored = await scanAll(db, importTable);
  const profiles = stored.filter((i) => i.sk === 'PROFILE');
  const lookups = stored.filter((i) => i.sk !== 'PROFILE');
  const packs = chunk(profiles, 100);
  const lookupBatches = chunk(lookups, 25);
  let rawSeconds = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const rawTable = await freshTable(ctx, `bench-raw-${round}`);
    const t = performance.now();
    await Promise.all([
      putBatches(rawTable, lookupBatches, Math.max(1, concurrency - 2)),
      runPool(packs, 2, async (pack) => {
        await db.send(
          new TransactWriteCommand({
            TransactItems: pack.map((Item) => ({
              Put: { TableName: rawTable, Item, ConditionExpression: 'attribute_not_exists(pk)' },
            })),
          }),
        );
      }),
    ]);
    rawSeconds = Math.min(rawSeconds, (performance.now() - t) / 1000);
  }
  const baseRate = file.rows / baseSeconds;
  /** A figure: the file's rows in `seconds`, as a rate and as a share of the baseline's. */
  const row = (name: string, seconds: number, note: string): Row => ({
    name,
    rows: file.rows,
    seconds,
    rowsPerSecond: file.rows / seconds,
    ratioToBaseline: file.rows / seconds / baseRate,
    note,
  });
  rows.push(row('baseline BatchWriteItem', baseSeconds, `${file.rows} plain items, best of ${rounds}`));
  rows.push(
    row(
      'raw: the same items, same guard (floor)',
      rawSeconds,
      `${lookups.length} lookups batched, ${profiles.length} profiles in conditional transactions of 100, no rules`,
    ),
  );
  rows.push(
    row(
      'keyline import (in process)',
      importSeconds,
      `${report.created} created, ${report.rejectedAccounts} rejected (${report.errors.length} row errors), best of ${rounds}`,
    ),
  );

  let t = performance.now();
  const again = await importAccounts(store, file.csv, 'csv', { concurrency });
  const reSeconds = (performance.now() - t) / 1000;
  if (again.unchanged !== report.created || again.created + again.updated !== 0) {
    throw new Error(`re-import changed data: ${JSON.stringify({ ...again, errors: again.errors.length })}`);
  }
  rows.push(row('re-import (unchanged)', reSeconds, `${again.unchanged} unchanged, 0 written`));

  // The real CLI, as a user runs it.
  const cliTable = await freshTable(ctx, 'bench-cli');
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
  rows.push(
    row(
      'npx keyline import (CLI process)',
      cliSeconds,
      'exit code 1 (bad rows reported), includes process start-up',
    ),
  );

  const results = rows.map((r) => ({
    ...r,
    seconds: round(r.seconds),
    rowsPerSecond: round(r.rowsPerSecond, 1),
    ratioToBaseline: round(r.ratioToBaseline),
  }));
  console.log('\nAccount import against DynamoDB Local');
  console.table(
    Object.fromEntries(
      results.map((r) => [
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
  return {
    parameters: { accounts, contactsPerAccount: contacts, concurrency, badRows: file.badRows },
    results,
  };
}

async function scanAll(db: ReturnType<typeof createDocumentClient>, table: string) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return items;
}
