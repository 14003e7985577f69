/**
 * Why an accounts file, or a row of it, is refused by the import (accounts/import-file.ts), in both
 * languages: the operator CLI prints the one its user reads. Column names stay as the file has them.
 */
import { msg } from './message.ts';

export const IMPORTS = {
  'import.row.not-an-account': msg(
    () => '不是客户对象（{ "id": …, "contacts": [ … ] }）',
    () => 'is not an account object ({ "id": …, "contacts": [ … ] })',
  ),
  'import.row.id-already-at': msg<{ id: string; row: number }>(
    (p) => `客户 ${p.id} 已出现在第 ${p.row} 行`,
    (p) => `account ${p.id} already appears at row ${p.row}`,
  ),
  'import.row.id-again-at': msg<{ id: string; row: number }>(
    (p) => `客户 ${p.id} 在第 ${p.row} 行再次出现`,
    (p) => `account ${p.id} appears again at row ${p.row}`,
  ),
  'import.row.rows-apart': msg<{ id: string; row: number }>(
    (p) => `客户 ${p.id} 在其他客户的行之后再次出现（它从第 ${p.row} 行开始）：请把同一客户的行放在一起`,
    (p) =>
      `account ${p.id} appears again here, after other accounts' rows (it starts at row ${p.row}): put an account's rows together`,
  ),
  'import.row.differs': msg<{ value: string; raw: string; row: number }>(
    (p) => `"${p.value}" 与同一客户第 ${p.row} 行的 "${p.raw}" 不一致`,
    (p) => `"${p.value}" differs from "${p.raw}" on row ${p.row} of the same account`,
  ),
  'import.file.not-json': msg<{ detail: string }>(
    (p) => `不是有效的 JSON：${p.detail}`,
    (p) => `not valid JSON: ${p.detail}`,
  ),
  'import.file.not-array': msg(
    () => '不是客户的 JSON 数组',
    () => 'not a JSON array of accounts',
  ),
  'import.file.not-csv': msg<{ detail: string }>(
    (p) => `不是有效的 CSV：${p.detail}`,
    (p) => `not valid CSV: ${p.detail}`,
  ),
  'import.file.empty': msg(
    () => '文件为空',
    () => 'the file is empty',
  ),
  'import.file.not-header': msg<{ missing: string[]; unknown: string[]; expected: string }>(
    (p) =>
      `第 1 行不是客户表头：${[
        p.missing.length ? `缺少列：${p.missing.join(', ')}` : '',
        p.unknown.length ? `未知列：${p.unknown.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('；')}。应为：${p.expected}`,
    (p) =>
      `line 1 is not the accounts header: ${[
        p.missing.length ? `missing columns: ${p.missing.join(', ')}` : '',
        p.unknown.length ? `unknown columns: ${p.unknown.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')}. Expected: ${p.expected}`,
  ),
};
