import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

// The cold-start yardstick: the smallest useful DynamoDB Lambda, one raw GetItem.
const client = new DynamoDBClient({});

export const handler = async () => {
  const r = await client.send(
    new GetItemCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: { S: 'ACCOUNT#acc-jinhe-grain' }, sk: { S: 'STATS' } },
    }),
  );
  return { found: String(Boolean(r.Item)) };
};
