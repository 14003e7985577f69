/**
 * The SLA escalation run under faults, against DynamoDB Local behind the fault-injecting proxy:
 * an agent's change at the same moment (the proxy holds the agent's write back while the run
 * raises the level) leaves the level raised and announces no level twice; a run that dies while
 * it announces (its Lambda timed out on a hung publish) leaves the level to a later run to
 * announce, not announced by no one; a complaint resolved after the run read it is not announced.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { runEscalation } from '#shared/complaints/escalation.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { createDocumentClient, type DocumentClient } from '#shared/platform/dynamo/client.ts';
import { type EventPublisher, SnsEventPublisher } from '#shared/platform/events.ts';
import { loadDemo } from '../support/demo.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

let proxy: DynamoProxy;
let db: DocumentClient;
const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:cn-north-1:123456789012:keyline-escalations';

beforeAll(async () => {
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  db = createDocumentClient();
  await loadDemo();
});
afterEach(async () => {
  await proxy.settled();
  proxy.reset();
  sns.reset();
});
afterAll(async () => {
  db.destroy();
  await proxy.stop();
});

const MIN = 60_000;

/** A 美联 complaint filed at `filedAt` by an agent: the store, the complaint. */
async function filed(
  filedAt: Date,
  o: { category: 'damage' | 'loss'; severity: 'critical' | 'high'; description: string },
) {
  const s = new Complaints(db, TABLE_NAME(), new Campaigns(db, TABLE_NAME()));
  const account = await new Accounts(db, TABLE_NAME()).require('acc-meilian-appliances');
  const input = {
    accountId: account.id,
    contactId: 'meilian-deng',
    waybills: [],
    channel: 'agent-phone' as const,
    ...o,
  };
  const { complaint } = await s.create(input, account, 'agent-1', { now: filedAt });
  return { s, complaint };
}

describe('an agent’s change racing the escalation run', () => {
  it('keeps the level the run raised, and the next run announces nothing again', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    // A key account's critical complaint: resolve by 8 h, at risk after 6 h (L1).
    const created = new Date(Date.now() - 6 * 60 * MIN - 2 * MIN);
    const { s, complaint } = await filed(created, {
      category: 'damage',
      severity: 'critical',
      description: '整批冰箱外箱压坏',
    });
    await s.transition(complaint.id, 'acknowledged', {
      version: 1,
      by: 'agent-1',
      now: new Date(created.getTime() + MIN),
    });
    const publisher = new SnsEventPublisher(new SNSClient({ region: 'cn-north-1' }), TOPIC);
    const now = new Date();
    // The agent starts work on it; their write (the complaint put on its version) is held back...
    proxy.fault = { delayMs: 1_500, when: (b) => b.includes(complaint.id) && b.includes('#v = :v') };
    const started = s.transition(complaint.id, 'in-progress', { version: 2, by: 'agent-1', now });
    await new Promise((r) => setTimeout(r, 500));
    // ...while the run raises the complaint to L1 and announces it.
    await runEscalation(s, publisher, now);
    await started;
    proxy.reset();
    await runEscalation(s, publisher, new Date(now.getTime() + MIN));
    const levels = sns
      .commandCalls(PublishCommand)
      .map((c) => JSON.parse(String(c.args[0].input.Message)))
      .filter((m) => m.complaintId === complaint.id)
      .map((m) => m.level);
    expect(levels).toEqual([1]);
    const after = await s.require(complaint.id);
    expect(after).toMatchObject({ status: 'in-progress', escalationLevel: 1 });
    expect(after.history.filter((h) => h.action === 'escalated')).toHaveLength(1);
  });

  it('announces a level whose run died while announcing it, once, from a later run', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    // Acknowledge-by 1 h: at risk (L1) after 45 min, breached (L2) after 60.
    const now = new Date();
    const { s, complaint } = await filed(new Date(now.getTime() - 46 * MIN), {
      category: 'loss',
      severity: 'high',
      description: '整箱丢失，无人回复',
    });
    // The run's publish hangs until its Lambda times out: the run never finishes.
    let reached: () => void = () => {};
    const publishing = new Promise<void>((r) => {
      reached = r;
    });
    const hung: EventPublisher = {
      publish: (e) => {
        if (e.payload.complaintId === complaint.id) reached();
        return new Promise(() => {});
      },
    };
    void runEscalation(s, hung, now);
    await publishing;
    const publisher = new SnsEventPublisher(new SNSClient({ region: 'cn-north-1' }), TOPIC);
    // The runs of the next minutes, on new instances, one long after the dead run's time was up.
    for (const later of [1, 2, 8, 9])
      await runEscalation(s, publisher, new Date(now.getTime() + later * MIN));
    const levels = sns
      .commandCalls(PublishCommand)
      .map((c) => JSON.parse(String(c.args[0].input.Message)))
      .filter((m) => m.complaintId === complaint.id)
      .map((m) => m.level);
    expect(levels).toEqual([1]);
    const after = await s.require(complaint.id);
    expect(after.escalationLevel).toBe(1);
    expect(after.history.filter((h) => h.action === 'escalated')).toHaveLength(1);
  });
});

/**
 * The escalation run reads the due complaints first and announces each in turn: a complaint an
 * agent resolved after that read (while the run worked the ones before it) is no escalation. The
 * levels are announced before the raise, so the raise's status condition alone would not stop it.
 */
describe('a complaint resolved after the escalation run read it', () => {
  it('is not announced as escalated, and keeps its level', async () => {
    // A key account's critical complaint: at risk after 6 h (L1).
    const created = new Date(Date.now() - 6 * 60 * MIN - 2 * MIN);
    const { s, complaint } = await filed(created, {
      category: 'damage',
      severity: 'critical',
      description: '外箱压坏，已补发',
    });
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
