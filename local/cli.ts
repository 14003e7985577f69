import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { backfillCountsIndex } from '#shared/accounts/counts-migration.ts';
import {
  CSV_HEADER,
  ImportFileError,
  type ImportFormat,
  ImportStopped,
  importAccounts,
} from '#shared/accounts/import.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { outboxCommand } from './cli-outbox.ts';
import { connect, whyStopped } from './cli-target.ts';

const HELP = `Usage: keyline <command> [options]

Commands:
  import accounts <FILE>   Import key accounts with their contacts from CSV or JSON.
  migrate counts-index     Once, on a table created before the counts index (gsi3): give the
                           accounts' counter items that index's keys, so the screen pop and the
                           card count them. Safe to re-run and beside live traffic.
  outbox dead-letters      List the outbox entries (delay announcements) the sweeper gave up on
                           after its last attempt, oldest first.
  outbox replay <ID…>      Put those entries back in the outbox (--all: every one listed); the
                           sweeper publishes them on its next run, within 5 minutes.

Options (every command):
  --table <name>           DynamoDB table (default: $TABLE_NAME, or keyline-local)
  --endpoint <url>         DynamoDB endpoint, e.g. the DynamoDB Local URL npm start prints
                           (default: the SDK's own settings, AWS_ENDPOINT_URL_DYNAMODB or AWS).
                           A loopback endpoint (DynamoDB Local) needs no region or credentials.
  --region <region>        AWS region (default: $AWS_REGION; required for AWS)
  --concurrency <n>        DynamoDB requests in flight (default 8)
  --dry-run                Write nothing: import validates every row; migrate counts the
                           items it would update; outbox replay lists what it would replay
  -h, --help               Show this help

Import options:
  --format <csv|json>      File format (default: from the file extension)

CSV layout: one row per contact, an account's rows together; the account columns repeat or
stay blank on its later rows (an account given again after another account's rows is rejected). Lists (regions, tags, contact_phones) are separated by ";". Columns:
  ${CSV_HEADER.join(',')}
JSON layout: an array of account objects, each with an "id" and a "contacts" array, as in
PUT /accounts/{id}.

Every row is validated. A bad row is reported with its row number, field and reason, and
nothing of that account is written. Re-importing the same file changes nothing.
Exit codes: 0 all rows imported; 1 some rows rejected; 2 usage or file error, or the import
could not reach DynamoDB.

Example (while npm start runs):
  npx keyline import accounts docs/examples/accounts.csv --endpoint http://127.0.0.1:<dynamodb port>`;

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n\nRun "keyline --help" for usage.`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(HELP);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const [command, what, file] = positionals;
  const concurrency = Number(values.concurrency ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    console.error('--concurrency must be a whole number from 1 to 64');
    return 2;
  }
  if (command === 'migrate' && what === 'counts-index' && positionals.length === 2) {
    if (values.format !== undefined) {
      console.error('--format is an import option; migrate counts-index reads no file.');
      return 2;
    }
    return migrate(values, concurrency);
  }
  if (command === 'outbox') {
    if (values.format !== undefined) {
      console.error('--format is an import option; the outbox commands read no file.');
      return 2;
    }
    return outboxCommand(what, positionals.slice(2), values);
  }
  if (values.all) {
    console.error('--all is an option of outbox replay.');
    return 2;
  }
  if (command === 'import' && what === 'accounts' && !file) {
    console.error(
      'Which file? Usage: keyline import accounts FILE [options]. Run "keyline --help" for more.',
    );
    return 2;
  }
  if (command !== 'import' || what !== 'accounts' || !file || positionals.length > 3) {
    console.error(`Unknown command "${positionals.join(' ')}". Run "keyline --help" for usage.`);
    return 2;
  }
  const format = (values.format ??
    (extname(file).toLowerCase() === '.json' ? 'json' : 'csv')) as ImportFormat;
  if (format !== 'csv' && format !== 'json') {
    console.error(`--format must be csv or json, got "${values.format}"`);
    return 2;
  }
  let content: string;
  try {
    const bytes = await readFile(file);
    // A workbook or any other binary file is a file error, not a header error.
    if (bytes.includes(0) || bytes.subarray(0, 4).toString('latin1') === 'PK\x03\x04') {
      console.error(
        `${file} is not a CSV or JSON text file (an Excel workbook?). Save it as "CSV UTF-8" and import that.`,
      );
      return 2;
    }
    // Strictly UTF-8: Excel's "CSV (逗号分隔)" on Chinese Windows saves GBK, which would otherwise
    // be stored as replacement characters (names, regions, contacts) without a word.
    try {
      content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      console.error(
        `${file} is not UTF-8 text (GBK, as Excel's "CSV (逗号分隔)" saves on Chinese Windows?). Save it as "CSV UTF-8" and import that. Nothing was written.`,
      );
      return 2;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    console.error(`Cannot read ${file}: ${READ_ERRORS[code] ?? (err as Error).message}`);
    return 2;
  }
  const target = connect(values);
  if (!target) return 2;
  const { db, table } = target;
  const store = new Accounts(db, table);

  const bar = new SingleBar({
    format: 'Importing |{bar}| {percentage}% · {value}/{total} rows · {eta_formatted} left',
    hideCursor: true,
    stream: process.stderr,
  });
  let showBar = false;
  const started = performance.now();
  let report: Awaited<ReturnType<typeof importAccounts>>;
  try {
    report = await importAccounts(store, content, format, {
      concurrency,
      dryRun: values['dry-run'],
      // The bar counts the file's rows as the import read them (a JSON file: its accounts).
      onStart: (rows) => {
        showBar = Boolean(process.stderr.isTTY) && rows > 200;
        if (showBar) bar.start(rows, 0);
      },
      onProgress: (done) => {
        if (showBar) bar.update(done);
      },
    });
  } catch (err) {
    if (showBar) bar.stop();
    if (err instanceof ImportFileError) {
      console.error(
        `${file} is not an accounts ${format.toUpperCase()} file: ${err.message}. Nothing was written.`,
      );
      return 2;
    }
    const partial = err instanceof ImportStopped ? err.partial : undefined;
    const written = (partial?.created ?? 0) + (partial?.updated ?? 0);
    const cause = err instanceof ImportStopped ? err.error : err;
    console.error(
      `Import stopped: ${whyStopped(cause, table)}\n` +
        (written > 0
          ? `${written} account(s) were written before it stopped (created ${partial?.created}, updated ${partial?.updated}); re-run the same file to finish: unchanged accounts are skipped.`
          : 'Nothing was written.'),
    );
    return 2;
  } finally {
    db.destroy();
  }
  if (showBar) bar.stop();
  const seconds = (performance.now() - started) / 1000;

  for (const e of report.errors.slice(0, 200)) {
    console.error(`row ${e.row}${e.accountId ? ` (${e.accountId})` : ''}: ${e.field}: ${e.reason}`);
  }
  if (report.errors.length > 200) console.error(`… and ${report.errors.length - 200} more errors`);
  const ok = report.created + report.updated + report.unchanged;
  const dry = values['dry-run'];
  console.log(
    [
      `${file}: ${count(report.rows, 'row')}, ${count(report.accounts, 'account')} in ${seconds.toFixed(1)} s${dry ? ' (dry run: nothing written)' : ''}`,
      dry
        ? `  valid ${ok} account(s): would create ${report.created} · update ${report.updated} · leave ${report.unchanged} unchanged`
        : `  accepted ${ok} account(s): created ${report.created} · updated ${report.updated} · unchanged ${report.unchanged} (not written again)`,
      `  rejected ${report.rejectedAccounts} account(s) · ${report.errors.length} row error(s)`,
      ...(report.notices.length
        ? [
            `  kept ${report.notices.length} thing(s) the file leaves out or would undo (an import never lifts a do-not-call nor drops a contact):`,
            ...report.notices
              .slice(0, 200)
              .map(
                (n) => `    row ${n.row}${n.accountId ? ` (${n.accountId})` : ''}: ${n.field}: ${n.reason}`,
              ),
          ]
        : []),
    ].join('\n'),
  );
  return report.errors.length > 0 ? 1 : 0;
}

