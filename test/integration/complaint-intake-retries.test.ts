/**
 * POST /complaints retried with its Idempotency-Key after the first reply was lost, against
 * DynamoDB Local behind the fault-injecting proxy: the complaint's write landed, its answer did
 * not, the request failed and Powertools let the key go. The retry must answer the complaint
 * already filed, not file it a second time; a retry with another body under that key is refused.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { complaintRoutes } from '#functions/complaints/routes.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let proxy: DynamoProxy;
let api: ReturnType<typeof apiClient>;
const ACCOUNT = 'acc-intake-retries';

beforeAll(async () => {
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  const db = createDocumentClient();
  await new Accounts(db, TABLE_NAME()).save(ACCOUNT, AccountInput.parse(accountBody()));
  db.destroy();
  api = apiClient((await import('#functions/complaints/handler.ts')).handler, complaintRoutes);
});
afterEach(async () => {
  await proxy.settled();
  proxy.reset();
});
afterAll(() => proxy.stop());

const body = (description: string) => ({
  accountId: ACCOUNT,
  category: 'damage',
  severity: 'high',
  description,
});

/** The complaint's own write (not the idempotency record's) lands, and its reply is lost. */
const loseTheComplaintsReply = () => {
  proxy.fault = {
    fail: 'server-error',
    lostReply: true,
    ops: ['PutItem', 'TransactWriteItems'],
    when: (b) => b.includes('"COMPLAINT#'),
  };
};

const filed = async (description: string) =>
  ((await api('GET', `/complaints?accountId=${ACCOUNT}`)).json.items as { id: string; description: string }[])
    .filter((c) => c.description === description)
    .map((c) => c.id);

describe('POST /complaints retried after its reply was lost', () => {
  it('answers the complaint already filed, and files it once', async () => {
    const description = `外箱破损 ${Date.now()}`;
    loseTheComplaintsReply();
    const first = await api('POST', '/complaints', body(description), {
      'Idempotency-Key': 'intake-lost-0001',
    });
    expect(first.status).toBe(500);
    proxy.reset();
    const retried = await api('POST', '/complaints', body(description), {
      'Idempotency-Key': 'intake-lost-0001',
    });
    expect(retried.status).toBe(201);
    expect(await filed(description)).toEqual([retried.json.id]);
    // Answered from the key's claim again: the same complaint.
    const third = await api('POST', '/complaints', body(description), {
      'Idempotency-Key': 'intake-lost-0001',
    });
    expect(third.json.id).toBe(retried.json.id);
  });

  it('refuses a retry under that key with another body, in both languages, and files nothing more', async () => {
    const description = `冰箱压坏 ${Date.now()}`;
    loseTheComplaintsReply();
    const first = await api('POST', '/complaints', body(description), {
      'Idempotency-Key': 'intake-lost-0002',
    });
    expect(first.status).toBe(500);
    proxy.reset();
    const edited = await api('POST', '/complaints', body(`${description}（补充）`), {
      'Idempotency-Key': 'intake-lost-0002',
      'accept-language': 'zh-CN',
    });
    expect(edited.status).toBe(422);
    expect(edited.json).toMatchObject({
      error: 'idempotency_key_reused',
      message: '此 Idempotency-Key 已用于另一个请求',
    });
    const en = await api('POST', '/complaints', body(`${description}（补充）`), {
      'Idempotency-Key': 'intake-lost-0002',
    });
    expect(en.json).toMatchObject({
      error: 'idempotency_key_reused',
      message: 'This Idempotency-Key was already used with a different request',
    });
    expect(await filed(description)).toHaveLength(1);
    expect(await filed(`${description}（补充）`)).toEqual([]);
  });
});

describe('POST /complaints sent twice at once with one key (a double click, a proxy retrying)', () => {
  it('files one complaint and answers both with it; no reply record is kept beside the claim', async () => {
    const description = `重复提交 ${Date.now()}`;
    const headers = { 'Idempotency-Key': 'intake-twice-0001' };
    const [a, b] = await Promise.all([
      api('POST', '/complaints', body(description), headers),
      api('POST', '/complaints', body(description), headers),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.json.id).toBe(a.json.id);
    expect(await filed(description)).toEqual([a.json.id]);
    // The store's claim is the one mechanism: Powertools' idempotency record is not written.
    const db = createDocumentClient();
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const { keys } = await import('#shared/platform/dynamo/keys.ts');
    const records = await db.send(
      new QueryCommand({
        TableName: TABLE_NAME(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.idempotency.partition('POST /complaints') },
      }),
    );
    db.destroy();
    expect(records.Items ?? []).toEqual([]);
  });
});
