import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent, EventPublisher } from '../events.ts';
import type { DocumentClient } from './client.ts';
import { queryDue } from './due-index.ts';
import { ENTITY, keys } from './keys.ts';
import type { Named } from './transact.ts';

export const OUTBOX_ENTITY = 'Outbox';

/**
 * The transactional outbox. A domain event is written in the same transaction as the state
 * change that caused it, so it exists exactly when the change happened; it is published
 * afterwards (from the table's stream in AWS, by a drain locally) and removed only once the
 * publish succeeded. An item already removed is not published again, so a stream batch retried
 * from an earlier record that failed republishes nothing. Only a crash between the publish and the
 * removal publishes twice: subscribers are idempotent.
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

/** Publishes every waiting outbox item, oldest first (the local stack's stand-in for the stream). */
export async function drainOutbox(
  db: DocumentClient,
  tableName: string,
  publisher: EventPublisher,
): Promise<number> {
  const { items } = await queryDue(db, tableName, 'OUTBOX', { limitPerShard: 100 });
  let published = 0;
  for (const item of items) if (await publishOutboxItem(db, tableName, publisher, item)) published++;
  return published;
}
