import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { putOnce } from '../platform/dynamo/query.ts';
import type { CallRecord } from './model.ts';

/** Call-log entries are kept for 400 days. */
const CALL_TTL_SECONDS = 400 * 24 * 3600;

export const CallEntity = entity<CallRecord>({
  name: 'Call',
  keys: (c) => keys.callLog.item(c.accountId, c.at, c.connectContactId ?? c.callbackId ?? 'unknown'),
  expiresAt: (c) => Math.floor(Date.parse(c.at) / 1000) + CALL_TTL_SECONDS,
});

/**
 * The call log: written by the screen pop (beside its second read), read by the card. On the hot
 * path, so no schema library is loaded here.
 */
export class CallLog {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  async record(call: CallRecord, abortSignal?: AbortSignal): Promise<void> {
    await putOnce(this.db, { TableName: this.tableName, Item: CallEntity.toItem(call) }, abortSignal);
  }

  /** The last calls of an account, newest first. */
  async recent(accountId: string, limit = 10): Promise<CallRecord[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.account.partition(accountId), ':p': keys.callLog.prefix },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (r.Items ?? []).map((i) => CallEntity.fromItem(i));
  }
}
