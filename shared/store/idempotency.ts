import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, ConflictError } from '../errors.ts';
import type { DocumentClient } from './client.ts';
import { keys } from './keys.ts';

export interface StoredResponse {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

const TTL_SECONDS = 24 * 60 * 60;

/**
 * Idempotency for creates: the first request with a key runs, a retry with the same key and the
 * same body gets the first response back, and a retry with another body is refused.
 * The record is claimed with a conditional write, so two concurrent retries never both run.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  async run(
    scope: string,
    key: string,
    request: unknown,
    fn: () => Promise<StoredResponse>,
  ): Promise<StoredResponse> {
    const Key = keys.idempotency.item(scope, key);
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const now = Math.floor(Date.now() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...Key,
            type: 'Idempotency',
            status: 'IN_PROGRESS',
            requestHash,
            expiresAt: now + TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const existing = (
        await this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }))
      ).Item;
      if (existing?.requestHash !== requestHash) {
        throw new AppError(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was already used with a different request',
        );
      }
      if (existing.status === 'COMPLETED') return existing.response as StoredResponse;
      throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly');
    }
    let response: StoredResponse;
    try {
      response = await fn();
    } catch (err) {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key }));
      throw err;
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key,
        UpdateExpression: 'SET #s = :done, #r = :response',
        ExpressionAttributeNames: { '#s': 'status', '#r': 'response' },
        ExpressionAttributeValues: { ':done': 'COMPLETED', ':response': response },
      }),
    );
    return response;
  }
}
