/**
 * The body of an SQS record read through its schema, for every queue consumer (the notifier, the
 * IVR hand-off worker). A body that is not what the queue carries cannot succeed on any retry:
 * it is logged, with the message id, its receive count and the failing fields (never the body,
 * which may hold a caller's number), counted, and thrown, so the record goes back to the queue
 * and after its last receive to the dead-letter queue, where an operator finds it by that id.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import type { SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { parseOrThrow, ValidationError } from './errors.ts';
import { logger, metrics } from './observability/index.ts';

/** Who received the record: what every log line about it carries. */
export const receiptOf = (r: SQSRecord) => ({
  messageId: r.messageId,
  receiveCount: r.attributes.ApproximateReceiveCount,
});

/** Each queue's body schema (JSON text read through the schema), built once per schema. */
const bodies = new WeakMap<z.ZodType, z.ZodType>();

export function readRecord<S extends z.ZodType>(
  r: SQSRecord,
  schema: S,
  o: { consumer: string; what: string; failureMetric: string },
): z.output<S> {
  try {
    const body = bodies.get(schema) ?? JSONStringified(schema);
    bodies.set(schema, body);
    return parseOrThrow(body, r.body) as z.output<S>;
  } catch (err) {
    if (err instanceof ValidationError) {
      metrics.addMetric(o.failureMetric, MetricUnit.Count, 1);
      logger.error(`${o.consumer}: message is not ${o.what}; redelivered, then kept in the DLQ`, {
        ...receiptOf(r),
        problems: err.errors,
      });
    }
    throw err;
  }
}
