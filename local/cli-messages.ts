/**
 * The operator CLI's catalog: every text `keyline` prints, in zh-CN and en (help: cli-help.ts).
 * Code asks by key (`say(lang, key, params)`); a test checks that every key renders in both.
 * The language: --lang, else LC_ALL / LC_MESSAGES / LANG (`zh…` is Chinese), else English.
 */
import type { Lang } from '#shared/platform/messages/labels.ts';
import { msg } from '#shared/platform/messages/message.ts';
import { HELP } from './cli-help.ts';
import type { MigrationName } from './cli-migrate.ts';

export type { Lang };

const rowOf = (p: { row: number; accountId?: string }, zh: boolean) =>
  zh
    ? `第 ${p.row} 行${p.accountId ? `（${p.accountId}）` : ''}`
    : `row ${p.row}${p.accountId ? ` (${p.accountId})` : ''}`;
const s = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const entries = (n: number) => `entr${n === 1 ? 'y' : 'ies'}`;

/** Node's parseArgs errors, in Chinese (the English is Node's own message). */
const PARSE_ERRORS_ZH: Record<string, (option: string) => string> = {
  ERR_PARSE_ARGS_UNKNOWN_OPTION: (o) => `未知选项 ${o}`,
  ERR_PARSE_ARGS_INVALID_OPTION_VALUE: (o) => `选项 ${o} 的值不正确（缺少值，或不接受值）`,
  ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL: (o) => `多余的参数 ${o}`,
};

interface Migrated {
  progress: (n: number, dry: boolean) => string;
  done: (n: number, dry: boolean) => string;
  before: (n: number) => string;
}
/** What each migration (cli-migrate.ts) does to an item, in both languages. */
const MIGRATED: Record<MigrationName, { zh: Migrated; en: Migrated }> = {
  'counts-index': {
    zh: {
      progress: (n, dry) => `${dry ? '待索引' : '已索引'} ${n} 个计数项`,
      done: (n, dry) => `${n} 个计数项${dry ? '将' : '已'}获得计数索引的键`,
      before: (n) => `已为 ${n} 个计数项建立索引`,
    },
    en: {
      progress: (n, dry) => `${dry ? 'to index' : 'indexed'} ${n} counter items`,
      done: (n, dry) => `${n} counter item(s) ${dry ? 'would be given' : 'given'} the counts index's keys`,
      before: (n) => `${n} counter item(s) were indexed`,
    },
  },
  'complaint-references': {
    zh: {
      progress: (n, dry) => `${dry ? '待补写' : '已补写'} ${n} 条投诉编号记录`,
      done: (n, dry) =>
        `${n} 个已解决或已关闭的投诉${dry ? '将' : '已'}获得编号记录（可按来电人报出的投诉编号查到）`,
      before: (n) => `已为 ${n} 个投诉补写编号记录`,
    },
    en: {
      progress: (n, dry) => `${dry ? 'to give' : 'gave'} ${n} complaints their reference item`,
      done: (n, dry) =>
        `${n} resolved or closed complaint(s) ${dry ? 'would be given' : 'given'} their reference item (found by the reference the caller quotes)`,
      before: (n) => `${n} complaint(s) were given their reference item`,
    },
  },
  'event-keys': {
    zh: {
      progress: (n, dry) => `${dry ? '待复制' : '已复制'} ${n} 个跟踪事件`,
      done: (n, dry) =>
        `${n} 个旧键下的跟踪事件${dry ? '将' : '已'}复制到按事件编号的新键下（重复投递将被识别为重复）`,
      before: (n) => `已复制 ${n} 个跟踪事件到新键下`,
    },
    en: {
      progress: (n, dry) => `${dry ? 'to copy' : 'copied'} ${n} tracking events`,
      done: (n, dry) =>
        `${n} tracking event(s) under the old key ${dry ? 'would be copied' : 'copied'} under their event id's key (a redelivery is then a duplicate)`,
      before: (n) => `${n} tracking event(s) were copied under the new key`,
    },
  },
  'lookup-zones': {
    zh: {
      progress: (n, dry) => `${dry ? '待补写' : '已补写'} ${n} 个电话查找项的时区`,
      done: (n, dry) =>
        `${n} 个电话查找项${dry ? '将' : '已'}获得联系人的时区（IVR 按其提醒所用的时区报出预计送达时间）`,
      before: (n) => `已为 ${n} 个电话查找项补写时区`,
    },
    en: {
      progress: (n, dry) => `${dry ? 'to give' : 'gave'} ${n} phone lookups their zone`,
      done: (n, dry) =>
        `${n} phone lookup(s) ${dry ? 'would be given' : 'given'} their contact's zone (the IVR gives the ETA in their alerts' zone)`,
      before: (n) => `${n} phone lookup(s) were given their zone`,
    },
  },
};

