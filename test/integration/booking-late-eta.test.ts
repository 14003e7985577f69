/**
 * A booking whose ETA is already past its promise (the TMS knows the carrier runs late): the
 * shipment is counted delayed and shows late on the card from the start, so the client must be
 * told as a scan with that ETA would tell them, not only once the promise has run out.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackingRoutes } from '#functions/tracking/routes.ts';
import { loadDemoData } from '#local/demo/load.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { isOpenAndDelayed } from '#shared/shipments/model.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

const ACCOUNT = 'acc-jinhe-grain';
const h = (x: number) => new Date(Date.now() + x * 3_600_000).toISOString();
let db: DocumentClient;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = createDocumentClient();
  await loadDemoData(new Accounts(db, TABLE_NAME()));
  api = apiClient((await import('#functions/tracking/handler.ts')).handler, trackingRoutes);
});
afterAll(() => db.destroy());

describe('a booking that is late already', () => {
  it('records the delay and announces it at once, as a scan with that ETA would', async () => {
    const waybill = `BKLATE${Date.now() % 1_000_000}`;
    const res = await api('PUT', `/shipments/${waybill}`, {
      accountId: ACCOUNT,
      origin: '济南',
      destination: '上海',
      consignee: { name: '上海华联配送中心', address: '上海市浦东新区' },
      cargo: '食用油 20 吨',
      promisedAt: h(30),
      eta: h(30 + 20),
      bookedAt: h(-1),
    });
    expect(res.status).toBe(201);
    const s = await new Shipments(db, TABLE_NAME()).get(waybill);
    if (!s) throw new Error('not booked');
    // Counted and shown delayed ...
    expect(isOpenAndDelayed(s, new Date())).toBe(true);
    // ... so it is a delay the client hears of.
    expect(s.delay?.state).toBe('detected');
    const outbox = await db.send(
      new GetCommand({
        TableName: TABLE_NAME(),
        Key: keys.outbox.item(
          keys.outbox.delayDetectedId(waybill, s.delay?.severity ?? 'minor', s.delay?.detectedAt ?? ''),
        ),
      }),
    );
    expect(outbox.Item).toMatchObject({ eventType: 'DelayDetected', payload: { waybill } });
  });
});
