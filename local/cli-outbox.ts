import {
  listOutboxDeadLetters,
  type OutboxDeadLetterEntry,
  replayOutboxDeadLetter,
} from '#shared/platform/dynamo/outbox-dead-letters.ts';
import { type Lang, say } from './cli-messages.ts';
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
export async function outboxCommand(
  what: string | undefined,
  ids: string[],
  values: OutboxOptions,
  lang: Lang = 'en',
) {
  if (what === 'dead-letters') {
    if (ids.length > 0 || values.all) {
      console.error(say(lang, 'outbox.dead-letters-args'));
      return 2;
    }
  } else if (what === 'replay') {
    if ((ids.length === 0 && !values.all) || (ids.length > 0 && values.all)) {
      console.error(say(lang, 'outbox.replay-which'));
      return 2;
    }
  } else {
    console.error(say(lang, 'outbox.unknown', { what: what ?? '' }));
    return 2;
  }
  const target = connect(values, lang);
  if (!target) return 2;
  const { db, table } = target;
  try {
    if (what === 'dead-letters') {
      const dead = await listOutboxDeadLetters(db, table);
      if (dead.length === 0) console.log(say(lang, 'outbox.none', { table }));
      else {
        console.log(say(lang, 'outbox.listed', { table, count: dead.length }));
        printTable(dead, lang);
      }
      return 0;
    }
    const wanted = values.all ? (await listOutboxDeadLetters(db, table)).map((d) => d.id) : ids;
    if (values['dry-run']) {
      console.log(say(lang, 'outbox.would-replay', { table, count: wanted.length }));
      for (const id of wanted) console.log(`  ${id}`);
      return 0;
    }
    let replayed = 0;
    for (const id of wanted) {
      const r = await replayOutboxDeadLetter(db, table, id);
      if (r === 'replayed') replayed++;
      else console.error(`${id}: ${say(lang, REPLAY_REFUSALS[r])}`);
    }
    console.log(say(lang, 'outbox.replayed', { table, replayed, count: wanted.length }));
    return replayed === wanted.length ? 0 : 1;
  } catch (err) {
    console.error(say(lang, 'outbox.stopped', { what: String(what), why: whyStopped(err, table, lang) }));
    return 2;
  } finally {
    db.destroy();
  }
}

const REPLAY_REFUSALS = {
  missing: 'outbox.missing',
  'not-dead-lettered': 'outbox.not-dead-lettered',
} as const;

/** The dead letters as a plain table an operator reads in a terminal. */
function printTable(dead: OutboxDeadLetterEntry[], lang: Lang) {
  const rows = [
    say(lang, 'outbox.columns').split('\t'),
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
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? ''))));
  const pad = (cell: string, w: number) => cell + ' '.repeat(Math.max(0, w - width(cell)));
  for (const r of rows)
    console.log(
      `  ${r.map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c] ?? 0))).join('  ')}`,
    );
}

/** How many columns a text takes in a terminal: a Chinese character takes two. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}
