import { describe, expect, it } from 'vitest';
import { CLI_MESSAGES, type CliKey, envLang, langArg, langOfLocale, say } from '#local/cli-messages.ts';

/** Every parameter any CLI text takes. */
const PARAMS = {
  header: 'account_id,name',
  detail: "Unknown option '--bogus'",
  code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION',
  option: '--bogus',
  value: 'fr',
  command: 'export accounts',
  format: 'xlsx',
  file: 'accounts.csv',
  reason: 'there is no such file',
  why: 'connect ECONNREFUSED.',
  created: 2,
  updated: 1,
  row: 4,
  accountId: 'acc-jinhe-grain',
  field: 'segment',
  count: 3,
  rows: 10,
  accounts: 4,
  seconds: '1.2',
  dry: false,
  ok: 3,
  unchanged: 0,
  rejected: 1,
  errors: 2,
  scanned: 40,
  table: 'keyline-local',
  endpoint: '127.0.0.1:8000',
  region: 'eu-west-1',
  local: 'us-east-1',
  what: 'replay',
  replayed: 2,
  which: 'complaint-references',
};

const CJK = /[\u3400-\u9fff]/;

describe("the CLI's catalog", () => {
  it.each(Object.keys(CLI_MESSAGES) as CliKey[])('has %s in both languages', (key) => {
    const zh = say('zh-CN', key, PARAMS as never);
    const en = say('en', key, PARAMS as never);
    for (const text of [zh, en]) {
      expect(text.trim()).not.toBe('');
      expect(text).not.toMatch(/undefined|NaN|\[object Object\]/);
    }
    expect(CJK.test(zh)).toBe(true);
    expect(zh).not.toBe(en);
  });

  it.each(['migrate.progress', 'migrate.done', 'migrate.stopped'] as CliKey[])(
    'has %s for each migration, each saying its own',
    (key) => {
      for (const lang of ['zh-CN', 'en'] as const) {
        const texts = (['counts-index', 'complaint-references', 'event-keys'] as const).map((which) =>
          say(lang, key, { ...PARAMS, updated: 2, which } as never),
        );
        expect(new Set(texts).size).toBe(texts.length);
      }
    },
  );

  it('reads the language from --lang, else LC_ALL, LC_MESSAGES, LANG, else English', () => {
    expect(langArg(['import', '--lang', 'zh-CN'])).toBe('zh-CN');
    expect(langArg(['--lang=en'])).toBe('en');
    expect(langOfLocale('zh_CN.UTF-8')).toBe('zh-CN');
    expect(langOfLocale('fr')).toBeUndefined();
    expect(envLang({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(envLang({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(envLang({ LC_ALL: '', LC_MESSAGES: 'zh_TW', LANG: 'C' })).toBe('zh-CN');
    expect(envLang({ LANG: 'C.UTF-8' })).toBe('en');
    expect(envLang({})).toBe('en');
  });
});

describe('why an import or a migration stopped, from an SDK error', () => {
  it('adds what to do in the reader’s language to the SDK’s English, by the error’s name', async () => {
    const { whyStopped } = await import('#local/cli-target.ts');
    const sdk = (name: string, message: string) => Object.assign(new Error(message), { name });
    const denied = sdk(
      'AccessDeniedException',
      'User: arn:aws:iam::123:user/ops is not authorized to perform: dynamodb:TransactWriteItems.',
    );
    expect(whyStopped(denied, 'keyline-prod', 'zh-CN')).toBe(
      'User: arn:aws:iam::123:user/ops is not authorized to perform: dynamodb:TransactWriteItems. 这些凭证无权写入此表：请换用有 DynamoDB 写权限的 AWS_PROFILE，或检查 --table。',
    );
    expect(
      whyStopped(
        sdk('ExpiredTokenException', 'The security token included in the request is expired'),
        't',
        'en',
      ),
    ).toMatch(/expired\. AWS does not accept these credentials \(wrong or expired\): sign in again/);
    expect(
      whyStopped(sdk('ProvisionedThroughputExceededException', 'Throughput exceeds'), 't', 'zh-CN'),
    ).toContain('DynamoDB 限流');
    expect(
      whyStopped(sdk('ResourceNotFoundException', 'Requested resource not found'), 'keyline-x', 'zh-CN'),
    ).toBe('此端点没有表 "keyline-x"：请检查 --table（npm start 会打印其表名）。');
    // An error nobody wrote advice for is shown as it is.
    expect(
      whyStopped(sdk('ValidationException', 'Item size has exceeded the maximum allowed size'), 't', 'zh-CN'),
    ).toBe('Item size has exceeded the maximum allowed size.');
  });
});
