import { tracer } from '../observability/tracer.ts';
import { type DocumentClient, documentClient, dynamoClient } from './client.ts';

let traced = false;

/**
 * The shared client, captured by the Powertools tracer: every table call is an X-Ray subsegment
 * with its latency and errors. What every function but the contact-flow Lambdas uses.
 */
export function tracedDocumentClient(): DocumentClient {
  const db = documentClient();
  if (!traced) {
    tracer.captureAWSv3Client(dynamoClient(db));
    traced = true;
  }
  return db;
}
