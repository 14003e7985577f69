/**
 * An accounts file, read: CSV (one row per contact) or JSON (an array of accounts) split into one
 * group per account, every row checked for shape. Nothing is written here (import.ts writes).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { both, type MessageKey, type ParamsOf } from '../platform/messages/index.ts';
import { ZH_ERRORS } from '../platform/plain-errors.ts';
import { AccountId } from './model.ts';

export type ImportFormat = 'csv' | 'json';

/**
 * The file cannot be read as accounts at all (not JSON, not an array, not CSV, a header that is not
 * the accounts header): nothing in it is imported, and nothing was written.
 */
export class ImportFileError extends Error {
  /** The reason in Chinese. */
  readonly reasonZh: string;

  constructor(reason: string, reasonZh = reason) {
    super(reason);
    this.reasonZh = reasonZh;
    this.name = 'ImportFileError';
  }
}

/** A file error from the catalog, in both languages. */
function fileError<K extends MessageKey>(key: K, params: ParamsOf<K>): ImportFileError {
  const b = both(key, ...([params] as [ParamsOf<K>]));
  return new ImportFileError(b.en, b['zh-CN']);
}

/** A row's reason from the catalog: English, and the Chinese beside it. */
function reasons<K extends MessageKey>(key: K, params: ParamsOf<K>): { reason: string; reasonZh: string } {
  const b = both(key, ...([params] as [ParamsOf<K>]));
  return { reason: b.en, reasonZh: b['zh-CN'] };
}

/** Why an account id is refused, in both languages (zod's words, as for any other field). */
function idReasons(id: unknown): { reason: string; reasonZh: string } {
  const en = AccountId.safeParse(id);
  const zh = AccountId.safeParse(id, ZH_ERRORS);
  return {
    reason: en.error?.issues[0]?.message ?? 'invalid id',
    reasonZh: zh.error?.issues[0]?.message ?? '客户编号无效',
  };
}

export interface RowError {
  /** 1-based: the CSV line (the header is row 1) or the position in the JSON array. */
  row: number;
  accountId?: string;
  field: string;
  reason: string;
  /** The reason in Chinese, for a reader who reads Chinese (the CLI's --lang zh-CN). */
  reasonZh?: string;
}

export interface ImportReport {
  rows: number;
  accounts: number;
  created: number;
  updated: number;
  unchanged: number;
  rejectedAccounts: number;
  errors: RowError[];
  /**
   * What the import kept from a stored account against the file (a do-not-call it never lifts, a
   * contact it never drops), as notes on the rows: the account itself was saved.
   */
  notices: RowError[];
}

/** One account's rows: the unit that is written whole or not at all. */
export interface AccountGroup {
  accountId: string;
  rows: number[];
  /** Maps a path inside the AccountInput to the row and field name a person sees. */
  locate: (path: string) => { row: number; field: string };
  input: unknown;
  errors: RowError[];
}

type ColumnType = 'string' | 'number' | 'list' | 'boolean' | 'lines';
interface Column {
  column: string;
  path: string;
  type: ColumnType;
}

/** The CSV layout: one row per contact; account columns repeat (or stay blank) on later rows. */
export const ACCOUNT_COLUMNS: Column[] = [
  { column: 'name', path: 'name', type: 'string' },
  { column: 'name_en', path: 'nameEn', type: 'string' },
  { column: 'segment', path: 'segment', type: 'string' },
  { column: 'regions', path: 'regions', type: 'list' },
  { column: 'service_group', path: 'serviceGroup', type: 'string' },
  { column: 'account_manager', path: 'accountManager', type: 'string' },
  { column: 'dedicated_rep', path: 'dedicatedRep', type: 'string' },
  { column: 'on_time_commitment', path: 'onTimeCommitment', type: 'number' },
  { column: 'delay_tolerance_minutes', path: 'delayToleranceMinutes', type: 'number' },
  { column: 'phone_region', path: 'phoneRegion', type: 'string' },
  { column: 'time_zone', path: 'timeZone', type: 'string' },
  { column: 'tags', path: 'tags', type: 'list' },
  { column: 'status', path: 'status', type: 'string' },
  { column: 'status_reason', path: 'statusReason', type: 'string' },
  { column: 'strategic_reason', path: 'strategic.reason', type: 'string' },
  // id:name:profit grade:importance, separated by ; or | (e.g. "edible-oil:食用油:3:1|rice:大米:5:2")
  { column: 'service_lines', path: 'serviceLines', type: 'lines' },
  { column: 'credit_rating', path: 'credit.rating', type: 'string' },
  { column: 'credit_limit', path: 'credit.limit', type: 'number' },
  { column: 'credit_review_due', path: 'credit.reviewDue', type: 'string' },
  { column: 'account_value', path: 'economics.accountValue', type: 'number' },
  { column: 'potential_value', path: 'economics.potentialValue', type: 'number' },
  { column: 'share_of_wallet', path: 'economics.shareOfWallet', type: 'number' },
  { column: 'projected_share_of_wallet', path: 'economics.projectedShareOfWallet', type: 'number' },
  { column: 'relationship_strength', path: 'economics.relationshipStrength', type: 'number' },
  { column: 'current_margin', path: 'economics.currentMargin', type: 'number' },
  { column: 'potential_margin', path: 'economics.potentialMargin', type: 'number' },
  { column: 'contribution_target', path: 'economics.contributionTarget', type: 'number' },
  { column: 'average_transaction_value', path: 'economics.averageTransactionValue', type: 'number' },
  { column: 'yearly_frequency', path: 'economics.yearlyFrequency', type: 'number' },
  { column: 'expected_lifetime_years', path: 'economics.expectedLifetimeYears', type: 'number' },
];

