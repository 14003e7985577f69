import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createTable, localAwsEnv } from '#local/dynamodb.ts';
import { LocalSqs } from '#local/sqs.ts';

// Each test file gets a fresh table on the shared engine, and the SDK reaches it only through
// the standard AWS_ENDPOINT_URL_DYNAMODB setting, exactly as a deployed function would.
const tableName = `keyline-test-${randomUUID().slice(0, 8)}`;
Object.assign(process.env, localAwsEnv(inject('dynamoEndpoint'), tableName));
const client = new DynamoDBClient({});
await createTable(client, tableName);
client.destroy();

// The IVR hand-off queue: a local SQS endpoint per file, reached through AWS_ENDPOINT_URL_SQS.
const handoff = await new LocalSqs('ivr-handoff', { retryAfterMs: 50 }).start();
process.env.AWS_ENDPOINT_URL_SQS = handoff.endpoint;
process.env.IVR_HANDOFF_QUEUE_URL = handoff.queueUrl;
(globalThis as { __handoffQueue?: LocalSqs }).__handoffQueue = handoff;
