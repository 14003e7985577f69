import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PhoneLookupItem } from './accounts.ts';
import type { DocumentClient } from './client.ts';
import { keys } from './keys.ts';
import { type AccountStats, statsOf } from './stats.ts';

export interface CallRecord {
  /** Amazon Connect ContactId. */
  connectContactId: string;
  at: string;
  e164: string;
  accountId: string;
  contactId?: string;
  contactName?: string;
  lookupStatus: string;
  direction: 'inbound' | 'outbound';
  channel?: string;
}

/** Call-log entries are kept for 400 days. */
const CALL_TTL_SECONDS = 400 * 24 * 3600;

/**
 * The screen pop's reads, and nothing else, so its bundle stays small: round trip 1 is the phone
 * query; round trip 2 reads the account's counters while the call is recorded in parallel.
 */
export class CallerDirectory {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  async byPhone(e164: string, abortSignal?: AbortSignal): Promise<PhoneLookupItem[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.phone.partition(e164) },
        Limit: 50,
      }),
      { abortSignal },
    );
    return ((r.Items ?? []) as unknown as PhoneLookupItem[]).sort(
      (a, b) => b.priorityScore - a.priorityScore || a.accountId.localeCompare(b.accountId),
    );
  }

  async stats(accountId: string, abortSignal?: AbortSignal): Promise<AccountStats> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.stats(accountId) }), {
      abortSignal,
    });
    return statsOf(r.Item);
  }

  async recordCall(call: CallRecord, abortSignal?: AbortSignal): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.callLog.item(call.accountId, call.at, call.connectContactId),
          type: 'Call',
          ...call,
          expiresAt: Math.floor(Date.parse(call.at) / 1000) + CALL_TTL_SECONDS,
        },
      }),
      { abortSignal },
    );
  }

  /** The last calls of an account, newest first (for the card; not on the hot path). */
  async recentCalls(accountId: string, limit = 10): Promise<CallRecord[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.account.partition(accountId), ':p': keys.callLog.prefix },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (r.Items ?? []).map((i) => {
      const { pk: _pk, sk: _sk, type: _t, expiresAt: _e, ...rest } = i;
      return rest as CallRecord;
    });
  }
}
