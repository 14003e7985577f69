import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { SingleBar } from 'cli-progress';
import {
  ImportFileError,
  type ImportFormat,
  ImportStopped,
  importAccounts,
  type RowError,
} from '#shared/accounts/import.ts';
import { Accounts } from '#shared/accounts/service.ts';
import type { Values } from './cli.ts';
import { type CliKey, type Lang, say } from './cli-messages.ts';
import { connect, whyStopped } from './cli-target.ts';

/** `keyline import accounts FILE`: reads the file, imports it, prints the report. */
export async function importCommand(
  file: string,
  values: Values,
  concurrency: number,
  lang: Lang,
): Promise<number> {
  const format = (values.format ??
    (extname(file).toLowerCase() === '.json' ? 'json' : 'csv')) as ImportFormat;
  if (format !== 'csv' && format !== 'json') {
    console.error(say(lang, 'usage.format-value', { format: String(values.format) }));
    return 2;
  }
  let content: string;
  try {
    const bytes = await readFile(file);
    // A workbook or any other binary file is a file error, not a header error.
    if (bytes.includes(0) || bytes.subarray(0, 4).toString('latin1') === 'PK\x03\x04') {
      console.error(say(lang, 'file.workbook', { file }));
      return 2;
    }
    // Strictly UTF-8: Excel's "CSV (逗号分隔)" on Chinese Windows saves GBK, which would otherwise
    // be stored as replacement characters (names, regions, contacts) without a word.
    try {
      content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      console.error(say(lang, 'file.not-utf8', { file }));
      return 2;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const reason = READ_ERRORS.includes(code)
      ? say(lang, `file.${code}` as CliKey & `file.${string}`)
      : (err as Error).message;
    console.error(say(lang, 'file.cannot-read', { file, reason }));
    return 2;
  }
  const target = connect(values, lang);
  if (!target) return 2;
  const { db, table } = target;
  const store = new Accounts(db, table);

  const bar = new SingleBar({
    format: say(lang, 'import.bar'),
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
      chinese: lang === 'zh-CN',
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
      const reason = lang === 'zh-CN' ? err.reasonZh : err.message;
      console.error(say(lang, 'file.not-accounts', { file, format: format.toUpperCase(), reason }));
      return 2;
    }
    const partial = err instanceof ImportStopped ? err.partial : undefined;
    const cause = err instanceof ImportStopped ? err.error : err;
    console.error(
      say(lang, 'import.stopped', {
        why: whyStopped(cause, table, lang),
        created: partial?.created ?? 0,
        updated: partial?.updated ?? 0,
      }),
    );
    return 2;
  } finally {
    db.destroy();
  }
  if (showBar) bar.stop();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const line = (e: RowError) =>
    say(lang, 'import.row', {
      row: e.row,
      ...(e.accountId ? { accountId: e.accountId } : {}),
      field: e.field,
      reason: lang === 'zh-CN' ? (e.reasonZh ?? e.reason) : e.reason,
    });
  for (const e of report.errors.slice(0, 200)) console.error(line(e));
  if (report.errors.length > 200)
    console.error(say(lang, 'import.more-errors', { count: report.errors.length - 200 }));
  const ok = report.created + report.updated + report.unchanged;
  const dry = values['dry-run'];
  const counts = { ok, created: report.created, updated: report.updated, unchanged: report.unchanged };
  console.log(
    [
      say(lang, 'import.summary', { file, rows: report.rows, accounts: report.accounts, seconds, dry }),
      say(lang, dry ? 'import.valid' : 'import.accepted', counts),
      say(lang, 'import.rejected', { rejected: report.rejectedAccounts, errors: report.errors.length }),
      ...(report.notices.length
        ? [
            say(lang, 'import.kept', { count: report.notices.length }),
            ...report.notices.slice(0, 200).map((n) => `    ${line(n)}`),
          ]
        : []),
    ].join('\n'),
  );
  return report.errors.length > 0 ? 1 : 0;
}

/** The read errors said in plain words (the catalog's file.<code>); others keep the system's. */
const READ_ERRORS = ['ENOENT', 'EACCES', 'EISDIR'];
