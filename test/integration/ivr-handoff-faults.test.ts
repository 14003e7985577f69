// The IVR hand-off worker (SQS) on a message it cannot use: the record alone fails, goes back to
// the queue and after its last receive to the dead-letter queue, and the line an operator finds by
// the message id names the failing fields, never the caller's number.
import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { sqsRecord } from '../support/events.ts';

const sns = mockClient(SNSClient);
afterAll(() => sns.restore());

const worker = async (...records: ReturnType<typeof sqsRecord>[]) => {
  const { handler } = await import('#functions/ivr-handoff/handler.ts');
  return handler({ Records: records }, { awsRequestId: 'handoff-faults' } as Context);
};

describe('an IVR hand-off message the worker cannot use', () => {
  it('fails that record alone, logged with its message id and the failing fields, and counted', async () => {
    const error = vi.spyOn(logger, 'error');
    const metric = vi.spyOn(metrics, 'addMetric');
    const poison = { kind: 'ivr-callback', connectContactId: '', request: { phone: '+8613910012001' } };
    await expect(worker(sqsRecord('h-poison', JSON.stringify(poison)))).rejects.toThrow(
      FullBatchFailureError,
    );
    const line = error.mock.calls.find((c) => JSON.stringify(c).includes('h-poison'));
    expect(line?.[0]).toBe('ivr hand-off: message is not an IVR hand-off; redelivered, then kept in the DLQ');
    expect(line?.[1]).toMatchObject({ messageId: 'h-poison', receiveCount: '1' });
    const paths = (line?.[1] as { problems: { path: string }[] } | undefined)?.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['connectContactId', 'request.accountId']));
    expect(JSON.stringify(line)).not.toContain('+8613910012001');
    expect(metric.mock.calls.filter(([n]) => n === 'IvrHandoffFailures').map((c) => c[2])).toEqual([1]);
  });

  it('a body that is not JSON is refused the same way', async () => {
    const error = vi.spyOn(logger, 'error');
    await expect(worker(sqsRecord('h-garbled', 'not json'))).rejects.toThrow(FullBatchFailureError);
    const line = error.mock.calls.find((c) => JSON.stringify(c).includes('h-garbled'));
    expect(line?.[1]).toMatchObject({ problems: [{ path: '(root)' }] });
  });
});
