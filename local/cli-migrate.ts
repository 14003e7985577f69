import { backfillCountsIndex } from '#shared/accounts/counts-migration.ts';
import { backfillLookupZones } from '#shared/accounts/lookup-zone-migration.ts';
import { backfillComplaintReferences } from '#shared/complaints/reference-migration.ts';
import type { DocumentClient } from '#shared/platform/dynamo/client.ts';
import type { MigrationOptions, MigrationProgress } from '#shared/platform/dynamo/migration.ts';
import { copyEventsToIdKeys } from '#shared/shipments/event-key-migration.ts';
import type { Values } from './cli.ts';
import { type Lang, say } from './cli-messages.ts';
import { connect, whyStopped } from './cli-target.ts';

/** The table's one-off migrations, by the name `keyline migrate <name>` takes. */
export const MIGRATIONS = {
  'counts-index': backfillCountsIndex,
  'complaint-references': backfillComplaintReferences,
  'event-keys': copyEventsToIdKeys,
  'lookup-zones': backfillLookupZones,
} satisfies Record<
  string,
  (
    db: DocumentClient,
    table: string,
    onPage: (p: MigrationProgress) => void,
    o: MigrationOptions,
  ) => Promise<MigrationProgress>
>;

export type MigrationName = keyof typeof MIGRATIONS;

export const isMigration = (name: string | undefined): name is MigrationName =>
  name !== undefined && Object.hasOwn(MIGRATIONS, name);

/**
 * `keyline migrate counts-index`: the counts index's keys on the counter items from before it.
 * `keyline migrate complaint-references`: the reference items of complaints resolved before them.
 * `keyline migrate event-keys`: tracking events stored before their key was the event id alone,
 * copied under that key.
 * `keyline migrate lookup-zones`: the contact's zone on the phone lookups written before they kept it.
 */
export async function migrate(
  which: MigrationName,
  values: Values,
  concurrency: number,
  lang: Lang,
): Promise<number> {
  const target = connect(values, lang);
  if (!target) return 2;
  const { db, table } = target;
  const started = performance.now();
  const showProgress = process.stderr.isTTY;
  const dry = values['dry-run'];
  let updated = 0;
  try {
    const r = await MIGRATIONS[which](
      db,
      table,
      (p) => {
        updated = p.updated;
        if (showProgress)
          process.stderr.write(
            `\r${say(lang, 'migrate.progress', { which, scanned: p.scanned, updated: p.updated, dry })}`,
          );
      },
      { dryRun: dry, concurrency },
    );
    if (showProgress) process.stderr.write('\n');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      say(lang, 'migrate.done', { which, table, scanned: r.scanned, seconds, updated: r.updated, dry }),
    );
    return 0;
  } catch (err) {
    if (showProgress) process.stderr.write('\n');
    console.error(say(lang, 'migrate.stopped', { which, why: whyStopped(err, table, lang), updated, dry }));
    return 2;
  } finally {
    db.destroy();
  }
}
