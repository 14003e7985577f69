/**
 * `keyline --help` in both languages: part of the CLI's catalog (cli-messages.ts). The Chinese is
 * the English's full translation; option names, columns and commands stay as they are typed.
 */
import { msg } from '#shared/platform/messages/message.ts';

export const HELP = msg<{ header: string }>(
  (p) => `用法：keyline <命令> [选项]

命令：
  import accounts <文件>   从 CSV 或 JSON 文件导入重点客户及其联系人。
  migrate counts-index     对计数索引（gsi3）之前创建的表执行一次：为客户的计数项补上该索引的键，
                           使来电弹屏和客户卡片能统计它们。可重复运行，可在业务运行时执行。
  migrate complaint-references
                           对投诉编号记录之前创建的表执行一次：为当时已解决或已关闭的投诉补写编号记录，
                           使客服能按来电人报出的投诉编号查到它们。可重复运行，可在业务运行时执行。
  migrate event-keys       跟踪事件改为只按事件编号去重之后执行，部署前一次、部署后立即再一次：把旧键
                           （EVENT#<时间>#<事件编号>）下的跟踪事件复制到新键下，使其重复投递被识别为
                           重复而不会再次应用。旧项保留。可重复运行，可在业务运行时执行。
  migrate lookup-zones     对电话查找项记录时区之前创建的表执行一次：为其补上联系人的时区，使 IVR
                           按联系人提醒所用的时区报出预计送达时间。可重复运行，可在业务运行时执行。
  outbox dead-letters      列出清扫程序在最后一次尝试后放弃的发件箱条目（延误通知），最早的在前。
  outbox replay <ID…>      把这些条目放回发件箱（--all：列出的全部）；清扫程序在下一次运行时
                           （5 分钟内）发布它们。

选项（所有命令）：
  --table <名称>           DynamoDB 表（默认：$TABLE_NAME，或 keyline-local）
  --endpoint <网址>        DynamoDB 端点，例如 npm start 打印的 DynamoDB Local 网址
                           （默认：SDK 自身的设置，AWS_ENDPOINT_URL_DYNAMODB 或 AWS）。
                           本机回环端点（DynamoDB Local）无需区域和凭证。
  --region <区域>          AWS 区域（默认：$AWS_REGION；连接 AWS 时必填）
  --concurrency <n>        同时进行的 DynamoDB 请求数（默认 8）
  --dry-run                不写入任何内容：import 校验每一行；migrate 统计将更新的项；
                           outbox replay 列出将重放的条目
  --lang <zh-CN|en>        输出语言（默认：环境变量 LC_ALL、LC_MESSAGES、LANG，zh… 为中文；否则英文）
  -h, --help               显示本帮助

导入选项：
  --format <csv|json>      文件格式（默认：按文件扩展名）

CSV 格式：每位联系人一行，同一客户的行放在一起；客户列在其后续行中重复或留空（某客户的行出现在
其他客户的行之后会被拒绝）。列表（regions、tags、contact_phones）用“;”分隔。各列：
  ${p.header}
JSON 格式：客户对象的数组，每个对象有 "id" 和 "contacts" 数组，与 PUT /accounts/{id} 相同。

每一行都会校验。有问题的行会报告其行号、字段和原因，该客户的任何内容都不会写入。
重复导入同一文件不会改变任何内容。
退出码：0 所有行已导入；1 部分行被拒绝；2 用法或文件错误，或导入无法连接 DynamoDB。

示例（npm start 运行时）：
  npx keyline import accounts docs/examples/accounts.csv --endpoint http://127.0.0.1:<dynamodb 端口>`,
  (p) => `Usage: keyline <command> [options]

Commands:
  import accounts <FILE>   Import key accounts with their contacts from CSV or JSON.
  migrate counts-index     Once, on a table created before the counts index (gsi3): give the
                           accounts' counter items that index's keys, so the screen pop and the
                           card count them. Safe to re-run and beside live traffic.
  migrate complaint-references
                           Once, on a table from before complaints' reference items: give each
                           complaint resolved or closed before then the item that finds it by the
                           reference the caller quotes. Safe to re-run and beside live traffic.
  migrate event-keys       Once before the deploy that keys tracking events by their event id
                           alone and once right after it: copy the events stored under the old
                           key (EVENT#<at>#<eventId>) under the new one, so that a redelivery of
                           one is a duplicate, not applied again. The old items stay. Safe to
                           re-run and beside live traffic.
  migrate lookup-zones     Once, on a table from before phone lookups kept their contact's zone:
                           give each its zone, so the IVR gives an owner's ETA in the zone of
                           their alerts. Safe to re-run and beside live traffic.
  outbox dead-letters      List the outbox entries (delay announcements) the sweeper gave up on
                           after its last attempt, oldest first.
  outbox replay <ID…>      Put those entries back in the outbox (--all: every one listed); the
                           sweeper publishes them on its next run, within 5 minutes.

Options (every command):
  --table <name>           DynamoDB table (default: $TABLE_NAME, or keyline-local)
  --endpoint <url>         DynamoDB endpoint, e.g. the DynamoDB Local URL npm start prints
                           (default: the SDK's own settings, AWS_ENDPOINT_URL_DYNAMODB or AWS).
                           A loopback endpoint (DynamoDB Local) needs no region or credentials.
  --region <region>        AWS region (default: $AWS_REGION; required for AWS)
  --concurrency <n>        DynamoDB requests in flight (default 8)
  --dry-run                Write nothing: import validates every row; migrate counts the
                           items it would update; outbox replay lists what it would replay
  --lang <zh-CN|en>        Language of the output (default: from LC_ALL, LC_MESSAGES or LANG,
                           zh… is Chinese; else English)
  -h, --help               Show this help

Import options:
  --format <csv|json>      File format (default: from the file extension)

CSV layout: one row per contact, an account's rows together; the account columns repeat or
stay blank on its later rows (an account given again after another account's rows is rejected). Lists (regions, tags, contact_phones) are separated by ";". Columns:
  ${p.header}
JSON layout: an array of account objects, each with an "id" and a "contacts" array, as in
PUT /accounts/{id}.

Every row is validated. A bad row is reported with its row number, field and reason, and
nothing of that account is written. Re-importing the same file changes nothing.
Exit codes: 0 all rows imported; 1 some rows rejected; 2 usage or file error, or the import
could not reach DynamoDB.

Example (while npm start runs):
  npx keyline import accounts docs/examples/accounts.csv --endpoint http://127.0.0.1:<dynamodb port>`,
);
