import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { complaintRoutes } from '#functions/complaints/routes.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { backfillCountsIndex } from '#shared/accounts/counts-migration.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { TERMINAL } from '#shared/campaigns/callback.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { runEscalation } from '#shared/complaints/escalation.ts';
import { type ComplaintPolicy, DEFAULT_COMPLAINT_POLICY } from '#shared/complaints/lifecycle.ts';
import type { ComplaintInput } from '#shared/complaints/model.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { SnsEventPublisher } from '#shared/platform/events.ts';
import { inBoth } from '#shared/platform/messages/index.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { storeAsOwnItemCounted } from '../support/complaints.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let api: ReturnType<typeof apiClient>;
let ivr: (e: unknown) => Promise<Record<string, string>>;
const db = createDocumentClient();
const accounts = () => new Accounts(db, TABLE_NAME());
const campaigns = () => new Campaigns(db, TABLE_NAME());
const store = (o: Partial<ComplaintPolicy> = {}) =>
  new Complaints(db, TABLE_NAME(), new Campaigns(db, TABLE_NAME()), { ...DEFAULT_COMPLAINT_POLICY, ...o });
const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:cn-north-1:123456789012:keyline-escalations';

beforeAll(async () => {
  await loadDemo();
  api = apiClient((await import('#functions/complaints/handler.ts')).handler, complaintRoutes);
  ivr = (await import('#functions/ivr-complaint/handler.ts')).handler;
});
afterEach(() => sns.reset());

const body = (o: Record<string, unknown> = {}) => ({
  accountId: 'acc-jinhe-grain',
  contactId: 'jinhe-zhao',
  waybills: ['7100000000'],
  category: 'delay',
  severity: 'critical',
  description: '天津仓到北京的食用油晚到一天，影响门店补货。',
  ...o,
});

const openCount = async (accountId: string) =>
  (await new Shipments(db, TABLE_NAME()).stats(accountId)).openComplaints;

