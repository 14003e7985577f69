/**
 * Paged queries for the HTTP lists: a page and the opaque token of the next. Apart from query.ts,
 * which the screen pop bundles: a refused token is worded from the message catalog, which the
 * screen pop's cold start does without.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors.ts';
import { fieldError } from '../messages/index.ts';
import type { DocumentClient } from './client.ts';

type Item = Record<string, unknown>;

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