type Values = ReturnType<typeof parse>['values'];

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Why a file could not be read, in plain words. */
const READ_ERRORS: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder, not a file',
};

/** `keyline migrate counts-index`: the counts index's keys on the counter items from before it. */
async function migrate(values: Values, concurrency: number): Promise<number> {
  const target = connect(values);
  if (!target) return 2;
  const { db, table } = target;
  const started = performance.now();
  const showProgress = process.stderr.isTTY;
  const dryRun = values['dry-run'];
  let updated = 0;
  try {
    const r = await backfillCountsIndex(
      db,
      table,
      (p) => {
        updated = p.updated;
        if (showProgress)
          process.stderr.write(
            `\rScanned ${p.scanned} items · ${dryRun ? 'to index' : 'indexed'} ${p.updated} counter items`,
          );
      },
      { dryRun, concurrency },
    );
    if (showProgress) process.stderr.write('\n');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${table}: scanned ${r.scanned} items in ${seconds} s; ` +
        (dryRun
          ? `${r.updated} counter item(s) would be given the counts index's keys (dry run: nothing written)`
          : `${r.updated} counter item(s) given the counts index's keys` +
            (r.updated === 0 ? ' (nothing to do: the table is up to date)' : '')),
    );
    return 0;
  } catch (err) {
    if (showProgress) process.stderr.write('\n');
    console.error(
      `Migration stopped: ${whyStopped(err, table)}` +
        (updated > 0 && !dryRun
          ? ` ${updated} counter item(s) were indexed before it stopped; re-run it to finish: what was done stays done.`
          : ' Nothing was changed.'),
    );
    return 2;
  } finally {
    db.destroy();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      table: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      format: { type: 'string' },
      concurrency: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
