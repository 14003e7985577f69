/**
 * The operator CLI in Chinese, as the key-account managers who run imports read it: chosen with
 * --lang zh-CN or by the environment (LANG=zh_CN.UTF-8); help, row errors, the summary, a file
 * error and an outbox command. The English output is the other tests' (import*.test.ts).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../support/cli.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const dir = await mkdtemp(join(tmpdir(), 'keyline-cli-zh-'));

/** A shell whose locale is Chinese (LC_ALL and LC_MESSAGES unset, so LANG decides). */
const chineseShell = () => {
  vi.stubEnv('LC_ALL', '');
  vi.stubEnv('LC_MESSAGES', '');
  vi.stubEnv('LANG', 'zh_CN.UTF-8');
};
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The example file's first account alone, under `id`, changed by `edit`. */
async function oneAccount(id: string, edit: (row: string) => string = (r) => r) {
  const [header, first] = (await readFile('docs/examples/accounts.csv', 'utf8')).trim().split('\n');
  const row = edit((first ?? '').replace(/^acc-fengshou-rice,/, `${id},`));
  const file = join(dir, `${id}.csv`);
  await writeFile(file, `${header}\n${row}\n`);
  return file;
}

describe('keyline in Chinese', () => {
  it('prints its help in Chinese with --lang zh-CN, and in English by default', async () => {
    const zh = await cli('--help', '--lang', 'zh-CN');
    expect(zh.code).toBe(0);
    expect(zh.output).toContain('用法：keyline <命令> [选项]');
    expect(zh.output).toContain('import accounts <文件>   从 CSV 或 JSON 文件导入重点客户及其联系人。');
    expect(zh.output).toContain('--lang <zh-CN|en>');
    expect(zh.output).toContain('退出码：0 所有行已导入；1 部分行被拒绝；2 用法或文件错误');

    vi.stubEnv('LC_ALL', 'C.UTF-8');
    const en = await cli('--help');
    expect(en.output).toContain('Usage: keyline <command> [options]');
    expect(en.output).toContain('--lang <zh-CN|en>        Language of the output');
  });

  it('reports a bad phone and a bad segment in Chinese, and the summary, with --lang zh-CN', async () => {
    const file = await oneAccount('acc-zh-bad', (r) =>
      r.replace(',fmcg,', ',grocery,').replace('139 2701 0001', '12345'),
    );
    const r = await cli('import', 'accounts', file, '--lang', 'zh-CN');
    expect(r.code).toBe(1);
    expect(r.output).toContain(
      '第 2 行（acc-zh-bad）：contact_phones："12345" 不是有效的电话号码（按地区 CN 解读）',
    );
    expect(r.output).toContain(
      '第 2 行（acc-zh-bad）：segment：应为以下之一："fmcg"、"chemicals"、"electrical"、"pharma"、"other"',
    );
    expect(r.output).toMatch(new RegExp(`${file}：1 行，1 个客户，用时 \\d+\\.\\d 秒`));
    expect(r.output).toContain('  接受 0 个客户：新建 0 · 更新 0 · 未改变 0（不再写入）');
    expect(r.output).toContain('  拒绝 1 个客户 · 2 个行错误');
    expect(r.output).not.toMatch(/row \d|rejected|is not a valid phone number/);
  });

  it('speaks Chinese when LANG is zh_CN.UTF-8: an import, a file error, a usage error', async () => {
    chineseShell();
    const file = await oneAccount('acc-zh-good');
    const ok = await cli('import', 'accounts', file, '--dry-run');
    expect(ok.code).toBe(0);
    expect(ok.output).toContain('（试运行：未写入任何内容）');
    expect(ok.output).toContain('  有效 1 个客户：将新建 1 · 更新 0 · 0 个不变');

    const missing = join(dir, 'no-such.csv');
    expect(await cli('import', 'accounts', missing)).toEqual({
      code: 2,
      output: `无法读取 ${missing}：没有这个文件`,
    });

    const gbk = join(dir, 'gbk.csv');
    await writeFile(gbk, Buffer.from([0x61, 0x2c, 0xb7, 0xe1, 0xca, 0xd5, 0x0a]));
    const notUtf8 = await cli('import', 'accounts', gbk);
    expect(notUtf8.code).toBe(2);
    expect(notUtf8.output).toContain(`${gbk} 不是 UTF-8 文本`);

    const notJson = await cli(
      'import',
      'accounts',
      await oneAccount('acc-zh-json', () => ''),
      '--format',
      'json',
    );
    expect(notJson.code).toBe(2);
    expect(notJson.output).toMatch(/不是客户 JSON 文件：不是有效的 JSON：.*。未写入任何内容。$/);

    expect(await cli('export', 'accounts')).toEqual({
      code: 2,
      output: '未知命令 "export accounts"。运行 "keyline --help" 查看用法。',
    });
    // --lang wins over the environment.
    expect((await cli('export', '--lang', 'en')).output).toBe(
      'Unknown command "export". Run "keyline --help" for usage.',
    );
  });

  it('answers an outbox command in Chinese', async () => {
    chineseShell();
    const r = await cli('outbox', 'replay', 'no-such-entry');
    expect(r.code).toBe(1);
    expect(r.output).toBe(
      [
        'no-such-entry: 没有这个发件箱条目（已发布，或 ID 有误）：无需重放',
        `${TABLE_NAME()}：已重放 0 / 1 个条目。`,
      ].join('\n'),
    );
    const usage = await cli('outbox', 'replay', '--lang', 'zh-CN');
    expect(usage).toEqual({
      code: 2,
      output:
        '哪些条目？用法：keyline outbox replay ID…（ID 来自 "keyline outbox dead-letters"），或 --all。',
    });
  });
});
