import { isDeepStrictEqual } from 'node:util';
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type DocumentClient, MARSHALL_OPTIONS } from './client.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction item with a name, so that a cancellation can say which condition failed. */
export type Named = TransactItem & { name?: string };

/** DynamoDB's limit on actions in one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

/**
 * A transaction that was cancelled: `failed` names the items whose condition did not hold,
 * `contended` says another transaction held one of the items (worth retrying as it is).
 */
export class TransactionCancelled extends Error {
  constructor(
    readonly failed: string[],
    readonly contended: boolean,
    options?: { cause: unknown },
  ) {
    super(
      `transaction cancelled: ${failed.length ? `condition failed on ${failed.join(', ')}` : 'contended'}`,
      options,
    );
    this.name = 'TransactionCancelled';
  }

  /** True when the named item's condition was among those that failed. */
  failedOn(name: string): boolean {
    return this.failed.includes(name);
  }
}

/**
 * Writes items atomically (absent ones, such as a counter that did not move, are left out). A
 * cancellation comes back as TransactionCancelled with the names of the items whose condition
 * failed, matched by the item, never by its position in the list. A single put is sent as a
 * PutItem alone (as atomic, and half the write cost of a transaction), its outcomes reported the
 * same way (see putOne).
 */
export async function transactWrite(db: DocumentClient, items: (Named | undefined)[]): Promise<void> {
  const list = items.filter((i): i is Named => i !== undefined);
  const [only] = list;
  if (list.length === 1 && only?.Put) return putOne(db, only.Put, only.name ?? '#0');
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: list.map(({ name: _name, ...item }) => item as TransactItem),
      }),
    );
  } catch (err) {
    if (!(err instanceof TransactionCanceledException)) throw err;
    const reasons = err.CancellationReasons ?? [];
    const failed = list
      .map((item, i) => ({ name: item.name ?? `#${i}`, code: reasons[i]?.Code }))
      .filter((r) => r.code === 'ConditionalCheckFailed')
      .map((r) => r.name);
    const contended = reasons.some((r) => r.Code === 'TransactionConflict');
    throw new TransactionCancelled(failed, contended, { cause: err });
  }
}

/**
 * The lone put of `transactWrite`, with a transaction's outcomes:
 * - a failed condition is a TransactionCancelled naming the item, unless the stored item is the
 *   very one this put writes: the SDK retried a put that had landed (its answer was lost), which
 *   a transaction's client request token would have made idempotent;
 * - a put that met a transaction on the item is a contended TransactionCancelled, as a
 *   transaction that met one would be (callers retry those).
 */
async function putOne(db: DocumentClient, put: PutInput, name: string): Promise<void> {
  try {
    await db.send(
      new PutCommand({
        ...put,
        ...(put.ConditionExpression ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof TransactionConflictException) throw new TransactionCancelled([], true, { cause: err });
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    if (err.Item && isDeepStrictEqual(unmarshall(err.Item), unmarshall(marshall(put.Item, MARSHALL_OPTIONS))))
      return;
    throw new TransactionCancelled([name], false, { cause: err });
  }
}

type PutInput = NonNullable<TransactItem['Put']>;

/**
 * Creates a pack of values in one transaction, each on its own condition (it does not exist yet):
 * when some conditions fail, those values are dropped and the rest sent again; a transaction that
 * only met contention is sent again as it is, up to five times. `itemsOf` builds the transaction
 * for what is left (its items named by `nameOf`). Answers the values created and the names of
 * those that existed.
 */
export async function createDroppingExisting<T>(
  db: DocumentClient,
  pack: T[],
  nameOf: (value: T) => string,
  itemsOf: (values: T[]) => (Named | undefined)[],
): Promise<{ created: T[]; existing: string[] }> {
  const existing: string[] = [];
  let left = pack;
  for (let contended = 0; left.length > 0; ) {
    try {
      await transactWrite(db, itemsOf(left));
      break;
    } catch (err) {
      if (!(err instanceof TransactionCancelled)) throw err;
      if (err.failed.length === 0 && (!err.contended || ++contended > 5)) throw err;
      const failed = new Set(err.failed);
      const rest = left.filter((v) => !failed.has(nameOf(v)));
      // A condition failed on an item that is none of the values: sending again would fail again.
      if (err.failed.length > 0 && rest.length === left.length) throw err;
      existing.push(...err.failed);
      left = rest;
    }
  }
  return { created: left, existing };
}
