import { DomainError, type FieldError, ValidationError, zodIssuesToFieldErrors } from '../platform/errors.ts';
import { type AccountGroup, type ImportFormat, type ImportReport, parseAccountsFile } from './import-file.ts';
import { AccountInput } from './model.ts';
import type { Accounts, SaveOutcome } from './service.ts';

export {
  ACCOUNT_COLUMNS,
  CONTACT_COLUMNS,
  CSV_HEADER,
  type ImportFormat,
  type ImportReport,
  parseAccountsFile,
  type RowError,
} from './import-file.ts';

/** The import could not go on (DynamoDB unreachable, credentials): with what it wrote before. */
export class ImportStopped extends Error {
  constructor(
    readonly error: unknown,
    readonly partial: ImportReport,
  ) {
    super((error as Error)?.message ?? String(error));
    this.name = 'ImportStopped';
  }
}

export interface ImportOptions {
  concurrency?: number;
  dryRun?: boolean;
  onProgress?: (rowsDone: number) => void;
}

/**
 * Validates every row, then writes each valid account (with its contacts and phone lookups) in
 * one transaction. An account with any bad row is not written at all. Accounts that would not
 * change are skipped, so re-importing a file changes nothing.
 */
export async function importAccounts(
  store: Accounts,
  content: string,
  format: ImportFormat,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const parsed = parseAccountsFile(content, format);
  const report: ImportReport = {
    rows: parsed.rows,
    accounts: parsed.groups.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejectedAccounts: 0,
    errors: [...parsed.errors],
  };
  let done = parsed.errors.length;
  const tick = (n: number) => {
    done += n;
    options.onProgress?.(done);
  };
  tick(0);
  const queue = [...parsed.groups];
  // While accounts keep coming out new, each is written without reading it first; once one
  // exists (a re-import), they are read and planned as usual.
  let creating = true;
  const worker = async () => {
    for (let g = queue.shift(); g; g = queue.shift()) {
      const outcome = await importGroup(store, g, options.dryRun ?? false, creating);
      if (outcome !== 'rejected') creating = outcome === 'created';
      if (outcome === 'rejected') {
        report.rejectedAccounts++;
        report.errors.push(...g.errors);
      } else report[outcome]++;
      tick(g.rows.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  } catch (err) {
    queue.length = 0;
    throw new ImportStopped(err, report);
  }
  report.errors.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
  return report;
}

async function importGroup(
  store: Accounts,
  g: AccountGroup,
  dryRun: boolean,
  assumeNew: boolean,
): Promise<SaveOutcome | 'rejected'> {
  const toRowErrors = (errs: FieldError[]) =>
    errs.map((e) => {
      const where = g.locate(e.path);
      return { ...where, accountId: g.accountId, reason: e.message };
    });
  if (g.errors.length) return 'rejected';
  const parsed = AccountInput.omit({ version: true }).safeParse(g.input);
  if (!parsed.success) {
    g.errors.push(...toRowErrors(zodIssuesToFieldErrors(parsed.error.issues)));
    return 'rejected';
  }
  try {
    // A dry run checks all a write would (numbers, ids, the stored version) and writes nothing.
    const { outcome } = await store.save(g.accountId, parsed.data, {
      skipUnchanged: true,
      dryRun,
      assumeNew,
    });
    return outcome;
  } catch (err) {
    if (err instanceof ValidationError) g.errors.push(...toRowErrors(err.errors));
    else if (err instanceof DomainError)
      g.errors.push({ row: g.rows[0] ?? 0, accountId: g.accountId, field: '(account)', reason: err.message });
    else throw err;
    return 'rejected';
  }
}
