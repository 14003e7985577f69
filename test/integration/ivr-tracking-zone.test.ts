/**
 * The IVR tells an owner the ETA "as the delay alerts give it" (b48001c): the alerts give it in the
 * contact's zone (callZone: the contact's own, else the number's, else the account's). A contact
 * with a zone of their own, calling from a number whose country has another (or several), must
 * hear the time their alerts and callbacks are in, not the number's guess.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { demoWaybill } from '#local/demo/shipments.ts';
import { callZone } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { formatTime } from '#shared/platform/messages/index.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

type Handler = (event: unknown) => Promise<Record<string, string>>;
let handler: Handler;
let db: DocumentClient;
const US_MOBILE = '+14155550100';

beforeAll(async () => {
  await loadDemo();
  db = createDocumentClient();
  // Lukas Müller (Alpina, his zone Europe/Zurich) gets a US mobile he travels with.
  await new Accounts(db, TABLE_NAME()).addPhone(
    'acc-alpina-chocolate',
    'alpina-mueller',
    US_MOBILE,
    'mobile',
  );
  process.env.LOOKUP_BUDGET_MS = '1500';
  ({ handler } = (await import('#functions/ivr-tracking/handler.ts')) as { handler: Handler });
});
afterAll(() => db.destroy());

describe('the ETA an owner hears on the IVR', () => {
  it("is in the contact's own zone, the one their alerts give, not the calling number's", async () => {
    const account = await new Accounts(db, TABLE_NAME()).require('acc-alpina-chocolate');
    const lukas = account.contacts.find((c) => c.id === 'alpina-mueller');
    if (!lukas) throw new Error('the demo lost Lukas Müller');
    const alertsZone = callZone(lukas, account.timeZone);
    expect(alertsZone).toBe('Europe/Zurich');
    const a = await handler(
      contactFlowEvent({ from: US_MOBILE, parameters: { waybill: demoWaybill(1, 0) } }),
    );
    expect(a).toMatchObject({ found: 'true', owner: 'true', language: 'en' });
    const at = (zone: string) => formatTime(a.eta ?? '', 'en', zone, 'spoken-hour');
    expect(at('Europe/Zurich')).not.toBe(at('America/New_York'));
    expect(a.prompt).toContain(`Expected delivery: ${at(alertsZone)}`);
  });
});
