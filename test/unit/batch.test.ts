import type { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchWrite } from '#shared/platform/dynamo/batch.ts';
import type { DocumentClient } from '#shared/platform/dynamo/client.ts';

/** A client whose answers are scripted, recording each BatchWriteItem's items. */
function scripted(answers: (() => unknown)[]) {
  const sent: number[] = [];
  const db = {
    send: async (command: BatchWriteCommand) => {
      sent.push(Object.values(command.input.RequestItems ?? {})[0]?.length ?? 0);
      const next = answers.shift();
      return next ? next() : {};
    },
  } as unknown as DocumentClient;
  return { db, sent };
}
const puts = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: `P#${i}`, sk: 'X' } } }));

describe('batch writes', () => {
  it('sends what DynamoDB left unprocessed again, and only that', async () => {
    const { db, sent } = scripted([() => ({ UnprocessedItems: { t: puts(3) } }), () => ({})]);
    await batchWrite(db, 't', puts(10));
    expect(sent).toEqual([10, 3]);
  });

  it('does not send a refused request again: the SDK retried what was worth it', async () => {
    const noTable = Object.assign(new Error('Cannot do operations on a non-existent table'), {
      name: 'ResourceNotFoundException',
    });
    const { db, sent } = scripted([
      () => {
        throw noTable;
      },
    ]);
    await expect(batchWrite(db, 't', puts(5))).rejects.toBe(noTable);
    expect(sent).toEqual([5]);
  });
});
