import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from './client.ts';
import { ENTITY, type Key } from './keys.ts';
import type { Named } from './transact.ts';

export type ClaimOutcome =
  /** This caller holds the claim now: perform the effect, then complete or release it. */
  | { taken: true }
  /** The effect was done already, or another caller holds a live lease on it. */
  | { taken: false; state: 'done' | 'held' };

export interface TakeOptions {
  /** Who takes it (a run, a request): only the holder may complete or release. */
  owner: string;
  now: Date;
  /** How long the holder may take to perform the effect; after that anyone may take it over. */
  leaseSeconds: number;
  /** When DynamoDB's TTL removes the claim (epoch seconds), done or not. */
  expiresAt: number;
}

const DAY = 86_400;
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** Epoch seconds `days` after `now`, for a claim's TTL. */
export const ttlAfter = (now: Date, days: number) => epoch(now) + days * DAY;

/**
 * Claims: the right to perform one effect once (send this alert, place this call, book this
 * callback). A claim is taken with a conditional write and carries a lease: a holder that dies
 * between the claim and the effect does not suppress the effect for good, because once the lease
 * has run out anyone may take the claim over. A completed claim is final until its TTL.
 */
export class Claims {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  async take(key: Key, o: TakeOptions): Promise<ClaimOutcome> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            [ENTITY]: 'Claim',
            state: 'held',
            owner: o.owner,
            leaseUntil: new Date(o.now.getTime() + o.leaseSeconds * 1000).toISOString(),
            expiresAt: o.expiresAt,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :held AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':held': 'held', ':now': o.now.toISOString() },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { taken: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      // The item as it stood (DynamoDB JSON: the document client does not unmarshall it).
      const state = (err.Item as { state?: { S?: string } } | undefined)?.state?.S;
      return { taken: false, state: state === 'done' ? 'done' : 'held' };
    }
  }

  /** The effect happened: the claim becomes final (kept until its TTL), with what to remember. */
  async complete(key: Key, owner: string, data: Record<string, unknown> = {}): Promise<void> {
    const names = Object.keys(data);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET #state = :done${names.map((_, i) => `, #d${i} = :d${i}`).join('')} REMOVE leaseUntil`,
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#owner': 'owner',
          ...Object.fromEntries(names.map((n, i) => [`#d${i}`, n])),
        },
        ExpressionAttributeValues: {
          ':done': 'done',
          ':owner': owner,
          ...Object.fromEntries(names.map((n, i) => [`:d${i}`, data[n]])),
        },
      }),
    );
  }

  /** The effect failed: give the claim back at once, so a retry may take it. */
  async release(key: Key, owner: string): Promise<void> {
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: '#owner = :owner AND #state = :held',
          ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state' },
          ExpressionAttributeValues: { ':owner': owner, ':held': 'held' },
        }),
      )
      .catch((err: unknown) => {
        // Someone else took it over after our lease ran out: theirs to finish.
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }

  /** The claim as stored (a completed one carries what `complete` or `guard` remembered). */
  async read(key: Key): Promise<{ state: 'done' | 'held'; data: Record<string, unknown> } | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    if (!r.Item) return undefined;
    const { pk: _p, sk: _s, [ENTITY]: _e, state, owner: _o, leaseUntil: _l, expiresAt: _x, ...data } = r.Item;
    return { state: state === 'done' ? 'done' : 'held', data };
  }

  /**
   * A claim taken and completed inside a transaction, together with its effect's own writes
   * (a complaint and the ContactId it was filed for, a callback and the number it is pending on).
   * If the claim exists, the whole transaction is cancelled with this item named; with `replaces`,
   * unless the stored claim's `field` is at most `atMost` (a booking old enough to be made again,
   * by the date it remembers) or `equals` it (the booking it remembers, read and found over).
   */
  guard(
    name: string,
    key: Key,
    data: Record<string, unknown>,
    expiresAt?: number,
    replaces?: { field: string; atMost: string } | { field: string; equals: string },
  ): Named {
    return {
      name,
      Put: {
        TableName: this.tableName,
        Item: {
          ...key,
          [ENTITY]: 'Claim',
          state: 'done',
          ...data,
          ...(expiresAt !== undefined ? { expiresAt } : {}),
        },
        ConditionExpression: !replaces
          ? 'attribute_not_exists(pk)'
          : `attribute_not_exists(pk) OR #f ${'equals' in replaces ? '=' : '<='} :v`,
        ...(replaces
          ? {
              ExpressionAttributeNames: { '#f': replaces.field },
              ExpressionAttributeValues: { ':v': 'equals' in replaces ? replaces.equals : replaces.atMost },
            }
          : {}),
      },
    };
  }

  /** Removes a guard inside a transaction, when the effect it guarded is over (a callback ended). */
  unguard(key: Key, match: Record<string, string>): Named {
    const [field, value] = Object.entries(match)[0] ?? ['pk', ''];
    return {
      name: 'unguard',
      Delete: {
        TableName: this.tableName,
        Key: key,
        ConditionExpression: 'attribute_not_exists(pk) OR #f = :v',
        ExpressionAttributeNames: { '#f': field },
        ExpressionAttributeValues: { ':v': value },
      },
    };
  }
}
