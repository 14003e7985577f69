import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The X-Ray tracer (Powertools), one per Lambda. It traces only inside Lambda with active
 * tracing; locally and in tests it is off. The shared DynamoDB client is captured by it, so every
 * table call is a subsegment with its latency and errors.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'keyline' });
