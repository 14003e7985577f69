import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from './client.ts';
import { keys } from './keys.ts';
import type { OutboxDeadLetter } from './outbox.ts';
import { queryAll } from './query.ts';

/** An outbox entry the drain gave up on, as an operator lists it. */
export interface OutboxDeadLetterEntry extends OutboxDeadLetter {
  deadLetteredAt: string;
  lastAttemptAt?: string;
  /** How many times an operator has replayed it before. */
  replays: number;
}

/** The outbox's dead letters, oldest first (one Query of their gsi2 partition). */
export async function listOutboxDeadLetters(
  db: DocumentClient,
  tableName: string,
): Promise<OutboxDeadLetterEntry[]> {
  const items = await queryAll(db, {
    TableName: tableName,
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.outbox.deadLetterPartition },
  });
  return items.map((i) => ({
    id: String(i.id),
    eventType: String(i.eventType),
    subject: String(i.subject ?? i.eventType),
    createdAt: String(i.createdAt),
    attempts: Number(i.attempts ?? 0),
    deadLetteredAt: String(i.deadLetteredAt),
    ...(i.lastAttemptAt ? { lastAttemptAt: String(i.lastAttemptAt) } : {}),
    replays: Number(i.replays ?? 0),
  }));
}

/**
 * What a replay did: `replayed` (back in the due index with its attempts reset, so the next drain
 * publishes it), `missing` (no such entry: published or never there) or `not-dead-lettered` (it is
 * still waiting in the due index: the drain has it already).
 */
export type OutboxReplay = 'replayed' | 'missing' | 'not-dead-lettered';

/**
 * Puts a dead-lettered outbox entry back in the due index under its original due keys, its
 * attempts reset and the replay counted, so the next drain (the deployed sweeper within 5
 * minutes; the local stack within seconds) publishes it through the one `drainOutbox`, published
 * only while it is still there, then removed. Conditional on the entry still being a dead letter,
 * so two operators replaying at once replay it once.
 */
export async function replayOutboxDeadLetter(
  db: DocumentClient,
  tableName: string,
  id: string,
  now: Date = new Date(),
): Promise<OutboxReplay> {
  const key = keys.outbox.item(id);
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: key,
      ConsistentRead: true,
      ProjectionExpression: 'createdAt, gsi2pk',
    }),
  );
  if (!Item) return 'missing';
  if (Item.gsi2pk !== keys.outbox.deadLetterPartition) return 'not-dead-lettered';
  const due = keys.due.outbox(id, String(Item.createdAt));
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression:
          'SET gsi2pk = :pk, gsi2sk = :sk, replayedAt = :now ADD replays :one REMOVE attempts, deadLetteredAt, lastAttemptAt',
        ConditionExpression: 'gsi2pk = :dead',
        ExpressionAttributeValues: {
          ':pk': due.gsi2pk,
          ':sk': due.gsi2sk,
          ':now': now.toISOString(),
          ':one': 1,
          ':dead': keys.outbox.deadLetterPartition,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'replayed';
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    // Replayed, or published and removed, by someone else between the read and the write.
    return err.Item ? 'not-dead-lettered' : 'missing';
  }
}
