/**
 * The tracking event's dedup key moved from EVENT#<at>#<id> to EVENT#<id>. An event the feed
 * delivered before the deploy, redelivered after it (SQS at least once, a TMS resend), is applied
 * again until `keyline migrate event-keys` copied it under its id; then it is a duplicate.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { hasOldEventKey } from '#shared/shipments/event-key-migration.ts';
import { ingestBatch } from '#shared/shipments/ingest.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { cli } from '../support/cli.ts';
import { inTransitShipment } from '../support/delays.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const store = () => new Shipments(db, TABLE_NAME());
const now = new Date();
const h = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
/** The same instant as the feed may write it, in Beijing time. */
const cst = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');

beforeAll(() => loadDemo());
afterAll(() => db.destroy());

describe('tracking events stored under the old key', () => {
  it('tells the old key from the new one by the item’s own at and event id, whatever the id holds', () => {
    const at = '2026-11-27T18:00:00+08:00';
    const tricky = `${at}#scan-7`;
    expect(hasOldEventKey({ sk: `EVENT#${at}#ev-1`, at, eventId: 'ev-1' })).toBe(true);
    expect(hasOldEventKey({ sk: `EVENT#${at}#${tricky}`, at, eventId: tricky })).toBe(true);
    // Under the new key, an id that looks like an old key's tail.
    expect(hasOldEventKey({ sk: `EVENT#${tricky}`, at, eventId: tricky })).toBe(false);
    expect(hasOldEventKey({ sk: 'EVENT#ev-1', at, eventId: 'ev-1' })).toBe(false);
    expect(hasOldEventKey({ sk: 'SHIPMENT', at, eventId: 'ev-1' })).toBe(false);
  });

  it('are duplicates once `keyline migrate event-keys` copied them; a dry run counts, a second run has nothing to do', async () => {
    const waybill = `EVK${String(now.getTime()).slice(-8)}`;
    await store().create(
      inTransitShipment(now, {
        waybill,
        accountId: 'acc-jinhe-grain',
        milestones: [{ milestone: 'departed', at: h(-6), location: '哈尔滨' }],
        lastEventAt: h(-6),
        nextMilestoneDueAt: h(7),
        tier: 'key',
        updatedAt: h(-6),
      }),
      now,
    );
    const event = (eventId: string, at: string) => ({
      eventId,
      waybill,
      accountId: 'acc-jinhe-grain',
      milestone: 'arrived-at-hub',
      location: '济南转运中心',
      at: cst(at),
    });
    const ev0 = event(`ev-0-${waybill}`, h(-5));
    const ev1 = event(`ev-1-${waybill}`, h(-4));
    // An id may hold `#`, even look like an old key's time and id.
    const ev2 = event(`${cst(h(-9))}#ev-2-${waybill}`, h(-3));
    const ev3 = event(`ev-3-${waybill}`, h(-2));
    expect(await ingestBatch(store(), [ev0, ev1, ev2, ev3], now)).toMatchObject({ applied: 4 });

    // As the release before this one stored ev0..ev2: under EVENT#<at>#<eventId>, `at` as sent.
    const oldKey = (e: typeof ev0) => ({ pk: `SHIPMENT#${waybill}`, sk: `EVENT#${e.at}#${e.eventId}` });
    for (const e of [ev0, ev1, ev2]) {
      const Key = keys.shipment.event(waybill, e.eventId);
      const { Item } = await db.send(new GetCommand({ TableName: TABLE_NAME(), Key, ConsistentRead: true }));
      expect(Item).toBeDefined();
      await db.send(new DeleteCommand({ TableName: TABLE_NAME(), Key }));
      await db.send(new PutCommand({ TableName: TABLE_NAME(), Item: { ...Item, ...oldKey(e), at: e.at } }));
    }

    // Before the migration, a redelivery of one is not found: applied again (kept, as older).
    const later = new Date(now.getTime() + 60_000);
    expect(await ingestBatch(store(), [ev0], later)).toMatchObject({ duplicates: 0 });

    // ev0 is under its id now, ev3 always was: ev1 and ev2 are left to copy.
    const dry = await cli('migrate', 'event-keys', '--dry-run', '--lang', 'en');
    expect(dry.code).toBe(0);
    expect(dry.output).toContain('2 tracking event(s) under the old key would be copied');
    const get = (Key: Record<string, string>) =>
      db.send(new GetCommand({ TableName: TABLE_NAME(), Key, ConsistentRead: true }));
    expect((await get(keys.shipment.event(waybill, ev1.eventId))).Item).toBeUndefined();

    const first = await cli('migrate', 'event-keys', '--lang', 'zh-CN');
    expect(first.code).toBe(0);
    expect(first.output).toContain('2 个旧键下的跟踪事件已复制到按事件编号的新键下');
    for (const e of [ev1, ev2]) {
      const copy = (await get(keys.shipment.event(waybill, e.eventId))).Item;
      expect(copy).toMatchObject({ entity: 'TrackingEvent', eventId: e.eventId, at: e.at, waybill });
      // The old item stays.
      expect((await get(oldKey(e))).Item).toMatchObject({ eventId: e.eventId });
    }

    const before = await store().get(waybill);
    const again = await ingestBatch(store(), [ev0, ev1, ev2, ev3], new Date(now.getTime() + 120_000));
    expect(again).toMatchObject({ duplicates: 4, applied: 0, stale: 0 });
    expect((await store().get(waybill))?.version).toBe(before?.version);

    const dryAgain = await cli('migrate', 'event-keys', '--dry-run', '--lang', 'en');
    expect(dryAgain.output).toContain('0 tracking event(s) under the old key would be copied');
    const second = await cli('migrate', 'event-keys', '--lang', 'en');
    expect(second.code).toBe(0);
    expect(second.output).toContain('nothing to do');
  });
});
