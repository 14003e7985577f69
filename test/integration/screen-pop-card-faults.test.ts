/**
 * The screen-pop card against DynamoDB Local behind the fault-injecting proxy, and across the
 * daily churn run's hours: the churn risk is an extra on the card, so a throttled read of it does
 * not fail the card of a known caller, and the early hours of a week (before the 06:00 run) still
 * show last week's risk.
 */
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenPopRoutes } from '#functions/screen-pop-api/routes.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { addWeeks, weekOf } from '#shared/analytics/weeks.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { complaintPolicyFromEnv } from '#shared/complaints/config.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { accountCard, type CardDeps } from '#shared/inbound/card.ts';
import { CallLog } from '#shared/inbound/directory.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let proxy: DynamoProxy;
let card: ReturnType<typeof apiClient>;
const ACCOUNT = 'acc-card-faults';
const RISK = {
  score: 72,
  level: 'high' as const,
  reasons: [{ signal: 'volume' as const, points: 30, text: { 'zh-CN': '发货量下降', en: 'Volume fell' } }],
};

beforeAll(async () => {
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  const db = createDocumentClient();
  await new Accounts(db, TABLE_NAME()).save(ACCOUNT, AccountInput.parse(accountBody()));
  await new WeeklyAggregates(db, TABLE_NAME()).recordChurn(weekOf(new Date()), ACCOUNT, RISK);
  db.destroy();
  card = apiClient((await import('#functions/screen-pop-api/handler.ts')).handler, screenPopRoutes);
});
afterEach(async () => {
  await proxy.settled();
  proxy.reset();
});
afterAll(() => proxy.stop());

describe('the screen-pop card under faults', () => {
  it('still draws a known caller’s card when the churn risk cannot be read (a throttled week)', async () => {
    expect((await card('GET', `/accounts/${ACCOUNT}/screen-pop`)).json.churn).toMatchObject({ score: 72 });
    proxy.fault = { ops: ['BatchGetItem'], fail: 'throttle' };
    const res = await card('GET', `/accounts/${ACCOUNT}/screen-pop`);
    expect(res.status).toBe(200);
    expect(res.json.account.id).toBe(ACCOUNT);
    expect(res.json.churn).toBeUndefined();
  });

  it('shows last week’s churn risk in a week’s first hours, before the daily run scores it', async () => {
    const db = createDocumentClient();
    const campaigns = new Campaigns(db, TABLE_NAME());
    const deps: CardDeps = {
      accounts: new Accounts(db, TABLE_NAME()),
      aggregates: new WeeklyAggregates(db, TABLE_NAME()),
      shipments: new Shipments(db, TABLE_NAME()),
      calls: new CallLog(db, TABLE_NAME()),
      complaints: new Complaints(db, TABLE_NAME(), campaigns, complaintPolicyFromEnv()),
    };
    // Next Monday, 02:00 in Shanghai: the week has begun, its 06:00 run has not scored it yet.
    const monday = DateTime.now()
      .setZone('Asia/Shanghai')
      .startOf('week')
      .plus({ weeks: 1, hours: 2 })
      .toJSDate();
    expect(addWeeks(weekOf(monday), -1)).toBe(weekOf(new Date()));
    const c = await accountCard(deps, ACCOUNT, undefined, monday);
    expect(c?.churn).toMatchObject({ score: 72, level: 'high' });
    db.destroy();
  });
});