export const CLI_MESSAGES = {
  help: HELP,
  'usage.bad-args': msg<{ detail: string; code: string; option: string }>(
    (p) => `${PARSE_ERRORS_ZH[p.code]?.(p.option) ?? p.detail}\n\n运行 "keyline --help" 查看用法。`,
    (p) => `${p.detail}\n\nRun "keyline --help" for usage.`,
  ),
  'usage.lang': msg<{ value: string }>(
    (p) => `--lang 应为 zh-CN 或 en，收到 "${p.value}"`,
    (p) => `--lang must be zh-CN or en, got "${p.value}"`,
  ),
  'usage.concurrency': msg(
    () => '--concurrency 应为 1 到 64 的整数',
    () => '--concurrency must be a whole number from 1 to 64',
  ),
  'usage.format-migrate': msg<{ which: string }>(
    (p) => `--format 是导入选项；migrate ${p.which} 不读取文件。`,
    (p) => `--format is an import option; migrate ${p.which} reads no file.`,
  ),
  'usage.format-outbox': msg(
    () => '--format 是导入选项；outbox 命令不读取文件。',
    () => '--format is an import option; the outbox commands read no file.',
  ),
  'usage.all-outbox': msg(
    () => '--all 是 outbox replay 的选项。',
    () => '--all is an option of outbox replay.',
  ),
  'usage.which-file': msg(
    () => '哪个文件？用法：keyline import accounts 文件 [选项]。运行 "keyline --help" 了解更多。',
    () => 'Which file? Usage: keyline import accounts FILE [options]. Run "keyline --help" for more.',
  ),
  'usage.unknown-command': msg<{ command: string }>(
    (p) => `未知命令 "${p.command}"。运行 "keyline --help" 查看用法。`,
    (p) => `Unknown command "${p.command}". Run "keyline --help" for usage.`,
  ),
  'usage.format-value': msg<{ format: string }>(
    (p) => `--format 应为 csv 或 json，收到 "${p.format}"`,
    (p) => `--format must be csv or json, got "${p.format}"`,
  ),
  'file.workbook': msg<{ file: string }>(
    (p) => `${p.file} 不是 CSV 或 JSON 文本文件（是 Excel 工作簿吗？）。请另存为“CSV UTF-8”后再导入。`,
    (p) =>
      `${p.file} is not a CSV or JSON text file (an Excel workbook?). Save it as "CSV UTF-8" and import that.`,
  ),
  'file.not-utf8': msg<{ file: string }>(
    (p) =>
      `${p.file} 不是 UTF-8 文本（是 GBK 吗？中文版 Windows 上 Excel 的“CSV (逗号分隔)”即是 GBK）。请另存为“CSV UTF-8”后再导入。未写入任何内容。`,
    (p) =>
      `${p.file} is not UTF-8 text (GBK, as Excel's "CSV (逗号分隔)" saves on Chinese Windows?). Save it as "CSV UTF-8" and import that. Nothing was written.`,
  ),
  'file.cannot-read': msg<{ file: string; reason: string }>(
    (p) => `无法读取 ${p.file}：${p.reason}`,
    (p) => `Cannot read ${p.file}: ${p.reason}`,
  ),
  'file.ENOENT': msg(
    () => '没有这个文件',
    () => 'there is no such file',
  ),
  'file.EACCES': msg(
    () => '没有权限',
    () => 'permission denied',
  ),
  'file.EISDIR': msg(
    () => '这是文件夹，不是文件',
    () => 'it is a folder, not a file',
  ),
  'file.not-accounts': msg<{ file: string; format: string; reason: string }>(
    (p) => `${p.file} 不是客户 ${p.format} 文件：${p.reason}。未写入任何内容。`,
    (p) => `${p.file} is not an accounts ${p.format} file: ${p.reason}. Nothing was written.`,
  ),
  'import.bar': msg(
    () => '导入中 |{bar}| {percentage}% · {value}/{total} 行 · 剩余 {eta_formatted}',
    () => 'Importing |{bar}| {percentage}% · {value}/{total} rows · {eta_formatted} left',
  ),
  'import.stopped': msg<{ why: string; created: number; updated: number }>(
    (p) =>
      `导入已中止：${p.why}\n` +
      (p.created + p.updated > 0
        ? `中止前已写入 ${p.created + p.updated} 个客户（新建 ${p.created}，更新 ${p.updated}）；重新运行同一文件即可完成：未改变的客户会被跳过。`
        : '未写入任何内容。'),
    (p) =>
      `Import stopped: ${p.why}\n` +
      (p.created + p.updated > 0
        ? `${p.created + p.updated} account(s) were written before it stopped (created ${p.created}, updated ${p.updated}); re-run the same file to finish: unchanged accounts are skipped.`
        : 'Nothing was written.'),
  ),
  'import.row': msg<{ row: number; accountId?: string; field: string; reason: string }>(
    (p) => `${rowOf(p, true)}：${p.field}：${p.reason}`,
    (p) => `${rowOf(p, false)}: ${p.field}: ${p.reason}`,
  ),
  'import.more-errors': msg<{ count: number }>(
    (p) => `……另有 ${p.count} 个错误`,
    (p) => `… and ${p.count} more errors`,
  ),
  'import.summary': msg<{ file: string; rows: number; accounts: number; seconds: string; dry: boolean }>(
    (p) =>
      `${p.file}：${p.rows} 行，${p.accounts} 个客户，用时 ${p.seconds} 秒${p.dry ? '（试运行：未写入任何内容）' : ''}`,
    (p) =>
      `${p.file}: ${s(p.rows, 'row', 'rows')}, ${s(p.accounts, 'account', 'accounts')} in ${p.seconds} s${p.dry ? ' (dry run: nothing written)' : ''}`,
  ),
  'import.valid': msg<{ ok: number; created: number; updated: number; unchanged: number }>(
    (p) => `  有效 ${p.ok} 个客户：将新建 ${p.created} · 更新 ${p.updated} · ${p.unchanged} 个不变`,
    (p) =>
      `  valid ${p.ok} account(s): would create ${p.created} · update ${p.updated} · leave ${p.unchanged} unchanged`,
  ),
  'import.accepted': msg<{ ok: number; created: number; updated: number; unchanged: number }>(
    (p) => `  接受 ${p.ok} 个客户：新建 ${p.created} · 更新 ${p.updated} · 未改变 ${p.unchanged}（不再写入）`,
    (p) =>
      `  accepted ${p.ok} account(s): created ${p.created} · updated ${p.updated} · unchanged ${p.unchanged} (not written again)`,
  ),
  'import.rejected': msg<{ rejected: number; errors: number }>(
    (p) => `  拒绝 ${p.rejected} 个客户 · ${p.errors} 个行错误`,
    (p) => `  rejected ${p.rejected} account(s) · ${p.errors} row error(s)`,
  ),
  'import.kept': msg<{ count: number }>(
    (p) => `  保留了文件遗漏或会撤销的 ${p.count} 项（导入从不取消“勿呼叫”，也从不删除联系人）：`,
    (p) =>
      `  kept ${p.count} thing(s) the file leaves out or would undo (an import never lifts a do-not-call nor drops a contact):`,
  ),
  'migrate.progress': msg<{ which: MigrationName; scanned: number; updated: number; dry: boolean }>(
    (p) => `已扫描 ${p.scanned} 项 · ${MIGRATED[p.which].zh.progress(p.updated, p.dry)}`,
    (p) => `Scanned ${p.scanned} items · ${MIGRATED[p.which].en.progress(p.updated, p.dry)}`,
  ),
  'migrate.done': msg<{
    which: MigrationName;
    table: string;
    scanned: number;
    seconds: string;
    updated: number;
    dry: boolean;
  }>(
    (p) =>
      `${p.table}：用时 ${p.seconds} 秒扫描 ${p.scanned} 项；${MIGRATED[p.which].zh.done(p.updated, p.dry)}` +
      (p.dry ? '（试运行：未写入任何内容）' : p.updated === 0 ? '（无需操作：表已是最新）' : ''),
    (p) =>
      `${p.table}: scanned ${p.scanned} items in ${p.seconds} s; ${MIGRATED[p.which].en.done(p.updated, p.dry)}` +
      (p.dry
        ? ' (dry run: nothing written)'
        : p.updated === 0
          ? ' (nothing to do: the table is up to date)'
          : ''),
  ),
  'migrate.stopped': msg<{ which: MigrationName; why: string; updated: number; dry: boolean }>(
    (p) =>
      `迁移已中止：${p.why}` +
      (p.updated > 0 && !p.dry
        ? ` 中止前${MIGRATED[p.which].zh.before(p.updated)}；重新运行即可完成：已完成的保持不变。`
        : ' 未改变任何内容。'),
    (p) =>
      `Migration stopped: ${p.why}` +
      (p.updated > 0 && !p.dry
        ? ` ${MIGRATED[p.which].en.before(p.updated)} before it stopped; re-run it to finish: what was done stays done.`
        : ' Nothing was changed.'),
  ),
  'target.endpoint': msg<{ endpoint: string }>(
    (p) => `--endpoint 应为带协议的网址，如 http://127.0.0.1:8000（收到 "${p.endpoint}"）。`,
    (p) => `--endpoint must be a URL with its scheme, such as http://127.0.0.1:8000 (got "${p.endpoint}").`,
  ),
  'target.no-region': msg(
    () =>
      '没有 AWS 区域：请传 --region（或设置 AWS_REGION），或用 --endpoint 指定 npm start 打印的 DynamoDB Local 网址。',
    () =>
      'No AWS region: pass --region (or set AWS_REGION), or --endpoint with the DynamoDB Local URL npm start prints.',
  ),
  'target.region-ignored': msg<{ region: string; local: string }>(
    (p) => `本机回环端点忽略 --region ${p.region}：DynamoDB Local 把 npm start 的表保存在 ${p.local} 下。`,
    (p) =>
      `--region ${p.region} is ignored for a loopback endpoint: DynamoDB Local keeps npm start's tables under ${p.local}.`,
  ),
  'stopped.no-table': msg<{ table: string }>(
    (p) => `此端点没有表 "${p.table}"：请检查 --table（npm start 会打印其表名）。`,
    (p) =>
      `there is no table "${p.table}" at this endpoint: check --table (npm start prints its table's name).`,
  ),
  'stopped.no-credentials': msg(
    () => ' 未找到 AWS 凭证：请设置 AWS_PROFILE，或用 --endpoint 连接 DynamoDB Local。',
    () => ' No AWS credentials were found: set AWS_PROFILE, or pass --endpoint for DynamoDB Local.',
  ),
  'stopped.no-answer': msg(
    () => ' 端点无应答：npm start（DynamoDB Local）是否在运行，端口是否正确？',
    () => ' Nothing answered at the endpoint: is npm start (DynamoDB Local) running, and is the port right?',
  ),
  'stopped.access-denied': msg(
    () => ' 这些凭证无权写入此表：请换用有 DynamoDB 写权限的 AWS_PROFILE，或检查 --table。',
    () =>
      ' These credentials may not write to this table: use an AWS_PROFILE allowed to write it, or check --table.',
  ),
  'stopped.bad-credentials': msg(
    () => ' AWS 不认可这些凭证（错误或已过期）：请重新登录（aws sso login）或检查 AWS_PROFILE。',
    () =>
      ' AWS does not accept these credentials (wrong or expired): sign in again (aws sso login) or check AWS_PROFILE.',
  ),
  'stopped.throttled': msg(
    () => ' DynamoDB 限流：请稍后重试，或用 --concurrency 调低并发（已写入的行会被识别为未变更）。',
    () =>
      ' DynamoDB throttled the writes: run it again later, or lower --concurrency (rows already written come back unchanged).',
  ),
  'outbox.dead-letters-args': msg(
    () => 'outbox dead-letters 不接受 ID，也不接受 --all。运行 "keyline --help" 查看用法。',
    () => 'outbox dead-letters takes no ids and no --all. Run "keyline --help" for usage.',
  ),
  'outbox.replay-which': msg(
    () => '哪些条目？用法：keyline outbox replay ID…（ID 来自 "keyline outbox dead-letters"），或 --all。',
    () =>
      'Which entries? Usage: keyline outbox replay ID… (ids from "keyline outbox dead-letters"), or --all.',
  ),
  'outbox.unknown': msg<{ what: string }>(
    (p) => `未知命令 "outbox ${p.what}"。运行 "keyline --help" 查看用法。`,
    (p) => `Unknown command "outbox ${p.what}". Run "keyline --help" for usage.`,
  ),
  'outbox.none': msg<{ table: string }>(
    (p) => `${p.table}：没有进入死信的发件箱条目。`,
    (p) => `${p.table}: no outbox entries are dead-lettered.`,
  ),
  'outbox.listed': msg<{ table: string; count: number }>(
    (p) => `${p.table}：${p.count} 个发件箱条目进入死信，最早的在前`,
    (p) => `${p.table}: ${p.count} outbox ${entries(p.count)} dead-lettered, oldest first`,
  ),
  /** The dead letters' table header, its cells separated by tabs. */
  'outbox.columns': msg(
    () => '进入死信时间\t创建时间\t尝试次数\t重放次数\t事件\tID\t对象',
    () => 'dead-lettered at\tcreated at\tattempts\treplays\tevent\tid\tsubject',
  ),
  'outbox.would-replay': msg<{ table: string; count: number }>(
    (p) => `${p.table}：将重放 ${p.count} 个条目（试运行：未写入任何内容）`,
    (p) => `${p.table}: would replay ${p.count} ${entries(p.count)} (dry run: nothing written)`,
  ),
  'outbox.missing': msg(
    () => '没有这个发件箱条目（已发布，或 ID 有误）：无需重放',
    () => 'no such outbox entry (published already, or a wrong id): nothing to replay',
  ),
  'outbox.not-dead-lettered': msg(
    () => '未进入死信：它正在到期索引中等待，清扫程序会发布它',
    () => 'not dead-lettered: it is waiting in the due index, and the sweeper will publish it',
  ),
  'outbox.replayed': msg<{ table: string; replayed: number; count: number }>(
    (p) =>
      `${p.table}：已重放 ${p.replayed} / ${p.count} 个条目` +
      (p.replayed > 0 ? '；发件箱清扫程序会在下一次运行时发布它们（每 5 分钟；npm start 下数秒内）。' : '。'),
    (p) =>
      `${p.table}: replayed ${p.replayed} of ${p.count} ${entries(p.count)}` +
      (p.replayed > 0
        ? '; the outbox sweeper publishes them on its next run (every 5 minutes; npm start within seconds).'
        : '.'),
  ),
  'outbox.stopped': msg<{ what: string; why: string }>(
    (p) => `outbox ${p.what} 已中止：${p.why}`,
    (p) => `outbox ${p.what} stopped: ${p.why}`,
  ),
};

