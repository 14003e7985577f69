import { ACCOUNT_COLUMNS, CSV_HEADER } from '#shared/accounts/import.ts';

const SEGMENTS = ['fmcg', 'chemicals', 'electrical', 'pharma', 'other'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '艳', '杰'];

/** A deterministic pseudo-random generator, so every bench run imports the same file. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface GeneratedFile {
  csv: string;
  rows: number;
  accounts: number;
  badRows: number;
  badAccounts: number;
}

/**
 * A CSV of `accounts` accounts with `contactsPerAccount` contact rows each. Every `badEvery`-th
 * account carries one bad row (an invalid phone, a bad segment or a share of wallet over 1).
 */
export function generateAccountsCsv(accounts = 2_500, contactsPerAccount = 4, badEvery = 50): GeneratedFile {
  const rand = rng(42);
  const lines = [CSV_HEADER.join(',')];
  let badRows = 0;
  let badAccounts = 0;
  for (let a = 0; a < accounts; a++) {
    const id = `acc-bench-${String(a).padStart(5, '0')}`;
    const bad = a % badEvery === badEvery - 1 ? a % 3 : -1;
    if (bad >= 0) {
      badRows++;
      badAccounts++;
    }
    const value = Math.round(500_000 + rand() * 50_000_000);
    const account = [
      id,
      `基准客户${a}`,
      `Bench Account ${a}`,
      bad === 1 ? 'toys' : SEGMENTS[a % SEGMENTS.length],
      '华东;华北',
      'fmcg-service',
      '王建国',
      '',
      '0.97',
      '60',
      'CN',
      'Asia/Shanghai',
      'bench',
      '', // status: active
      '', // status_reason
      String(value),
      String(value * 2),
      bad === 2 ? '1.7' : (0.2 + rand() * 0.6).toFixed(2),
      String(Math.round(value * 0.1)),
      rand().toFixed(2),
      String(Math.round(value * 0.12)),
      String(Math.round(value * 0.2)),
      '',
      '8000',
      String(100 + Math.round(rand() * 2000)),
      '5',
    ];
    // The account columns in CSV_HEADER's order: a new column must be added here too.
    if (account.length !== 1 + ACCOUNT_COLUMNS.length)
      throw new Error(
        `bench/generate.ts writes ${account.length - 1} account columns, the CSV has ${ACCOUNT_COLUMNS.length}`,
      );
    for (let c = 0; c < contactsPerAccount; c++) {
      const n = a * contactsPerAccount + c;
      const phone =
        bad === 0 && c === contactsPerAccount - 1 ? '12345' : `139${String(10_000_000 + n).padStart(8, '0')}`;
      const name = `${SURNAMES[n % 10]}${GIVEN[(n * 7) % 10]}${c}`;
      const cells = c === 0 ? account : [id, ...account.slice(1).map(() => '')];
      lines.push(
        [
          ...cells,
          '',
          name,
          '物流',
          phone,
          `c${n}@bench.example.cn`,
          'zh-CN',
          '',
          'no',
          'yes',
          'yes',
          'yes',
        ].join(','),
      );
    }
  }
  return {
    csv: `${lines.join('\n')}\n`,
    rows: accounts * contactsPerAccount,
    accounts,
    badRows,
    badAccounts,
  };
}
