import { parseArgs } from 'node:util';
import { CSV_HEADER } from '#shared/accounts/import.ts';
import { importCommand } from './cli-import.ts';
import { envLang, type Lang, langArg, langOfLocale, say } from './cli-messages.ts';
import { isMigration, migrate } from './cli-migrate.ts';
import { outboxCommand } from './cli-outbox.ts';

export async function main(argv: string[]): Promise<number> {
  // The language first (--lang, else the environment's): even a usage error speaks it.
  const asked = langArg(argv);
  const lang: Lang = langOfLocale(asked) ?? envLang();
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const option = /'([^']+)'/.exec(e.message)?.[1] ?? '';
    console.error(say(lang, 'usage.bad-args', { detail: e.message, code: e.code ?? '', option }));
    return 2;
  }
  if (asked !== undefined && langOfLocale(asked) === undefined) {
    console.error(say(lang, 'usage.lang', { value: asked }));
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(say(lang, 'help', { header: CSV_HEADER.join(',') }));
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const [command, what, file] = positionals;
  const concurrency = Number(values.concurrency ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    console.error(say(lang, 'usage.concurrency'));
    return 2;
  }
  if (command === 'migrate' && isMigration(what) && positionals.length === 2) {
    if (values.format !== undefined) {
      console.error(say(lang, 'usage.format-migrate', { which: what }));
      return 2;
    }
    return migrate(what, values, concurrency, lang);
  }
  if (command === 'outbox') {
    if (values.format !== undefined) {
      console.error(say(lang, 'usage.format-outbox'));
      return 2;
    }
    return outboxCommand(what, positionals.slice(2), values, lang);
  }
  if (values.all) {
    console.error(say(lang, 'usage.all-outbox'));
    return 2;
  }
  if (command === 'import' && what === 'accounts' && !file) {
    console.error(say(lang, 'usage.which-file'));
    return 2;
  }
  if (command !== 'import' || what !== 'accounts' || !file || positionals.length > 3) {
    console.error(say(lang, 'usage.unknown-command', { command: positionals.join(' ') }));
    return 2;
  }
  return importCommand(file, values, concurrency, lang);
}

export type Values = ReturnType<typeof parse>['values'];

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
      lang: { type: 'string' },
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
