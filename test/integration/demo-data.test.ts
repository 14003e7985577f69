import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '#local/demo/accounts.ts';
import { loadDemoData, loadDemoShipments } from '#local/demo/load.ts';
import { SEGMENTS } from '#shared/accounts/model.ts';
import { normalizePhone } from '#shared/accounts/phone.ts';
import { QUADRANTS, TIERS } from '#shared/accounts/prioritization.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

describe('demo book of business', () => {
  it('loads, covering every segment, tier and quadrant, and reloading changes nothing', async () => {
    const store = new Accounts(createDocumentClient(), TABLE_NAME());
    expect(await loadDemoData(store)).toEqual({ created: DEMO_ACCOUNTS.length, updated: 0, unchanged: 0 });
    const all = await store.list();
    expect(all.length).toBeGreaterThanOrEqual(15);
    expect(new Set(all.map((a) => a.segment))).toEqual(new Set(SEGMENTS));
    expect(new Set(all.map((a) => a.tier))).toEqual(new Set(TIERS));
    expect(new Set(all.map((a) => a.reviewQuadrant))).toEqual(new Set(QUADRANTS));
    expect(await loadDemoData(store)).toEqual({ created: 0, updated: 0, unchanged: DEMO_ACCOUNTS.length });
  });

  it('has a forwarder number shared by several accounts, highest priority first', async () => {
    const store = new Accounts(createDocumentClient(), TABLE_NAME());
    const phone = normalizePhone('021 5888 1234');
    if (!phone.ok) throw new Error(phone.reason);
    const hits = await store.findByPhone(phone.e164);
    expect(hits.length).toBeGreaterThanOrEqual(3);
    expect(hits.map((h) => h.priorityScore)).toEqual(
      [...hits.map((h) => h.priorityScore)].sort((a, b) => b - a),
    );
  });

  it('copies each account’s tier and delay tolerance onto its shipments, so detection needs no extra read', async () => {
    const db = createDocumentClient();
    const accounts = new Accounts(db, TABLE_NAME());
    await loadDemoData(accounts);
    const shipments = new Shipments(db, TABLE_NAME());
    await loadDemoShipments(shipments);
    for (const id of ['acc-kangtai-pharma', 'acc-jinhe-grain']) {
      const account = await accounts.get(id);
      const open = await shipments.listByAccount(id, 'open');
      expect(open.length).toBeGreaterThan(0);
      for (const s of open) {
        expect(s.tier).toBe(account?.derived.tier);
        expect(s.delayToleranceMinutes).toBe(account?.delayToleranceMinutes);
      }
    }
    expect((await accounts.get('acc-kangtai-pharma'))?.delayToleranceMinutes).toBe(30);
    expect((await accounts.get('acc-jinhe-grain'))?.delayToleranceMinutes).toBe(60);
  });

  it('has English-speaking contacts', () => {
    const english = DEMO_ACCOUNTS.flatMap((a) => a.contacts ?? []).filter((c) => c.language === 'en');
    expect(english.length).toBeGreaterThanOrEqual(3);
  });
});
