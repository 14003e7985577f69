/**
 * The IVR speaks an owner's ETA in the zone kept on the phone lookup item (a593ae0). Items written
 * before it have none, and an account save that changes nothing (a re-import of the same file)
 * does not rewrite them: those owners keep hearing the calling number's zone until
 * `keyline migrate lookup-zones` gives the items their zone.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { demoWaybill } from '#local/demo/shipments.ts';
import { backfillLookupZones } from '#shared/accounts/lookup-zone-migration.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { formatTime } from '#shared/platform/messages/index.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

type Handler = (event: unknown) => Promise<Record<string, string>>;
let handler: Handler;
let db: DocumentClient;
const US_MOBILE = '+14155550111';
const ACCOUNT = 'acc-alpina-chocolate';

beforeAll(async () => {
  await loadDemo();
  db = createDocumentClient();
  await new Accounts(db, TABLE_NAME()).addPhone(ACCOUNT, 'alpina-mueller', US_MOBILE, 'mobile');
  // As the item was written before lookups kept the zone.
  await db.send(
    new UpdateCommand({
      TableName: TABLE_NAME(),
      Key: keys.phone.item(US_MOBILE, ACCOUNT, 'alpina-mueller'),
      UpdateExpression: 'REMOVE #z',
      ExpressionAttributeNames: { '#z': 'timeZone' },
    }),
  );
  process.env.LOOKUP_BUDGET_MS = '1500';
  ({ handler } = (await import('#functions/ivr-tracking/handler.ts')) as { handler: Handler });
});
afterAll(() => db.destroy());

describe('phone lookups written before they kept the zone', () => {
  it("are given the contact's zone by the migration, and the IVR then speaks it", async () => {
    const call = () =>
      handler(contactFlowEvent({ from: US_MOBILE, parameters: { waybill: demoWaybill(1, 0) } }));
    const before = await call();
    const at = (zone: string) => formatTime(before.eta ?? '', 'en', zone, 'spoken-hour');
    expect(at('Europe/Zurich')).not.toBe(at('America/New_York'));
    // The harm: the number's guess.
    expect(before.prompt).toContain(`Expected delivery: ${at('America/New_York')}`);
    const dry = await backfillLookupZones(db, TABLE_NAME(), undefined, { dryRun: true });
    expect(dry.updated).toBeGreaterThanOrEqual(1);
    const r = await backfillLookupZones(db, TABLE_NAME());
    expect(r.updated).toBeGreaterThanOrEqual(1);
    const after = await call();
    expect(after.prompt).toContain(`Expected delivery: ${at('Europe/Zurich')}`);
    // Idempotent: nothing left to give a zone.
    expect((await backfillLookupZones(db, TABLE_NAME())).updated).toBe(0);
  });
});
