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
    const byColumn: Record<string, string> = {
      name: `基准客户${a}`,
      name_en: `Bench Account ${a}`,
      segment: bad === 1 ? 'toys' : (SEGMENTS[a % SEGMENTS.length] as string),
      regions: '华东;华北',
      service_group: 'fmcg-service',
      account_manager: '王建国',
      on_time_commitment: '0.97',
      delay_tolerance_minutes: '60',
      phone_region: 'CN',
      time_zone: 'Asia/Shanghai',
      tags: 'bench',
      service_lines: a % 2 ? 'edible-oil:食用油:3:1|rice:大米:5:2' : '',
      credit_rating: a % 3 ? 'A' : '',
      credit_limit: a % 3 ? String(Math.round(value * 0.05)) : '',
      credit_review_due: a % 3 ? '2027-06-30' : '',
      account_value: String(value),
      potential_value: String(value * 2),
      share_of_wallet: bad === 2 ? '1.7' : (0.2 + rand() * 0.6).toFixed(2),
      current_margin: String(Math.round(value * 0.1)),
      relationship_strength: rand().toFixed(2),
      potential_margin: String(Math.round(value * 0.12)),
      contribution_target: String(Math.round(value * 0.2)),
      average_transaction_value: '8000',
      yearly_frequency: String(100 + Math.round(rand() * 2000)),
      expected_lifetime_years: '5',
    };
    // Every account column in CSV_HEADER's order; a column not named above stays empty.
    const account = [id, ...ACCOUNT_COLUMNS.map((c) => byColumn[c.column] ?? '')];
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