export type CliKey = keyof typeof CLI_MESSAGES;
type ParamsOf<K extends CliKey> = Parameters<(typeof CLI_MESSAGES)[K]['en']>[0];

/** A CLI text in the chosen language. */
export function say<K extends CliKey>(
  lang: Lang,
  key: K,
  ...params: object extends ParamsOf<K> ? [ParamsOf<K>?] : [ParamsOf<K>]
): string {
  const render = CLI_MESSAGES[key][lang] as (p: unknown) => string;
  return render(params[0] ?? {});
}

/** A locale name (`zh_CN.UTF-8`, `zh-CN`, `en_US`) as one of ours; undefined when neither. */
export function langOfLocale(value: string | undefined): Lang | undefined {
  const v = value?.toLowerCase() ?? '';
  if (v.startsWith('zh')) return 'zh-CN';
  if (v.startsWith('en')) return 'en';
  return undefined;
}

/**
 * The language the environment asks for: the first of LC_ALL, LC_MESSAGES and LANG that is set
 * (as POSIX reads them), Chinese when it is `zh…`; English otherwise.
 */
export function envLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return locale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** --lang as the arguments give it (`--lang zh-CN`, `--lang=en`), read before they are parsed. */
export function langArg(argv: string[]): string | undefined {
  let found: string | undefined;
  argv.forEach((a, i) => {
    if (a === '--lang') found = argv[i + 1];
    else if (a.startsWith('--lang=')) found = a.slice('--lang='.length);
  });
  return found;
}
