import type { TestProject } from 'vitest/node';
import { type LocalDynamo, startDynamoLocal } from '#local/dynamodb.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let dynamo: LocalDynamo | undefined;

/** One DynamoDB Local for the whole integration run; every test file gets its own table. */
export async function setup(project: TestProject) {
  dynamo = await startDynamoLocal({ quickJit: true });
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown() {
  await dynamo?.stop();
}
