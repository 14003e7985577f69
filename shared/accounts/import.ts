import {
  DomainError,
  type FieldError,
  PROBLEM_ZH,
  ValidationError,
  zodIssuesToFieldErrors,
} from '../platform/errors.ts';
// The import's row errors read in plain words ("must be at most 1"; in Chinese 不能大于 1).
import { ZH_ERRORS } from '../platform/plain-errors.ts';
import { pool } from '../platform/pool.ts';
import {
  type AccountGroup,
  type ImportFormat,
  type ImportReport,
  parseAccountsFile,
  type RowError,
} from './import-file.ts';
import { AccountInput } from './model.ts';
import { rawPhoneIssues } from './registry.ts';
import type { Accounts, BulkResult } from './service.ts';

export {
  ACCOUNT_COLUMNS,
  CONTACT_COLUMNS,
  CSV_HEADER,
  ImportFileError,
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
  /** Told once the file is read: how many rows (a CSV's records, a JSON array's entries) it has. */
  onStart?: (rows: number) => void;
  onProgress?: (rowsDone: number) => void;
  /**
   * Also give each row error's and notice's reason in Chinese (`reasonZh`), for a reader who reads
   * Chinese (the CLI's --lang zh-CN); without it the report has the English reasons only.
   */
  chinese?: boolean;
}

/** Accounts saved together (one bulk save: heads read, lookups staged, profiles created). */
const CHUNK = 100;

/**
 * Validates every row and saves the valid accounts, a hundred at a time, through the registry's
 * bulk save (Accounts.saveMany): each account whole or not at all, new ones staged and committed
 * together, unchanged ones known from their profile. An account with any bad row is not written.
 * Re-importing a file changes nothing, and no import lifts a do-not-call or drops a contact.
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
    notices: [],
  };
  options.onStart?.(parsed.rows);
  let done = parsed.errors.length;
  const tick = (n: number) => {
    done += n;
    options.onProgress?.(done);
  };
  tick(0);
  const reject = (g: AccountGroup) => {
    report.rejectedAccounts++;
    report.errors.push(...g.errors);
  };
  // Accounts are validated chunk by chunk inside the workers, so that checking one chunk overlaps
  // the writes of another (validating the whole file first left DynamoDB idle for a second).
  const chunks: AccountGroup[][] = [];
  for (let i = 0; i < parsed.groups.length; i += CHUNK) chunks.push(parsed.groups.slice(i, i + CHUNK));
  // Two chunks at a time, so one chunk's commit overlaps the other's staging.
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const inFlight = Math.min(2, concurrency);
  const saveChunk = async (groups: AccountGroup[]) => {
    const chunk: { g: AccountGroup; input: AccountInput }[] = [];
    for (const g of groups) {
      const input = validate(g, options.chinese ?? false);
      if (input) chunk.push({ g, input });
      else {
        reject(g);
        tick(g.rows.length);
      }
    }
    if (chunk.length === 0) return;
    const results = await store.saveMany(
      chunk.map(({ g, input }) => ({ accountId: g.accountId, input })),
      { dryRun: options.dryRun ?? false, concurrency: Math.ceil(concurrency / inFlight) },
    );
    // Every outcome is counted before a failure stops the import, so its report stays true.
    chunk.forEach(({ g }, i) => {
      const r = results[i] as BulkResult;
      if ('outcome' in r) {
        report[r.outcome]++;
        if (r.notices) report.notices.push(...toRowErrors(g, r.notices));
        tick(g.rows.length);
      }
    });
    chunk.forEach(({ g }, i) => {
      const r = results[i] as BulkResult;
      if ('error' in r) {
        recordError(g, r.error);
        reject(g);
        tick(g.rows.length);
      }
    });
  };
  try {
    // A failure (DynamoDB unreachable) starts no further chunk.
    await pool(chunks, inFlight, saveChunk);
  } catch (err) {
    throw new ImportStopped(err, report);
  }
  report.errors.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
  report.notices.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
  if (!options.chinese) {
    report.errors = report.errors.map(englishOnly);
    report.notices = report.notices.map(englishOnly);
  }
  return report;
}

const englishOnly = ({ reasonZh: _, ...e }: RowError): RowError => e;

const toRowErrors = (g: AccountGroup, errs: FieldError[]) =>
  errs.map((e) => ({
    ...g.locate(e.path),
    accountId: g.accountId,
    reason: e.message,
    ...(e.messageZh ? { reasonZh: e.messageZh } : {}),
  }));

/** An imported account: no version (the import replaces what is stored). Built once: zod compiles it. */
const ImportedAccount = AccountInput.omit({ version: true });

/** The account's input, or undefined with the group's errors filled in. */
function validate(g: AccountGroup, chinese: boolean): AccountInput | undefined {
  if (g.errors.length) return undefined;
  const parsed = ImportedAccount.safeParse(g.input);
  if (parsed.success) return parsed.data;
  // The same parse in Chinese gives the same issues in the same order: each its Chinese reason.
  const zh = chinese
    ? zodIssuesToFieldErrors(ImportedAccount.safeParse(g.input, ZH_ERRORS).error?.issues ?? [])
    : [];
  const issues = zodIssuesToFieldErrors(parsed.error.issues).map((e, i) => {
    const other = zh[i];
    return other?.path === e.path ? { ...e, messageZh: other.message } : e;
  });
  // Its phone numbers too, or a bad number would only show on the run after the fields are fixed.
  const seen = new Set(issues.map((e) => e.path));
  issues.push(...rawPhoneIssues(g.input).filter((e) => !seen.has(e.path)));
  g.errors.push(...toRowErrors(g, issues));
  return undefined;
}

/** A refusal becomes the account's row errors; anything else (DynamoDB down) stops the import. */
function recordError(g: AccountGroup, err: unknown) {
  if (err instanceof ValidationError) g.errors.push(...toRowErrors(g, err.errors));
  else if (err instanceof DomainError)
    g.errors.push({
      row: g.rows[0] ?? 0,
      accountId: g.accountId,
      field: '(account)',
      reason: err.message,
      reasonZh: err.messageZh ?? PROBLEM_ZH[err.problem],
    });
  else throw err;
}
