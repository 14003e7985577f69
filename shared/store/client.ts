import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The document client every function and tool uses. The endpoint comes from the SDK's standard
 * settings (AWS_ENDPOINT_URL_DYNAMODB locally), never from a branch in our code.
 */
export function createDocumentClient(config: DynamoDBClientConfig = {}) {
  const client = new DynamoDBClient({ maxAttempts: 3, ...config });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

export type DocumentClient = ReturnType<typeof createDocumentClient>;
