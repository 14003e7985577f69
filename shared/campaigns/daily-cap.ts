/**
 * The daily cap per number: how many times a number may be dialed on one local day, counted in
 * one item per number and day that expires after three days.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import type { Callback } from './model.ts';

/**
 * The cap a callback's dial is held to. A callback the client asked for has none: the request is
 * their consent to that call, and the IVR told them when it comes, so other calls to the number
 * today do not push it to tomorrow. Its dials still count, so campaigns keep to the cap after it.
 */
export const dailyCapOf = (cb: Pick<Callback, 'reason' | 'dailyCap'>): number | undefined =>
  cb.reason === 'customer-callback' ? undefined : cb.dailyCap;

export class DailyDialCap {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Counts a dial against the number's daily cap; false when the cap is reached. Without a cap
   * (a call the client asked for) the dial is counted, and always allowed.
   */
  async take(phone: string, day: string, cap: number | undefined, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.dials(phone, day),
          UpdateExpression: 'ADD dials :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
          ...(cap === undefined
            ? {}
            : { ConditionExpression: 'attribute_not_exists(dials) OR dials < :cap' }),
          ExpressionAttributeValues: {
            ':one': 1,
            ':ttl': ttlAfter(now, 3),
            ...(cap === undefined ? {} : { ':cap': cap }),
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Gives back a dial counted against the daily cap when the call was not placed after all. */
  async giveBack(phone: string, day: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.dials(phone, day),
          UpdateExpression: 'ADD dials :minus',
          ConditionExpression: 'dials > :zero',
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }
}
