/**
 * A proactive delay call the dialer ended unplaced (skipped: the delay was cleared by the moment
 * of the call) does not hold the waybill for 30 days: the same shipment's delay detected again,
 * critical, books a call again, and that one is placed.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { PROACTIVE_CAMPAIGN, proactiveCall } from '#shared/notify/proactive-call.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { delayDetected, delayedShipment } from '../support/delays.ts';
import { RecordingDialer } from '../support/dialer.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const campaigns = () => new Campaigns(db, TABLE_NAME());
const accounts = () => new Accounts(db, TABLE_NAME());
const shipments = () => new Shipments(db, TABLE_NAME());
beforeAll(() => {
  process.env.AWS_REGION ??= 'cn-north-1';
});
afterAll(() => db.destroy());

const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);
function dial(at: Date) {
  let clock = at.getTime();
  const dialer = new RecordingDialer();
  const run = runDialer(
    { campaigns: campaigns(), accounts: accounts().repo, dialer },
    {
      quotaPerSecond: 2,
      burst: 5,
      maxRunMs: 50_000,
      maxConcurrency: 1,
      now: () => new Date(clock),
      sleep: async (ms) => {
        clock += ms;
      },
    },
  );
  return run.then(() => dialer);
}

describe('a proactive delay call skipped as the delay was cleared, the delay then detected again', () => {
  it('books a call about the delay detected again', async () => {
    const T = new Date('2026-11-23T02:00:00Z'); // a Monday, 10:00 in Shanghai
    const { account } = await accounts().save(
      'acc-review-redetect',
      AccountInput.parse(
        accountBody({
          contacts: [
            {
              id: 'c-1',
              name: '联系人',
              phones: [{ number: '+8613950009902', label: 'mobile' as const }],
              consent: { calls: true, sms: true, email: true },
            },
          ],
        }),
      ),
      { now: T },
    );
    const waybill = '7299099001';
    const s = delayedShipment(waybill, T);
    if (!s.delay) throw new Error('delayedShipment gives a delay');
    await shipments().create(
      { ...s, accountId: account.id, delay: { ...s.delay, severity: 'critical', state: 'detected' } },
      T,
    );
    const hook = { db, tableName: TABLE_NAME(), campaigns: campaigns(), accounts: accounts() };
    const first = await proactiveCall(
      hook,
      delayDetected({ waybill, accountId: account.id, severity: 'critical', createdAt: T.toISOString() }),
      T,
    );
    expect(first).toBeDefined();

    // Back on schedule for a moment: an agent clears the delay; the dialer ends the call as not needed.
    await shipments().updateDelay(waybill, { action: 'clear' }, plus(T, 5));
    const d1 = await dial(plus(T, 6));
    expect(d1.calls).toHaveLength(0);
    expect(await campaigns().requireCallback(first ?? '')).toMatchObject({
      state: 'skipped',
      skipReason: 'delay-cleared',
    });

    // An hour later the shipment is held up again: the delay is detected again, critical, and announced.
    const again = plus(T, 60);
    await db.send(
      new UpdateCommand({
        TableName: TABLE_NAME(),
        Key: keys.shipment.item(waybill),
        UpdateExpression: 'SET #d = :d, version = version + :one',
        ExpressionAttributeNames: { '#d': 'delay' },
        ExpressionAttributeValues: {
          ':d': { ...s.delay, severity: 'critical', state: 'detected', detectedAt: again.toISOString() },
          ':one': 1,
        },
      }),
    );
    await proactiveCall(
      hook,
      delayDetected({ waybill, accountId: account.id, severity: 'critical', createdAt: again.toISOString() }),
      again,
    );
    const waiting = (await campaigns().listCallbacks(PROACTIVE_CAMPAIGN)).filter(
      (c) => c.waybill === waybill && (c.state === 'scheduled' || c.state === 'retry-scheduled'),
    );
    expect(waiting).toHaveLength(1);
    const d2 = await dial(plus(again, 1));
    expect(d2.calls).toHaveLength(1);
  });
});
