/**
 * The escalation run reads the due complaints first and announces each in turn: a complaint an
 * agent resolved after that read (while the run worked the ones before it) is no escalation. The
 * levels are announced before the raise now, so the raise's status condition no longer stops it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

let db: DocumentClient;
beforeAll(async () => {
  db = createDocumentClient();
  await loadDemo();
});
afterAll(() => db.destroy());

const MIN = 60_000;

describe('a complaint resolved after the escalation run read it', () => {
  it('is not announced as escalated, and keeps its level', async () => {
    const s = new Complaints(db, TABLE_NAME(), new Campaigns(db, TABLE_NAME()));
    const account = await new Accounts(db, TABLE_NAME()).require('acc-meilian-appliances');
    // A key account's critical complaint: at risk after 6 h (L1).
    const created = new Date(Date.now() - 6 * 60 * MIN - 2 * MIN);
    const { complaint } = await s.create(
      {
        accountId: account.id,
        contactId: 'meilian-deng',
        waybills: [],
        category: 'damage',
        severity: 'critical',
        channel: 'agent-phone',
        description: '外箱压坏，已补发',
      },
      account,
      'agent-1',
      { now: created },
    );
    const now = new Date();
    // The run's read of the due index...
    const { items } = await s.dueForEscalation(now);
    const seen = items.find((c) => c.id === complaint.id);
    expect(seen?.escalationLevel).toBe(0);
    // ...then the agent resolves it, before the run gets to it.
    let v = 1;
    for (const to of ['acknowledged', 'in-progress', 'resolved'] as const)
      await s.transition(complaint.id, to, { version: v++, by: 'agent-1', now });
    const announced: number[] = [];
    const outcome = await s.escalate(seen as NonNullable<typeof seen>, now, async (level) => {
      announced.push(level);
    });
    expect(announced).toEqual([]);
    expect(outcome).toEqual({ raised: false, published: 0, failed: false });
    expect((await s.require(complaint.id)).escalationLevel).toBe(0);
  });
});
