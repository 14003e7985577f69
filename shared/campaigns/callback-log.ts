/**
 * An outbound callback's lines in the account's call log (the call history the card shows): the
 * line a dial or a skip writes, and the result its call's outcome adds later.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CallEntity } from '../inbound/directory.ts';
import type { CallRecord } from '../inbound/model.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import type { Named } from '../platform/dynamo/transact.ts';
import type { Callback } from './model.ts';

/** An outbound line in the account's call log: placed, or not placed and why. */
export function callLogLine(
  tableName: string,
  c: Callback,
  now: Date,
  r: Pick<CallRecord, 'outcome' | 'connectContactId' | 'skipReason'>,
): Named {
  const record: CallRecord = {
    at: now.toISOString(),
    e164: c.phone ?? '',
    accountId: c.accountId,
    ...(c.contactId ? { contactId: c.contactId } : {}),
    ...(c.contactName ? { contactName: c.contactName } : {}),
    direction: 'outbound',
    callbackId: c.id,
    reason: c.reason,
    ...r,
  };
  return { name: 'call-log', Put: { TableName: tableName, Item: CallEntity.toItem(record) } };
}

/**
 * The placed call's line learns how the call went. Display only, so after the outcome's
 * transaction and never creating a line: a missing one stays missing.
 */
export async function noteCallResult(
  db: DocumentClient,
  tableName: string,
  c: Callback,
  result: NonNullable<CallRecord['result']>,
): Promise<void> {
  if (!c.dialedAt || !c.connectContactId) return;
  await db
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.callLog.item(c.accountId, c.dialedAt, c.connectContactId),
        UpdateExpression: 'SET #result = :r',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#result': 'result' },
        ExpressionAttributeValues: { ':r': result },
      }),
    )
    .catch((err: unknown) => {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    });
}
