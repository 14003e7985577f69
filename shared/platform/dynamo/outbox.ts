import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent, EventPublisher } from '../events.ts';
import { pool } from '../pool.ts';
import type { DocumentClient } from './client.ts';
import { queryDue } from './due-index.ts';
import { ENTITY, keys } from './keys.ts';
import type { Named } from './transact.ts';

export const OUTBOX_ENTITY = 'Outbox';

/**
 * The transactional outbox. A domain event is written in the same transaction as the state
 * change that caused it, so it exists exactly when the change happened; it is published
 * afterwards (in AWS from the table's stream, and by the scheduled sweeper for what the stream
 * gave up on; locally by the same drain) and removed only once the publish succeeded. An item
 * already removed is not published again, so a stream batch retried from an earlier record that
 * failed republishes nothing. Only a crash between the publish and the removal, or the stream and
 * the sweeper reading one entry at the same moment, publishes twice: subscribers are idempotent.
 */
export function outboxPut(tableName: string, id: string, event: DomainEvent, now: Date): Named {
  return {
    name: 'outbox',
    Put: {
      TableName: tableName,
      Item: {
        ...keys.outbox.item(id),
        ...keys.due.outbox(id, now.toISOString()),
        [ENTITY]: OUTBOX_ENTITY,
        id,
        eventType: event.type,
        subject: event.subject,
        payload: event.payload,
        attributes: event.attributes,
        createdAt: now.toISOString(),
      },
    },
  };
}

/** Whether an item (a stream record's new image, unmarshalled) is an outbox entry. */
export const isOutboxItem = (item: Record<string, unknown> | undefined) => item?.[ENTITY] === OUTBOX_ENTITY;

/**
 * Publishes one outbox item if it is still there, then removes it (a failed publish leaves it for
 * the next try). Answers whether it published.
 */
export async function publishOutboxItem(
  db: DocumentClient,
  tableName: string,
  publisher: EventPublisher,
  item: Record<string, unknown>,
): Promise<boolean> {
  const key = { pk: item.pk, sk: item.sk };
  const still = await db.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true, ProjectionExpression: 'pk' }),
  );
  // Published and removed already: the stream delivered this record again.
  if (!still.Item) return false;
  await publisher.publish({
    type: String(item.eventType),
    subject: String(item.subject ?? item.eventType),
    payload: (item.payload ?? {}) as Record<string, unknown>,
    attributes: (item.attributes ?? {}) as Record<string, string | number>,
  });
  await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
  return true;
}

/**
 * How a drain works the outbox: entries created `minAgeMs` ago or earlier (in AWS the stream's
 * normal path has had its turn by then), each tried at most `maxAttempts` times across runs.
 */
export interface OutboxDrain {
  /** The drain's clock (default: now). */
  now?: Date;
  /** Only entries at least this old (default 0: every waiting entry; the local stack's drain). */
  minAgeMs?: number;
  /** Attempts per entry before it is dead-lettered (default OUTBOX_SWEEP.maxAttempts). */
  maxAttempts?: number;
  /** Entries read per due shard in one run (default 100). */
  limitPerShard?: number;
  /** Entries worked at once (default 4). */
  concurrency?: number;
  /** Told of each entry given up after its last attempt (a metric, an alarm, a log line). */
  onDeadLetter?: (entry: OutboxDeadLetter) => void;
}

export interface OutboxDeadLetter {
  id: string;
  eventType: string;
  subject: string;
  createdAt: string;
  attempts: number;
}

/** What one drain did: entries read, published, found gone (published already), failed, dead-lettered. */
export interface OutboxDrainRun {
  read: number;
  published: number;
  already: number;
  failed: number;
  deadLettered: number;
}

/**
 * The deployed sweeper's settings: every 5 minutes it takes entries 10 minutes old or older (the
 * stream publishes within seconds, and its retries are spent by then in an outage) and tries each
 * 5 times, then dead-letters it.
 */
export const OUTBOX_SWEEP = { everyMinutes: 5, minAgeMs: 10 * 60_000, maxAttempts: 5 } as const;

/**
 * Publishes the waiting outbox entries, oldest first, through `publishOutboxItem` (published only
 * while the entry is still in the table, then removed). The one drain of the outbox: the deployed
 * sweeper (functions/outbox-sweeper) runs it for the entries the stream gave up on, the local
 * stack for all of them. Each attempt is counted on the entry before it is made (so a run that
 * dies mid-publish counts too); an entry whose attempts are spent leaves the due index for the
 * outbox's dead-letter partition (`keys.outbox.deadLetterPartition`, on gsi2), where it stays,
 * and `onDeadLetter` is told. Nothing is thrown for one entry's failure: it is retried next run.
 */
export async function drainOutbox(
  db: DocumentClient,
  tableName: string,
  publisher: EventPublisher,
  o: OutboxDrain = {},
): Promise<OutboxDrainRun> {
  const now = o.now ?? new Date();
  const maxAttempts = o.maxAttempts ?? OUTBOX_SWEEP.maxAttempts;
  const { items } = await queryDue(db, tableName, 'OUTBOX', {
    now: new Date(now.getTime() - (o.minAgeMs ?? 0)),
    limitPerShard: o.limitPerShard ?? 100,
  });
  const run: OutboxDrainRun = { read: items.length, published: 0, already: 0, failed: 0, deadLettered: 0 };
  await pool(items, o.concurrency ?? 4, async (item) => {
    try {
      const attempt = await countAttempt(db, tableName, item, maxAttempts, now);
      if (attempt.kind === 'gone') {
        run.already++;
      } else if (attempt.kind === 'spent') {
        if (await deadLetter(db, tableName, item, now)) {
          run.deadLettered++;
          o.onDeadLetter?.({
            id: String(item.id),
            eventType: String(item.eventType),
            subject: String(item.subject ?? item.eventType),
            createdAt: String(item.createdAt),
            attempts: attempt.attempts,
          });
        } else run.already++;
      } else if (await publishOutboxItem(db, tableName, publisher, item)) {
        run.published++;
      } else run.already++;
    } catch {
      // Left in the index with its attempt counted: the next run tries it again.
      run.failed++;
    }
  });
  return run;
}

/**
 * Counts one attempt on the entry, while it is still there and has attempts left. Answers `gone`
 * (published and removed meanwhile), `spent` (its attempts were used up) or `counted`.
 */
async function countAttempt(
  db: DocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  maxAttempts: number,
  now: Date,
): Promise<{ kind: 'gone' | 'counted' } | { kind: 'spent'; attempts: number }> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'ADD attempts :one SET lastAttemptAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(attempts) OR attempts < :max)',
        ExpressionAttributeValues: { ':one': 1, ':now': now.toISOString(), ':max': maxAttempts },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'counted' };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    return err.Item
      ? { kind: 'spent', attempts: Number(err.Item.attempts?.N ?? maxAttempts) }
      : { kind: 'gone' };
  }
}

/** Moves a spent entry out of the due index to the dead-letter partition; false if it is gone. */
async function deadLetter(db: DocumentClient, tableName: string, item: Record<string, unknown>, now: Date) {
  const id = String(item.id);
  const dead = keys.outbox.deadLetter(id, now.toISOString());
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET gsi2pk = :pk, gsi2sk = :sk, deadLetteredAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':pk': dead.gsi2pk, ':sk': dead.gsi2sk, ':now': now.toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}
