import { DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';

/**
 * The warm baseline: the DynamoDB requests a screen pop makes, raw, with the SDK's default client
 * (the one the minimal GetItem yardstick uses) and nothing else: no parsing of the event, no
 * logs, no metrics, no answer to shape. Bundled with the shipped settings and run in the same
 * process as the screen-pop bundle, interleaved with it. The call item and the caller journal's
 * line carry the same attributes as the screen pop's, so both send the same requests of the same
 * size in the same two round trips: six, and one more for each further account a shared number
 * names.
 */
const client = new DynamoDBClient({});
const TableName = process.env.TABLE_NAME;
const CALL_TTL_SECONDS = 400 * 24 * 3600;

/** The caller journal's line, as the screen pop writes it (opened, then named). */
const journalLine = (
  connectContactId: string,
  at: string,
  e164: string,
  named?: Record<string, unknown>,
) => ({
  pk: { S: `INBOUND#${connectContactId}` },
  sk: { S: 'CALL' },
  gsi1pk: { S: `JOURNAL#${at.slice(0, 10)}` },
  gsi1sk: { S: `${at}#${connectContactId}` },
  entity: { S: 'InboundCall' },
  expiresAt: { N: String(Math.floor(Date.parse(at) / 1000) + 30 * 24 * 3600) },
  contactId: { S: connectContactId },
  at: { S: at },
  e164: { S: e164 },
  lookupStatus: { S: named ? 'ok' : 'pending' },
  outcome: { S: 'live' },
  ...named,
});

export async function bareScreenPop(e164: string, connectContactId: string): Promise<boolean> {
  const at = new Date().toISOString();
  const [lookup] = await Promise.all([
    client.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `PHONE#${e164}` } },
        Limit: 50,
      }),
    ),
    client
      .send(
        new PutItemCommand({
          TableName,
          Item: journalLine(connectContactId, at, e164),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch(() => undefined),
  ]);
  const best = lookup.Items?.[0];
  if (!best) return false;
  const accountId = best.accountId?.S ?? '';
  await Promise.all([
    client.send(
      new PutItemCommand({
        TableName,
        Item: journalLine(connectContactId, at, e164, {
          accountId: { S: accountId },
          accountName: best.accountName ?? { S: '' },
          contactRef: best.contactId ?? { S: '' },
          contactName: best.contactName ?? { S: '' },
          tier: best.tier ?? { S: '' },
        }),
      }),
    ),
    // Each named account's head, as the screen pop checks them (a shared number names several).
    ...[...new Set((lookup.Items ?? []).map((i) => i.accountId?.S ?? ''))].map((id) =>
      client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk AND sk = :sk',
          ExpressionAttributeValues: { ':pk': { S: `ACCOUNT#${id}` }, ':sk': { S: 'PROFILE' } },
          ProjectionExpression: 'id, createdAt',
        }),
      ),
    ),
    client.send(
      // The account's counts: its shards and unresolved complaints in the counts index.
      new QueryCommand({
        TableName,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `STATS#${accountId}` } },
      }),
    ),
    client.send(
      new PutItemCommand({
        TableName,
        Item: {
          pk: { S: `ACCOUNT#${accountId}` },
          sk: { S: `CALL#${at}#${connectContactId}` },
          entity: { S: 'Call' },
          expiresAt: { N: String(Math.floor(Date.parse(at) / 1000) + CALL_TTL_SECONDS) },
          connectContactId: { S: connectContactId },
          at: { S: at },
          e164: { S: e164 },
          accountId: { S: accountId },
          contactId: best.contactId ?? { S: '' },
          contactName: best.contactName ?? { S: '' },
          lookupStatus: { S: 'ok' },
          direction: { S: 'inbound' },
          channel: { S: 'VOICE' },
        },
      }),
    ),
  ]);
  return true;
}

/**
 * One request to `endpoint` with the same client settings (AWS_MAX_ATTEMPTS from the
 * environment): the bench points it at a server that always fails, to check that the request
 * counter sees every attempt, retries included.
 */
export async function probe(endpoint: string): Promise<void> {
  const c = new DynamoDBClient({ endpoint });
  try {
    await c.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'PROBE' } },
      }),
    );
  } finally {
    c.destroy();
  }
}
