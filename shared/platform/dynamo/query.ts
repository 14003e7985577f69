import { PutItemCommand, QueryCommand as RawQueryCommand } from '@aws-sdk/client-dynamodb';
import { type PutCommandInput, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ValidationError } from '../errors.ts';
import { fieldError } from '../messages/index.ts';
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

/** The query of one gsi1 partition, its sort keys beginning with `prefix` when given. */
export function gsi1Partition(
  tableName: string,
  pk: string,
  prefix?: string,
  newestFirst = false,
): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: 'gsi1',
    KeyConditionExpression: prefix ? 'gsi1pk = :pk AND begins_with(gsi1sk, :s)' : 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':s': prefix } : {}) },
    ...(newestFirst ? { ScanIndexForward: false } : {}),
  };
}

/** A page asked for: at most `limit` items, after the page whose `next` this is. */
export interface PageRequest {
  limit: number;
  next?: string;
}

/** A page of items and the `next` of the following one (absent on the last). */
export interface Page<T> {
  items: T[];
  next?: string;
}

/**
 * One page of a query and the cursor of the next (opaque to clients: base64url JSON of the last
 * key read). A cursor that is not one of this query's (altered, another list's) is refused as the
 * request's `query.next`, never a failure of ours.
 */
export async function queryPage(
  db: DocumentClient,
  input: QueryCommandInput,
  req: PageRequest,
): Promise<Page<Item>> {
  const start = req.next === undefined ? undefined : decodeCursor(req.next);
  const page = await db
    .send(new QueryCommand({ ...input, Limit: req.limit, ...(start ? { ExclusiveStartKey: start } : {}) }))
    .catch((err: unknown) => {
      // DynamoDB refuses a start key that does not fit the query (ValidationException).
      throw start && err instanceof Error && err.name === 'ValidationException' ? badCursor() : err;
    });
  return {
    items: page.Items ?? [],
    ...(page.LastEvaluatedKey
      ? { next: Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') }
      : {}),
  };
}

const badCursor = () => new ValidationError([fieldError('query.next', 'page.next-invalid')]);

/** A cursor back to the key it was made from: an object of key attributes (strings, numbers). */
function decodeCursor(cursor: string): Item {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const values = key && typeof key === 'object' && !Array.isArray(key) ? Object.values(key) : [];
  if (values.length === 0 || values.some((v) => typeof v !== 'string' && typeof v !== 'number'))
    throw badCursor();
  return key as Item;
}
