import { PutItemCommand, QueryCommand as RawQueryCommand } from '@aws-sdk/client-dynamodb';
import type { PutCommandInput, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { unwrapView } from './abortable.ts';
import { type DocumentClient, dynamoClient, MARSHALL_OPTIONS } from './client.ts';

type Item = Record<string, unknown>;

/**
 * One page of a query, sent through the low-level client under `db` with the document client's
 * own marshalling (client.ts). The document client wraps each command in a second middleware
 * stack; on the contact-flow path, where a caller waits, that costs some 5 % of a screen pop's
 * warm time (bench/results/bench.json), so the reads and the one write there come through here.
 */
export async function queryOnce(
  db: DocumentClient,
  input: QueryCommandInput,
  abortSignal?: AbortSignal,
): Promise<{ items: Item[]; lastKey?: Item }> {
  const { ExpressionAttributeValues, ExclusiveStartKey, ...rest } = input;
  const { client, signal } = lowLevel(db, abortSignal);
  const page = await client.send(
    new RawQueryCommand({
      ...rest,
      ...(ExpressionAttributeValues
        ? { ExpressionAttributeValues: marshall(ExpressionAttributeValues, MARSHALL_OPTIONS) }
        : {}),
      ...(ExclusiveStartKey ? { ExclusiveStartKey: marshall(ExclusiveStartKey, MARSHALL_OPTIONS) } : {}),
    }),
    { abortSignal: signal },
  );
  return {
    items: (page.Items ?? []).map((i) => unmarshall(i)),
    ...(page.LastEvaluatedKey ? { lastKey: unmarshall(page.LastEvaluatedKey) } : {}),
  };
}

/**
 * A put of a whole item, the same way as `queryOnce` (the call log's line): unconditional, or with
 * `ifAbsent` only when no item has the key yet (DynamoDB's ConditionalCheckFailedException then).
 */
export async function putOnce(
  db: DocumentClient,
  input: Pick<PutCommandInput, 'TableName' | 'Item'>,
  abortSignal?: AbortSignal,
  ifAbsent = false,
): Promise<void> {
  const { client, signal } = lowLevel(db, abortSignal);
  await client.send(
    new PutItemCommand({
      TableName: input.TableName,
      Item: marshall(input.Item ?? {}, MARSHALL_OPTIONS),
      ...(ifAbsent ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
    }),
    { abortSignal: signal },
  );
}

/** The low-level client under `db`, and the signal: the caller's, else an abortable view's. */
function lowLevel(db: DocumentClient, abortSignal?: AbortSignal) {
  const view = unwrapView(db);
  const signal = abortSignal ?? view.signal;
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
  return { client: dynamoClient(view.db), signal };
}

/** Every page of a query, in order. For bounded access patterns only (an account's items). */
export async function queryAll(
  db: DocumentClient,
  input: QueryCommandInput,
  abortSignal?: AbortSignal,
): Promise<Item[]> {
  const out: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await queryOnce(
      db,
      { ...input, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) },
      abortSignal,
    );
    out.push(...page.items);
    ExclusiveStartKey = page.lastKey;
  } while (ExclusiveStartKey);
  return out;
}