export const CONTACT_COLUMNS: Column[] = [
  { column: 'contact_id', path: 'id', type: 'string' },
  { column: 'contact_name', path: 'name', type: 'string' },
  { column: 'contact_role', path: 'role', type: 'string' },
  { column: 'contact_phones', path: 'phones', type: 'list' },
  { column: 'contact_email', path: 'email', type: 'string' },
  { column: 'contact_language', path: 'language', type: 'string' },
  { column: 'contact_time_zone', path: 'timeZone', type: 'string' },
  { column: 'contact_do_not_call', path: 'doNotCall', type: 'boolean' },
  { column: 'contact_consent_calls', path: 'consent.calls', type: 'boolean' },
  { column: 'contact_consent_sms', path: 'consent.sms', type: 'boolean' },
  { column: 'contact_consent_email', path: 'consent.email', type: 'boolean' },
];

/**
 * Columns of older files, still accepted and ignored: the cost to serve now derives from the
 * account's service mode (accounts/prioritization.ts), so a typed-in figure would be wrong.
 */
export const RETIRED_COLUMNS = ['cost_to_serve'];

export const CSV_HEADER = [
  'account_id',
  ...ACCOUNT_COLUMNS.map((c) => c.column),
  ...CONTACT_COLUMNS.map((c) => c.column),
];

/**
 * Splits a file into account groups, validating every row. Nothing is written here. Throws
 * ImportFileError when the file is not an accounts file at all.
 */
export function parseAccountsFile(
  content: string,
  format: ImportFormat,
): { groups: AccountGroup[]; rows: number; errors: RowError[] } {
  return format === 'json' ? parseJson(content) : parseCsvFile(content);
}

function parseJson(content: string) {
  let data: unknown;
  try {
    // A byte-order mark (Notepad's "UTF-8 with BOM") is not part of the JSON, as a CSV's is not.
    data = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw fileError('import.file.not-json', { detail: (err as Error).message });
  }
  if (!Array.isArray(data)) throw fileError('import.file.not-array', {});
  const groups: AccountGroup[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  data.forEach((item, i) => {
    const row = i + 1;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({
        row,
        field: '(account)',
        ...reasons('import.row.not-an-account', {}),
      });
      return;
    }
    const id = (item as { id?: unknown }).id;
    const idCheck = AccountId.safeParse(id);
    if (!idCheck.success) {
      errors.push({ row, field: 'id', ...idReasons(id) });
      return;
    }
    const first = seen.get(idCheck.data);
    if (first !== undefined) {
      // As in a CSV, an id twice rejects the account whole: neither copy is written.
      errors.push({
        row,
        accountId: idCheck.data,
        field: 'id',
        ...reasons('import.row.id-already-at', { id: idCheck.data, row: first }),
      });
      const earlier = groups.find((g) => g.accountId === idCheck.data);
      earlier?.errors.push({
        row: first,
        accountId: idCheck.data,
        field: 'id',
        ...reasons('import.row.id-again-at', { id: idCheck.data, row }),
      });
      return;
    }
    seen.set(idCheck.data, row);
    const { id: _id, ...input } = item as Record<string, unknown>;
    groups.push({
      accountId: idCheck.data,
      rows: [row],
      locate: (path) => ({ row, field: path }),
      input,
      errors: [],
    });
  });
  return { groups, rows: data.length, errors };
}

