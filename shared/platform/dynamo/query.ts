import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from './client.ts';

/** Every page of a query, in order. For bounded access patterns only (an account's items). */
export async function queryAll(
  db: DocumentClient,
  input: QueryCommandInput,
  abortSignal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey }), { abortSignal });
    out.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

/** One page of a query and the cursor of the next (opaque to clients: base64url JSON). */
export async function queryPage(
  db: DocumentClient,
  input: QueryCommandInput,
  cursor?: string,
): Promise<{ items: Record<string, unknown>[]; next?: string }> {
  const page = await db.send(
    new QueryCommand({
      ...input,
      ...(cursor ? { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) } : {}),
    }),
  );
  return {
    items: page.Items ?? [],
    ...(page.LastEvaluatedKey
      ? { next: Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') }
      : {}),
  };
}
