/** The tracking feed under a transient DynamoDB failure: only the failed message is retried, and applied once. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { inTransitShipment } from '../support/delays.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { sqsRecord } from '../support/events.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

let proxy: DynamoProxy;
const now = new Date();
const h = (x: number) => new Date(now.getTime() + x * 3_600_000).toISOString();
beforeAll(async () => {
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
});
afterAll(() => proxy.stop());

it('a throttled write fails only its own message; the others in the batch are applied, and the redelivery applies it once', async () => {
  const store = new Shipments(createDocumentClient(), TABLE_NAME());
  const mk = async (waybill: string) => {
    const s = inTransitShipment(now, {
      waybill,
      accountId: 'acc-chk',
      lastEventAt: h(-5),
      nextMilestoneDueAt: h(7),
    });
    await store.create(s, now);
    return s;
  };
  const a = await mk('CHK0000001');
  const b = await mk('CHK0000002');
  const ev = (w: string, id: string) => ({
    eventId: id,
    waybill: w,
    accountId: 'acc-chk',
    milestone: 'arrived-at-hub',
    location: 'X',
    at: h(-1),
  });
  const { handler } = await import('#functions/tracking-feed/handler.ts');
  proxy.fault = {
    ops: ['TransactWriteItems'],
    fail: 'throttle',
    when: (body) => body.includes('CHK0000001'),
  };
  const batch = {
    Records: [
      sqsRecord('ma', JSON.stringify(ev(a.waybill, 'ea'))),
      sqsRecord('mb', JSON.stringify(ev(b.waybill, 'eb'))),
    ],
  };
  const ctx = { awsRequestId: 'r', functionName: 'feed', getRemainingTimeInMillis: () => 10_000 } as never;
  expect(await handler(batch as never, ctx)).toEqual({ batchItemFailures: [{ itemIdentifier: 'ma' }] });
  expect((await store.get(b.waybill))?.milestones).toHaveLength(2);
  proxy.fault = undefined;
  expect(await handler({ Records: batch.Records.slice(0, 1) } as never, ctx)).toEqual({
    batchItemFailures: [],
  });
  expect(await handler({ Records: batch.Records.slice(0, 1) } as never, ctx)).toEqual({
    batchItemFailures: [],
  });
  expect((await store.get(a.waybill))?.milestones).toHaveLength(2);
});
