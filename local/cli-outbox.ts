import {
  listOutboxDeadLetters,
  type OutboxDeadLetterEntry,
  replayOutboxDeadLetter,
} from '#shared/platform/dynamo/outbox-dead-letters.ts';
import { connect, type TargetOptions, whyStopped } from './cli-target.ts';

export interface OutboxOptions extends TargetOptions {
  all?: boolean;
  'dry-run'?: boolean;
}

/**
 * `keyline outbox dead-letters` lists the outbox entries the sweeper gave up on (oldest first);
 * `keyline outbox replay ID… | --all` puts them back in the due index, so the next drain
 * publishes them. Answers the exit code: 0 done, 1 some ids not replayed, 2 usage or DynamoDB error.
 */
export async function outboxCommand(what: string | undefined, ids: string[], values: OutboxOptions) {
  if (what === 'dead-letters') {
    if (ids.length > 0 || values.all) {
      console.error('outbox dead-letters takes no ids and no --all. Run "keyline --help" for usage.');
      return 2;
    }
  } else if (what === 'replay') {
    if ((ids.length === 0 && !values.all) || (ids.length > 0 && values.all)) {
      console.error(
        'Which entries? Usage: keyline outbox replay ID… (ids from "keyline outbox dead-letters"), or --all.',
      );
      return 2;
    }
  } else {
    console.error(`Unknown command "outbox ${what ?? ''}". Run "keyline --help" for usage.`);
    return 2;
  }
  const target = connect(values);
  if (!target) return 2;
  const { db, table } = target;
  try {
    if (what === 'dead-letters') {
      const dead = await listOutboxDeadLetters(db, table);
      if (dead.length === 0) console.log(`${table}: no outbox entries are dead-lettered.`);
      else {
        console.log(
          `${table}: ${dead.length} outbox entr${dead.length === 1 ? 'y' : 'ies'} dead-lettered, oldest first`,
        );
        printTable(dead);
      }
      return 0;
    }
    const wanted = values.all ? (await listOutboxDeadLetters(db, table)).map((d) => d.id) : ids;
    if (values['dry-run']) {
      console.log(
        `${table}: would replay ${wanted.length} entr${wanted.length === 1 ? 'y' : 'ies'} (dry run: nothing written)`,
      );
      for (const id of wanted) console.log(`  ${id}`);
      return 0;
    }
    let replayed = 0;
    for (const id of wanted) {
      const r = await replayOutboxDeadLetter(db, table, id);
      if (r === 'replayed') replayed++;
      else console.error(`${id}: ${REPLAY_REFUSALS[r]}`);
    }
    console.log(
      `${table}: replayed ${replayed} of ${wanted.length} entr${wanted.length === 1 ? 'y' : 'ies'}` +
        (replayed > 0
          ? '; the outbox sweeper publishes them on its next run (every 5 minutes; npm start within seconds).'
          : '.'),
    );
    return replayed === wanted.length ? 0 : 1;
  } catch (err) {
    console.error(`outbox ${what} stopped: ${whyStopped(err, table)}`);
    return 2;
  } finally {
    db.destroy();
  }
}

const REPLAY_REFUSALS = {
  missing: 'no such outbox entry (published already, or a wrong id): nothing to replay',
  'not-dead-lettered': 'not dead-lettered: it is waiting in the due index, and the sweeper will publish it',
} as const;

/** The dead letters as a plain table an operator reads in a terminal. */
function printTable(dead: OutboxDeadLetterEntry[]) {
  const rows = [
    ['dead-lettered at', 'created at', 'attempts', 'replays', 'event', 'id', 'subject'],
    ...dead.map((d) => [
      d.deadLetteredAt,
      d.createdAt,
      String(d.attempts),
      String(d.replays),
      d.eventType,
      d.id,
      d.subject,
    ]),
  ];
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows)
    console.log(
      `  ${r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')}`,
    );
}
