import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** How values become attribute values, for the document client and for query.ts alike. */
export const MARSHALL_OPTIONS = Object.freeze({ removeUndefinedValues: true, convertEmptyValues: false });

/**
 * The DynamoDB clients. The endpoint and retry count come from the SDK's standard settings
 * (AWS_ENDPOINT_URL_DYNAMODB locally, AWS_MAX_ATTEMPTS where a function sets it), never from a
 * branch in our code.
 */
export function createDocumentClient(config: DynamoDBClientConfig = {}) {
  const client = new DynamoDBClient({ ...config });
  const doc = DynamoDBDocumentClient.from(client, {
    // A copy: the document client sets options of its own on the object it is given.
    marshallOptions: { ...MARSHALL_OPTIONS },
  });
  raw.set(doc, client);
  return doc;
}

export type DocumentClient = ReturnType<typeof createDocumentClient>;

const raw = new WeakMap<object, DynamoDBClient>();

let shared: DocumentClient | undefined;

/**
 * The one client a process uses: every function's repositories share it (and its sockets). Made
 * on first use, so that a process which sets its environment at start-up (the local stack, the
 * tests) has done so by then. Functions take it traced (traced-client.ts); the contact-flow
 * Lambdas take it as it is, because the X-Ray SDK would add to the cold start a waiting caller
 * hears (docs/data-model.md says by how much).
 */
export function documentClient(): DocumentClient {
  shared ??= createDocumentClient();
  return shared;
}

/** The low-level client under a document client (for Powertools idempotency). */
export function dynamoClient(doc: DocumentClient = documentClient()): DynamoDBClient {
  const client = raw.get(doc);
  if (!client) throw new Error('not a client made by createDocumentClient');
  return client;
}
