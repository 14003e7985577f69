import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability/tracer.ts';

/**
 * The DynamoDB document client, traced by Powertools. The endpoint and retry count come from the
 * SDK's standard settings (AWS_ENDPOINT_URL_DYNAMODB locally, AWS_MAX_ATTEMPTS where a function
 * sets it), never from a branch in our code.
 */
export function createDocumentClient(config: DynamoDBClientConfig = {}) {
  const client = tracer.captureAWSv3Client(new DynamoDBClient({ ...config }));
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  raw.set(doc, client);
  return doc;
}

const raw = new WeakMap<object, DynamoDBClient>();

export type DocumentClient = ReturnType<typeof createDocumentClient>;

let shared: DocumentClient | undefined;

/**
 * The one client a process uses: every function's repositories share it (and its sockets). Made
 * on first use, so that a process which sets its environment at start-up (the local stack, the
 * tests) has done so by then.
 */
export function documentClient(): DocumentClient {
  shared ??= createDocumentClient();
  return shared;
}

/** The low-level client under the shared document client (for Powertools idempotency). */
export function dynamoClient(doc: DocumentClient = documentClient()): DynamoDBClient {
  const client = raw.get(doc);
  if (!client) throw new Error('not a client made by createDocumentClient');
  return client;
}
