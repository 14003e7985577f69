/**
 * The card's alert log keeps the newest alerts "however many daily reports went out" (1e0ac2e):
 * the card filters what GET /accounts/{id}/notifications returns, so the endpoint must not let a
 * week of daily-report lines (one per recipient per day) push the alerts out of its window first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackingRoutes } from '#functions/tracking/routes.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

const ACCOUNT = 'acc-alpina-chocolate';
let db: DocumentClient;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  await loadDemo();
  db = createDocumentClient();
  api = apiClient((await import('#functions/tracking/handler.ts')).handler, trackingRoutes);
});
afterAll(() => db.destroy());

describe("an account's notification log with many daily reports", () => {
  it('still answers the alerts sent before a week of reports to a dozen recipients', async () => {
    const repo = new NotificationRepo(db, TABLE_NAME());
    const day = (d: number, h = 0) => new Date(Date.UTC(2030, 10, 1 + d, h)).toISOString();
    await repo.log({
      id: 'alert-1',
      at: day(0, 1),
      accountId: ACCOUNT,
      kind: 'alert',
      waybill: 'KL0000000001',
      severity: 'major',
      channel: 'sms',
      recipient: '+8613800000000',
      contactName: '王芳',
      status: 'sent',
    });
    for (let d = 1; d <= 7; d++)
      for (let c = 0; c < 12; c++)
        await repo.log({
          id: `report-${d}-${c}`,
          at: day(d, 0),
          accountId: ACCOUNT,
          kind: 'daily-report',
          waybill: '',
          severity: '',
          channel: 'email',
          recipient: `c${c}@example.cn`,
          contactName: `c${c}`,
          status: 'sent',
        });
    const r = await api('GET', `/accounts/${ACCOUNT}/notifications`);
    expect(r.status).toBe(200);
    const items = r.json.items as { id: string; kind?: string; at: string }[];
    expect(items.find((n) => n.kind !== 'daily-report')?.id).toBe('alert-1');
    // The latest day's reports are there too, newest first.
    expect(items.filter((n) => n.at === day(7, 0))).toHaveLength(12);
  });
});