function parseCsvFile(content: string) {
  let parsed: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    parsed = parseCsv(content, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
      raw: true,
    }) as unknown as typeof parsed;
  } catch (err) {
    throw fileError('import.file.not-csv', { detail: (err as Error).message });
  }
  // Row numbers are the file's line numbers (blank lines skipped, but counted): the line a record
  // starts on, which for a quoted cell over several lines is its last line (`info.lines`) less the
  // line breaks inside it (`raw` also holds the blank lines skipped before it).
  const [headerRecord, ...bodyRecords] = parsed;
  const header = headerRecord?.record;
  const body = bodyRecords.map((r) => r.record);
  const lineOf = bodyRecords.map(
    (r) =>
      r.info.lines -
      (r.raw
        .replace(/^[\r\n]+/, '')
        .replace(/\r?\n$/, '')
        .match(/\n/g)?.length ?? 0),
  );
  if (!header) throw fileError('import.file.empty', {});
  const missing = ['account_id', 'name', 'segment', 'contact_name'].filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !CSV_HEADER.includes(c) && !RETIRED_COLUMNS.includes(c));
  if (missing.length || unknown.length)
    throw fileError('import.file.not-header', { missing, unknown, expected: CSV_HEADER.join(',') });
  const errors: RowError[] = [];
  const byId = new Map<string, { rows: number[]; cells: Record<string, string>[] }>();
  /** Accounts whose rows come again after another account's: the row where they do. */
  const again = new Map<string, number>();
  let previous: string | undefined;
  body.forEach((cellsArr, i) => {
    const row = lineOf[i] ?? i + 2;
    const cells = Object.fromEntries(header.map((h, j) => [h, cellsArr[j] ?? '']));
    const idCheck = AccountId.safeParse(cells.account_id);
    if (!idCheck.success) {
      errors.push({ row, field: 'account_id', ...idReasons(cells.account_id) });
      return;
    }
    const g = byId.get(idCheck.data) ?? { rows: [], cells: [] };
    if (g.rows.length > 0 && previous !== idCheck.data && !again.has(idCheck.data))
      again.set(idCheck.data, row);
    previous = idCheck.data;
    g.rows.push(row);
    g.cells.push(cells);
    byId.set(idCheck.data, g);
  });
  const groups: AccountGroup[] = [];
  for (const [accountId, g] of byId) {
    const groupErrors: RowError[] = [];
    const repeated = again.get(accountId);
    // As in JSON, an account given twice is rejected whole: an account's rows are one block.
    if (repeated !== undefined)
      groupErrors.push({
        row: repeated,
        accountId,
        field: 'account_id',
        ...reasons('import.row.rows-apart', { id: accountId, row: g.rows[0] ?? 0 }),
      });
    const account: Record<string, unknown> = {};
    const firstCells = g.cells[0] ?? {};
    for (const col of ACCOUNT_COLUMNS) {
      const raw = firstCells[col.column] ?? '';
      g.cells.slice(1).forEach((later, k) => {
        const v = later[col.column] ?? '';
        if (v !== '' && v !== raw) {
          groupErrors.push({
            row: g.rows[k + 1] ?? 0,
            accountId,
            field: col.column,
            ...reasons('import.row.differs', { value: v, raw, row: g.rows[0] ?? 0 }),
          });
        }
      });
      const value = convert(raw, col.type);
      if (value !== undefined) setPath(account, col.path, value);
    }
    const contactRows: number[] = [];
    const contacts: Record<string, unknown>[] = [];
    g.cells.forEach((cells, k) => {
      if (CONTACT_COLUMNS.every((c) => (cells[c.column] ?? '') === '')) return;
      const contact: Record<string, unknown> = {};
      for (const col of CONTACT_COLUMNS) {
        const value = convert(cells[col.column] ?? '', col.type);
        if (value === undefined) continue;
        if (col.path === 'phones')
          setPath(
            contact,
            'phones',
            (value as string[]).map((number) => ({ number })),
          );
        else setPath(contact, col.path, value);
      }
      contacts.push(contact);
      contactRows.push(g.rows[k] ?? 0);
    });
    account.contacts = contacts;
    const firstRow = g.rows[0] ?? 0;
    const locate = (path: string) => {
      const m = /^contacts\.(\d+)\.?(.*)$/.exec(path);
      if (m) {
        const rest = (m[2] ?? '')
          .replace(/^phones\.\d+\.number$/, 'phones')
          .replace(/^phones\.\d+.*$/, 'phones');
        const col = CONTACT_COLUMNS.find((c) => c.path === rest || rest.startsWith(`${c.path}.`));
        return { row: contactRows[Number(m[1])] ?? firstRow, field: col?.column ?? `contact.${rest}` };
      }
      const col = ACCOUNT_COLUMNS.find((c) => c.path === path || path.startsWith(`${c.path}.`));
      return { row: firstRow, field: col?.column ?? path };
    };
    groups.push({ accountId, rows: g.rows, locate, input: account, errors: groupErrors });
  }
  return { groups, rows: body.length, errors };
}

function convert(raw: string, type: ColumnType): unknown {
  if (raw === '') return undefined;
  switch (type) {
    case 'number': {
      const n = Number(raw.replaceAll(',', '').replaceAll('_', ''));
      return Number.isFinite(n) ? n : raw;
    }
    case 'list':
      return raw
        .split(/[;|；]/)
        .map((s) => s.trim())
        .filter(Boolean);
    case 'boolean': {
      const v = raw.toLowerCase();
      if (['true', 'yes', 'y', '1', '是'].includes(v)) return true;
      if (['false', 'no', 'n', '0', '否'].includes(v)) return false;
      return raw;
    }
    case 'lines':
      // Each line id:name:grade:importance; a malformed one is passed on as text for the schema to name.
      return (convert(raw, 'list') as string[]).map((l) => {
        const [id, name, grade, importance] = l.split(/[:：]/).map((x) => x.trim());
        return id && name && grade && importance
          ? { id, name, profitGrade: Number(grade), importance: Number(importance) }
          : l;
      });
    default:
      return raw;
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    node[p] ??= {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts.at(-1) ?? path] = value;
}