describe('complaint intake (HTTP) against DynamoDB Local', () => {
  it('records a complaint once per Idempotency-Key, with the SLA of a key-account critical complaint', async () => {
    const before = await openCount('acc-jinhe-grain');
    const headers = { 'Idempotency-Key': 'complaint-jinhe-0001' };
    const a = await api('POST', '/complaints', body(), headers);
    const b = await api('POST', '/complaints', body(), headers);
    expect(a.status).toBe(201);
    expect(b.json.id).toBe(a.json.id);
    expect(a.json).toMatchObject({
      status: 'open',
      tier: 'key',
      clock: '24x7',
      contactName: '赵敏',
      version: 1,
      escalationLevel: 0,
    });
    expect(a.json.reference).toMatch(/^\d{10}$/);
    expect(Date.parse(a.json.ackDueAt) - Date.parse(a.json.createdAt)).toBe(30 * 60_000);
    expect(Date.parse(a.json.resolveDueAt) - Date.parse(a.json.createdAt)).toBe(8 * 3_600_000);
    expect(a.json.sla).toMatchObject({ ack: 'on-track', current: 'on-track' });
    expect(a.json.allowedTransitions).toEqual(['acknowledged']);
    expect(await openCount('acc-jinhe-grain')).toBe(before + 1);
  });

  it('answers 400 naming the fields, and for an unknown account', async () => {
    const bad = await api(
      'POST',
      '/complaints',
      body({ category: 'rude', severity: 'urgent', description: '' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.category',
      'body.description',
      'body.severity',
    ]);
    // Asked in Chinese (the desktop sends the agent's language), the wording is plain Chinese.
    const zh = await api(
      'POST',
      '/complaints',
      { ...body({ severity: 'urgent' }), description: undefined },
      { 'accept-language': 'zh-CN' },
    );
    expect(zh.json.errors).toEqual([
      { path: 'body.severity', message: '应为以下之一："low"、"medium"、"high"、"critical"' },
      { path: 'body.description', message: '必填' },
    ]);
    const unknown = await api('POST', '/complaints', body({ accountId: 'acc-nobody' }));
    expect(unknown.json.errors).toEqual([
      { path: 'body.accountId', message: 'account acc-nobody does not exist' },
    ]);
  });

  it('names an unknown account or another account’s contact in the language the client asked for', async () => {
    const zh = { 'accept-language': 'zh-CN' };
    const unknown = await api('POST', '/complaints', body({ accountId: 'acc-nobody' }), zh);
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors).toEqual([{ path: 'body.accountId', message: '客户 acc-nobody 不存在' }]);
    const foreign = await api('POST', '/complaints', body({ contactId: 'nobody-here' }), zh);
    expect(foreign.status).toBe(400);
    expect(foreign.json.errors).toEqual([
      { path: 'body.contactId', message: '联系人 nobody-here 不属于客户 acc-jinhe-grain' },
    ]);
    const en = await api('POST', '/complaints', body({ contactId: 'nobody-here' }));
    expect(en.json.errors).toEqual([
      { path: 'body.contactId', message: 'contact nobody-here is not on account acc-jinhe-grain' },
    ]);
  });

  it('walks the lifecycle, schedules the follow-up on resolve, and closes on a good follow-up', async () => {
    const c = (await api('POST', '/complaints', body({ severity: 'high' }))).json;
    const step = async (to: string, version: number) =>
      (await api('POST', `/complaints/${c.id}/transitions`, { to, version, note: `to ${to}` })).json;
    const ack = await step('acknowledged', 1);
    expect(ack).toMatchObject({ status: 'acknowledged', version: 2, sla: { ack: 'met' } });
    await step('in-progress', 2);
    const resolved = await step('resolved', 3);
    expect(resolved.status).toBe('resolved');
    expect(resolved.followUp.dueAt >= resolved.resolvedAt).toBe(true);
    const callback = await db.send(
      new (await import('@aws-sdk/lib-dynamodb')).GetCommand({
        TableName: TABLE_NAME(),
        Key: keys.callback.item(resolved.followUp.callbackId),
      }),
    );
    expect(callback.Item).toMatchObject({
      state: 'scheduled',
      complaintId: c.id,
      phone: '+8613910012001',
      reason: 'complaint-follow-up',
    });
    const closed = (
      await api('POST', `/complaints/${c.id}/follow-up`, { score: 5, accepted: true, version: 4 })
    ).json;
    expect(closed).toMatchObject({ status: 'closed', followUp: { score: 5, accepted: true } });
    const full = (await api('GET', `/complaints/${c.id}`)).json;
    expect(full.history.map((h: { action: string }) => h.action)).toEqual([
      'created',
      'acknowledged',
      'started',
      'resolved',
      'closed-after-follow-up',
    ]);
  });

  it('records the 回访 of a complaint an agent closed before the call: a low score still reopens it', async () => {
    const file = async () => {
      const c = (await api('POST', '/complaints', body({ severity: 'medium' }))).json;
      const step = async (to: string, version: number) =>
        (await api('POST', `/complaints/${c.id}/transitions`, { to, version })).json;
      await step('acknowledged', 1);
      await step('resolved', 2);
      // Closed by the agent while its satisfaction call still waits: the call goes ahead.
      const closed = await step('closed', 3);
      expect(closed).toMatchObject({ status: 'closed', followUp: { callbackId: expect.any(String) } });
      return closed;
    };
    const unhappy = await file();
    const reopened = await api('POST', `/complaints/${unhappy.id}/follow-up`, {
      score: 1,
      accepted: false,
      version: 4,
    });
    expect(reopened.status).toBe(200);
    expect(reopened.json).toMatchObject({
      status: 'in-progress',
      reopenCount: 1,
      followUp: { score: 1, accepted: false },
    });
    const callback = await db.send(
      new GetCommand({ TableName: TABLE_NAME(), Key: keys.callback.item(unhappy.followUp.callbackId) }),
    );
    expect(callback.Item?.state).toBe('completed');
    const happy = await file();
    const kept = await api('POST', `/complaints/${happy.id}/follow-up`, {
      score: 5,
      accepted: true,
      version: 4,
    });
    expect(kept.status).toBe(200);
    expect(kept.json).toMatchObject({ status: 'closed', closedAt: happy.closedAt, followUp: { score: 5 } });
    // Recorded once: the 回访 is over.
    const again = await api('POST', `/complaints/${happy.id}/follow-up`, {
      score: 4,
      accepted: true,
      version: 5,
    });
    expect(again.status).toBe(409);
  });

  it('files a complaint in one conditional PutItem: it counts itself while unresolved', async () => {
    const account = await new Accounts(db, TABLE_NAME()).require('acc-jinhe-grain');
    const before = await openCount(account.id);
    const writes: string[] = [];
    const watched = createDocumentClient();
    watched.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName);
        if (/Put|Update|Delete|Transact|BatchWrite/.test(name)) writes.push(name);
        return next(args);
      },
      { step: 'initialize', name: 'watchWrites' },
    );
    const store = new Complaints(watched, TABLE_NAME(), new Campaigns(watched, TABLE_NAME()));
    const input = {
      accountId: account.id,
      waybills: [],
      category: 'delay' as const,
      severity: 'low' as const,
      channel: 'agent-phone' as const,
      description: '一次写入',
    };
    const { complaint } = await store.create(input, account, 'test');
    // The day's reference number (an UpdateItem of the day's counter; a burst's complaints share
    // one), then the complaint: one PutItem, no transaction, no count item.
    expect(writes).toEqual(['UpdateItemCommand', 'PutItemCommand']);
    expect(complaint.openCounter).toBe('self');
    expect(await openCount(account.id)).toBe(before + 1);
    // No count item of its own: the complaint item is in the counts index.
    const own = { TableName: TABLE_NAME(), Key: keys.stats.openComplaint(account.id, complaint.id) };
    expect((await db.send(new GetCommand(own))).Item).toBeUndefined();
    const stored = { TableName: TABLE_NAME(), Key: keys.complaint.item(complaint.id) };
    expect((await db.send(new GetCommand(stored))).Item).toMatchObject({
      ...keys.stats.selfCounted(account.id, complaint.id),
      openComplaints: 1,
    });
    // Read back, the stored-only attribute is gone.
    expect(await store.get(complaint.id)).not.toHaveProperty('openComplaints');
    watched.destroy();
  });

  it('counts a complaint in and out of the account’s open count as it resolves and reopens, in every stored form', async () => {
    const account = 'acc-jinhe-grain';
    const before = await openCount(account);
    const move = async (id: string, to: string, version: number) =>
      expect((await api('POST', `/complaints/${id}/transitions`, { to, version, note: to })).status).toBe(
        200,
      );
    const resolve = async (id: string) => {
      await move(id, 'acknowledged', 1);
      await move(id, 'in-progress', 2);
      await move(id, 'resolved', 3);
    };
    const stored = (id: string) =>
      db.send(new GetCommand({ TableName: TABLE_NAME(), Key: keys.complaint.item(id) })).then((r) => r.Item);

    // Filed now: it counts itself, and leaves the count (and the counts index) when resolved.
    const c = (await api('POST', '/complaints', body({ severity: 'low' }))).json;
    expect(await openCount(account)).toBe(before + 1);
    await resolve(c.id);
    expect(await openCount(account)).toBe(before);
    expect(await stored(c.id)).not.toHaveProperty('gsi3pk');
    // Reopened, it counts again.
    await move(c.id, 'in-progress', 4);
    expect(await openCount(account)).toBe(before + 1);
    await move(c.id, 'resolved', 5);
    expect(await openCount(account)).toBe(before);

    // Filed before complaints counted themselves: an own count item, written before the counts
    // index existed, so uncounted until the migration gives it the index's keys.
    const ownItemCounted = (await api('POST', '/complaints', body({ severity: 'low' }))).json;
    await storeAsOwnItemCounted(db, ownItemCounted.id, account);
    // And older still: no openCounter, counted +1 on its shard (a shard from before the index).
    const shardCounted = (await api('POST', '/complaints', body({ severity: 'low' }))).json;
    const {
      gsi3pk: _p,
      gsi3sk: _s,
      openComplaints: _o,
      openCounter: _c,
      ...old
    } = (await stored(shardCounted.id)) ?? {};
    await db.send(new PutCommand({ TableName: TABLE_NAME(), Item: old }));
    const shard = keys.stats.shardFor(account, shardCounted.id);
    await db.send(
      new UpdateCommand({
        TableName: TABLE_NAME(),
        Key: shard,
        UpdateExpression: 'ADD openComplaints :one REMOVE gsi3pk, gsi3sk',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    const shardBefore = (await db.send(new GetCommand({ TableName: TABLE_NAME(), Key: shard }))).Item;
    const shardCounts = Number(shardBefore?.openComplaints ?? 0);
    // Unseen before the migration: the own item, and the whole shard (what it held before too).
    expect(await openCount(account)).toBe(before - (shardCounts - 1));

    const migrated = await backfillCountsIndex(db, TABLE_NAME());
    expect(migrated.updated).toBeGreaterThanOrEqual(2);
    expect(await openCount(account)).toBe(before + 2);
    expect((await backfillCountsIndex(db, TABLE_NAME())).updated).toBe(0); // nothing left to do

    await resolve(ownItemCounted.id);
    expect(await openCount(account)).toBe(before + 1);
    const own = { TableName: TABLE_NAME(), Key: keys.stats.openComplaint(account, ownItemCounted.id) };
    expect((await db.send(new GetCommand(own))).Item).toBeUndefined();
    await resolve(shardCounted.id);
    expect(await openCount(account)).toBe(before);
  });

  it('reopens automatically on a low follow-up score', async () => {
    const c = (await api('POST', '/complaints', body({ severity: 'medium' }))).json;
    await api('POST', `/complaints/${c.id}/transitions`, { to: 'acknowledged', version: 1 });
    await api('POST', `/complaints/${c.id}/transitions`, { to: 'resolved', version: 2 });
    const reopened = (
      await api('POST', `/complaints/${c.id}/follow-up`, {
        score: 2,
        accepted: true,
        version: 3,
        note: '仍有破损',
      })
    ).json;
    expect(reopened).toMatchObject({ status: 'in-progress', reopenCount: 1 });
    expect(reopened.resolvedAt).toBeUndefined();
  });

  describe('the satisfaction call (回访) of a reopened complaint', () => {
    const input: ComplaintInput = {
      accountId: 'acc-jinhe-grain',
      contactId: 'jinhe-zhao',
      waybills: [],
      category: 'damage',
      severity: 'high',
      channel: 'agent-phone',
      description: '破损',
    };
    // Later than every other complaint of this file: nothing here is due for escalation meanwhile.
    const t0 = new Date('2026-12-14T02:00:00Z');
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const live = async (complaintId: string) =>
      (await campaigns().listCallbacks('complaint-follow-up')).filter(
        (x) => x.complaintId === complaintId && !TERMINAL.includes(x.state),
      );
    const resolved = async (s: Complaints) => {
      const account = await accounts().require('acc-jinhe-grain');
      const { complaint: c } = await s.create(input, account, 't', { now: at(0) });
      await s.transition(c.id, 'acknowledged', { version: 1, by: 'a', now: at(1) });
      const r = await s.transition(c.id, 'resolved', { version: 2, by: 'a', now: at(2) });
      return { id: c.id, callbackId: r.followUp?.callbackId ?? '' };
    };

    it('is called off on reopen, and the next resolution books one: one per resolution', async () => {
      const s = store();
      const before = (await campaigns().ensureStanding('complaint-follow-up')).counts.cancelled;
      const c = await resolved(s);
      const reopened = await s.transition(c.id, 'in-progress', { version: 3, by: 'a', now: at(3) });
      expect(reopened.followUp).toBeUndefined();
      expect(await campaigns().getCallback(c.callbackId)).toMatchObject({
        state: 'cancelled',
        notes: inBoth('callback.note.complaintReopened'),
      });
      expect((await campaigns().requireCampaign('complaint-follow-up')).counts.cancelled).toBe(before + 1);
      const again = await s.transition(c.id, 'resolved', { version: 4, by: 'a', now: at(4) });
      expect((await live(c.id)).map((x) => x.id)).toEqual([again.followUp?.callbackId]);
      expect(again.followUp?.callbackId).not.toBe(c.callbackId);
    });

    it('goes ahead when the dialer had already claimed it: the reopen is still written', async () => {
      const s = store();
      const c = await resolved(s);
      const booked = await campaigns().getCallback(c.callbackId);
      if (!booked) throw new Error('no follow-up call booked');
      // Claimed for dialing (its lease running) just before the agent reopens.
      expect(await campaigns().callbacks.claim(booked, 'run-follow-up', at(3))).toBeDefined();
      const reopened = await s.transition(c.id, 'in-progress', { version: 3, by: 'a', now: at(3) });
      expect(reopened).toMatchObject({ status: 'in-progress', version: 4, reopenCount: 1 });
      expect(reopened.followUp).toBeUndefined();
      expect((await campaigns().getCallback(c.callbackId))?.state).toBe('dialing');
      // The next resolution books its own call; the one under way is the previous resolution's.
      const again = await s.transition(c.id, 'resolved', { version: 4, by: 'a', now: at(4) });
      expect((await live(c.id)).map((x) => x.id).sort()).toEqual(
        [c.callbackId, again.followUp?.callbackId].sort(),
      );
    });
  });

  it('refuses an illegal transition with 409 and the allowed next states', async () => {
    const c = (await api('POST', '/complaints', body())).json;
    const res = await api('POST', `/complaints/${c.id}/transitions`, { to: 'resolved', version: 1 });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: 'illegal_transition', allowed: ['acknowledged'] });
  });

  it('says why a transition or a follow-up is refused in the language the client asked for', async () => {
    const zh = { 'accept-language': 'zh-CN' };
    const c = (await api('POST', '/complaints', body())).json;
    const move = await api('POST', `/complaints/${c.id}/transitions`, { to: 'resolved', version: 1 }, zh);
    expect(move.json).toMatchObject({
      error: 'illegal_transition',
      message: `投诉 ${c.reference} 当前为“新建”，不能改为“已解决”`,
      allowed: ['acknowledged'],
    });
    const en = await api('POST', `/complaints/${c.id}/transitions`, { to: 'resolved', version: 1 });
    expect(en.json.message).toBe(`Cannot move complaint ${c.reference} from open to resolved`);
    const followUp = await api(
      'POST',
      `/complaints/${c.id}/follow-up`,
      { score: 5, accepted: true, version: 1 },
      zh,
    );
    expect(followUp.json).toMatchObject({
      error: 'illegal_transition',
      message: `投诉 ${c.reference} 当前为“新建”：回访结果只能记录在已解决、或已关闭但回访尚未记录的投诉上`,
    });
  });

  it('refuses a stale version with 409', async () => {
    const c = (await api('POST', '/complaints', body())).json;
    await api('POST', `/complaints/${c.id}/transitions`, { to: 'acknowledged', version: 1 });
    const stale = await api('POST', `/complaints/${c.id}/transitions`, { to: 'in-progress', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ sentVersion: 1, currentVersion: 2 });
  });

  it('lets exactly one of two concurrent transitions win', async () => {
    const c = (await api('POST', '/complaints', body())).json;
    const results = await Promise.all([
      api('POST', `/complaints/${c.id}/transitions`, { to: 'acknowledged', version: 1, note: 'agent A' }),
      api('POST', `/complaints/${c.id}/transitions`, { to: 'acknowledged', version: 1, note: 'agent B' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const full = (await api('GET', `/complaints/${c.id}`)).json;
    expect(full.history.filter((h: { action: string }) => h.action === 'acknowledged')).toHaveLength(1);
  });

  it('allows a reopen only inside the reopen window', async () => {
    const s = store({ reopenWindowMinutes: 60 });
    const account = await accounts().require('acc-jinhe-grain');
    const t0 = new Date('2026-11-20T02:00:00Z');
    const { complaint } = await s.create(
      { ...body(), channel: 'agent-phone', waybills: [] } as never,
      account,
      'test',
      { now: t0 },
    );
    await s.transition(complaint.id, 'acknowledged', { version: 1, by: 't', now: t0 });
    await s.transition(complaint.id, 'resolved', { version: 2, by: 't', now: t0 });
    const late = new Date(t0.getTime() + 61 * 60_000);
    await expect(
      s.transition(complaint.id, 'in-progress', { version: 3, by: 't', now: late }),
    ).rejects.toMatchObject({
      problem: 'illegal-transition',
      details: { allowed: ['closed'] },
      message: `Complaint ${complaint.reference} can be reopened only within 60 minutes of its resolution`,
      messageZh: `投诉 ${complaint.reference} 只能在解决后 60 分钟内重新打开`,
    });
    const inTime = await s.transition(complaint.id, 'in-progress', {
      version: 3,
      by: 't',
      now: new Date(t0.getTime() + 59 * 60_000),
    });
    expect(inTime).toMatchObject({ status: 'in-progress', reopenCount: 1 });
  });

  it('lists complaints by SLA state and computes service metrics', async () => {
    const account = await accounts().require('acc-kangtai-pharma');
    const past = new Date(Date.now() - 3 * 3_600_000);
    await store().create(
      {
        ...body({ accountId: 'acc-kangtai-pharma', contactId: 'kangtai-yang' }),
        channel: 'agent-phone',
        waybills: [],
      } as never,
      account,
      'test',
      { now: past },
    );
    const breached = (await api('GET', '/complaints?sla=breached')).json.items;
    expect(breached.some((c: { accountId: string }) => c.accountId === 'acc-kangtai-pharma')).toBe(true);
    expect(breached.every((c: { sla: { current: string } }) => c.sla.current === 'breached')).toBe(true);
    const m = (await api('GET', '/accounts/acc-jinhe-grain/service-metrics')).json;
    expect(m.complaints).toBeGreaterThanOrEqual(5);
    expect(m.shipments).toBeGreaterThan(20);
    expect(m.complaintRatePer1000).toBeGreaterThan(0);
    expect(m.reopenRate).toBeGreaterThan(0);
  });
});

describe('IVR complaint intake', () => {
  it('records one complaint per Connect ContactId, however often Connect retries', async () => {
    const event = contactFlowEvent({
      from: '+8613910012002',
      contactId: 'ivr-complaint-1',
      parameters: { category: '2', waybill: '7100000003#' },
    });
    const first = await ivr(event);
    const retry = await ivr(event);
    expect(first).toMatchObject({
      recorded: 'true',
      lookupStatus: 'ok',
      severity: 'high',
      language: 'zh-CN',
    });
    expect(retry.complaintId).toBe(first.complaintId);
    expect(first.prompt).toContain(`投诉编号 ${first.reference?.split('').join(' ')}`);
    const c = await store().require(first.complaintId ?? '');
    expect(c).toMatchObject({
      channel: 'ivr',
      category: 'damage',
      waybills: ['7100000003'],
      contactName: '孙立伟',
    });
  });

  it('files a shared number’s complaint on the client whose waybill it keys, and says when it had to guess', async () => {
    const desk = '+862158881234';
    const [paint] = await new Shipments(db, TABLE_NAME()).listByAccount('acc-huacai-paints', 'open');
    if (!paint) throw new Error('no open 华彩 shipment in the demo');
    const keyed = await ivr(
      contactFlowEvent({
        from: desk,
        contactId: 'ivr-complaint-shared-1',
        parameters: { category: '2', waybill: `${paint.waybill}#` },
      }),
    );
    expect(keyed).toMatchObject({ recorded: 'true', lookupStatus: 'ok' });
    expect(await store().require(keyed.complaintId ?? '')).toMatchObject({
      accountId: 'acc-huacai-paints',
      waybills: [paint.waybill],
    });
    // No waybill: the highest-priority client of the number, as the screen pop picks, flagged.
    const guessed = await ivr(
      contactFlowEvent({ from: desk, contactId: 'ivr-complaint-shared-2', parameters: { category: '7' } }),
    );
    expect(guessed).toMatchObject({ recorded: 'true', lookupStatus: 'ambiguous' });
    expect((await store().require(guessed.complaintId ?? '')).accountId).toBe('acc-cuile-snacks');
  });

  it('answers in English for an English speaker and sends unknown callers to an agent', async () => {
    const en = await ivr(
      contactFlowEvent({ from: '+41446681800', contactId: 'ivr-complaint-2', parameters: { category: '1' } }),
    );
    expect(en.prompt).toContain('Your reference number is');
    const unknown = await ivr(
      contactFlowEvent({
        from: '+8613700000099',
        contactId: 'ivr-complaint-3',
        parameters: { category: '1' },
      }),
    );
    expect(unknown).toMatchObject({ recorded: 'false', lookupStatus: 'unknown' });
    const invalid = await ivr(
      contactFlowEvent({
        from: '+8613910012001',
        contactId: 'ivr-complaint-4',
        parameters: { category: '8' },
      }),
    );
    expect(invalid).toMatchObject({ recorded: 'false', lookupStatus: 'invalid' });
    expect(await ivr({ garbage: true })).toMatchObject({ recorded: 'false', lookupStatus: 'error' });
  });
});

describe('SLA escalation', () => {
  it('escalates once per level, even when two runs overlap, and publishes the exact SNS message', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const s = store();
    const account = await accounts().require('acc-meilian-appliances');
    const created = new Date(Date.now() - 40 * 60_000); // key × critical: ack due after 30 min → breached
    const { complaint } = await s.create(
      {
        accountId: account.id,
        contactId: 'meilian-deng',
        waybills: [],
        category: 'loss',
        severity: 'critical',
        channel: 'agent-phone',
        description: 'x',
      },
      account,
      'test',
      { now: created },
    );
    const publisher = new SnsEventPublisher(new SNSClient({ region: 'cn-north-1' }), TOPIC);
    const [a, b] = await Promise.all([runEscalation(s, publisher), runEscalation(s, publisher)]);
    const again = await runEscalation(s, publisher);
    const mine = sns
      .commandCalls(PublishCommand)
      .filter((c) => JSON.parse(String(c.args[0].input.Message)).complaintId === complaint.id);
    expect(mine.map((c) => c.args[0].input.MessageAttributes?.level?.StringValue).sort()).toEqual(['1', '2']);
    expect(a.escalated + b.escalated + again.escalated).toBeGreaterThanOrEqual(1);
    expect(mine[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: `Complaint ${complaint.reference} escalated to L1 team lead`,
      Message: expect.any(String),
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'ComplaintEscalated' },
        accountId: { DataType: 'String', StringValue: 'acc-meilian-appliances' },
        tier: { DataType: 'String', StringValue: 'key' },
        severity: { DataType: 'String', StringValue: 'critical' },
        level: { DataType: 'Number', StringValue: '1' },
      },
    });
    expect(JSON.parse(String(mine[1]?.args[0].input.Message))).toMatchObject({
      type: 'ComplaintEscalated',
      reference: complaint.reference,
      level: 2,
      levelName: { en: 'L2 key-account manager', zh: '大客户经理' },
      sla: 'breached',
    });
    const after = await s.require(complaint.id);
    expect(after.escalationLevel).toBe(2);
    expect(after.history.filter((h) => h.action === 'escalated')).toHaveLength(2);
  });

  it('puts the level back when the event cannot be published, so the next run retries', async () => {
    sns.on(PublishCommand).rejects(new Error('SNS unavailable'));
    const s = store();
    const account = await accounts().require('acc-alpina-chocolate');
    const { complaint } = await s.create(
      {
        accountId: account.id,
        waybills: [],
        category: 'damage',
        severity: 'critical',
        channel: 'agent-phone',
        description: 'x',
      },
      account,
      'test',
      { now: new Date(Date.now() - 25 * 60_000) },
    );
    const publisher = new SnsEventPublisher(new SNSClient({ region: 'cn-north-1' }), TOPIC);
    const failed = await runEscalation(s, publisher);
    expect(failed.failures).toBeGreaterThanOrEqual(1);
    expect((await s.require(complaint.id)).escalationLevel).toBe(0);
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await runEscalation(s, publisher);
    expect((await s.require(complaint.id)).escalationLevel).toBe(1);
  });

  it('after a failed L2 publish, retries L2 only: L1, already published, is not announced again', async () => {
    const s = store();
    const account = await accounts().require('acc-meilian-appliances');
    const { complaint } = await s.create(
      {
        accountId: account.id,
        contactId: 'meilian-deng',
        waybills: [],
        category: 'loss',
        severity: 'critical',
        channel: 'agent-phone',
        description: '整箱丢失',
      },
      account,
      'test',
      { now: new Date(Date.now() - 40 * 60_000) }, // ack at risk (L1) and breached (L2) in one run
    );
    const mine = (input: PublishCommandInput) =>
      JSON.parse(String(input.Message)).complaintId === complaint.id;
    const level = (input: PublishCommandInput) => input.MessageAttributes?.level?.StringValue;
    let snsDown = true;
    sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      if (snsDown && mine(input) && level(input) === '2') throw new Error('SNS unavailable');
      return { MessageId: `m-${level(input)}` };
    });
    const publisher = new SnsEventPublisher(new SNSClient({ region: 'cn-north-1' }), TOPIC);

    const first = await runEscalation(s, publisher);
    expect(first.failures).toBeGreaterThanOrEqual(1);
    // Put back to L1, the level announced, not to 0: the next run starts at L2.
    expect((await s.require(complaint.id)).escalationLevel).toBe(1);
    snsDown = false;
    await runEscalation(s, publisher);

    const sent = sns
      .commandCalls(PublishCommand)
      .map((c) => c.args[0].input)
      .filter(mine);
    // L1 once; L2 twice: the attempt that failed, and its retry.
    expect(sent.map(level)).toEqual(['1', '2', '2']);
    const attributes = (l: string) => ({
      eventType: { DataType: 'String', StringValue: 'ComplaintEscalated' },
      accountId: { DataType: 'String', StringValue: 'acc-meilian-appliances' },
      tier: { DataType: 'String', StringValue: 'key' },
      severity: { DataType: 'String', StringValue: 'critical' },
      level: { DataType: 'Number', StringValue: l },
    });
    expect(sent[0]).toEqual({
      TopicArn: TOPIC,
      Subject: `Complaint ${complaint.reference} escalated to L1 team lead`,
      Message: expect.any(String),
      MessageAttributes: attributes('1'),
    });
    expect(sent[2]).toEqual({
      TopicArn: TOPIC,
      Subject: `Complaint ${complaint.reference} escalated to L2 key-account manager`,
      Message: expect.any(String),
      MessageAttributes: attributes('2'),
    });
    expect(JSON.parse(String(sent[2]?.Message))).toMatchObject({
      type: 'ComplaintEscalated',
      complaintId: complaint.id,
      level: 2,
      sla: 'breached',
    });
    const after = await s.require(complaint.id);
    expect(after.escalationLevel).toBe(2);
    // L1 with its deferral (L2 never announced, so never recorded as reached), then L2.
    expect(after.history.map((h) => h.action).filter((a) => a.startsWith('escalat'))).toEqual([
      'escalated',
      'escalation-deferred',
      'escalated',
    ]);
  });

  it('reads only due complaints: resolved and closed ones never reach the scan', async () => {
    const s = store();
    const { read } = await s.dueForEscalation(new Date());
    const unresolvedDue = (await s.listUnresolved()).filter((c) => c.status !== 'resolved');
    expect(read).toBeLessThanOrEqual(unresolvedDue.length);
    const closedOnes = (await s.listByAccount('acc-jinhe-grain')).filter((c) => c.status === 'closed');
    expect(closedOnes.length).toBeGreaterThan(0);
    const due = await s.dueForEscalation(new Date(Date.now() + 365 * 86_400_000));
    expect(due.items.every((c) => ['open', 'acknowledged', 'in-progress'].includes(c.status))).toBe(true);
  });
});

describe('the quarterly project review pack', () => {
  it('gathers the quarter: KPIs against the commitment, complaints, open issues with their dates, satisfaction', async () => {
    const res = await api('GET', '/accounts/acc-jinhe-grain/review-pack');
    expect(res.status).toBe(200);
    const now = new Date();
    const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
    expect(res.json).toMatchObject({ accountId: 'acc-jinhe-grain', quarter, onTimeCommitment: 0.98 });
    expect(res.json.complaints.total).toBeGreaterThan(0);
    expect(res.json.kpis.delivered).toBeGreaterThanOrEqual(0);
    const due = res.json.openIssues.map((i: { dueAt: string }) => i.dueAt);
    expect(due).toEqual([...due].sort());
    expect(res.json.openIssues.some((i: { kind: string }) => i.kind === 'complaint')).toBe(true);
    const bad = await api('GET', '/accounts/acc-jinhe-grain/review-pack?quarter=2026-Q5');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('query.quarter');
    const old = await api('GET', '/accounts/acc-jinhe-grain/review-pack?quarter=2020-Q1');
    expect(old.json).toMatchObject({
      from: '2020-01-01T00:00:00.000Z',
      complaints: { total: 0 },
      kpis: { delivered: 0 },
    });
  });
});
