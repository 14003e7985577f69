import { backfillCountsIndex } from '#shared/accounts/counts-migration.ts';
import type { Values } from './cli.ts';
import { type Lang, say } from './cli-messages.ts';
import { connect, whyStopped } from './cli-target.ts';

/** `keyline migrate counts-index`: the counts index's keys on the counter items from before it. */
export async function migrate(values: Values, concurrency: number, lang: Lang): Promise<number> {
  const target = connect(values, lang);
  if (!target) return 2;
  const { db, table } = target;
  const started = performance.now();
  const showProgress = process.stderr.isTTY;
  const dry = values['dry-run'];
  let updated = 0;
  try {
    const r = await backfillCountsIndex(
      db,
      table,
      (p) => {
        updated = p.updated;
        if (showProgress)
          process.stderr.write(
            `\r${say(lang, 'migrate.progress', { scanned: p.scanned, updated: p.updated, dry })}`,
          );
      },
      { dryRun: dry, concurrency },
    );
    if (showProgress) process.stderr.write('\n');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(say(lang, 'migrate.done', { table, scanned: r.scanned, seconds, updated: r.updated, dry }));
    return 0;
  } catch (err) {
    if (showProgress) process.stderr.write('\n');
    console.error(say(lang, 'migrate.stopped', { why: whyStopped(err, table, lang), updated, dry }));
    return 2;
  } finally {
    db.destroy();
  }
}
