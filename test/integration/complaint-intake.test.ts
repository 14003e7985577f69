// Complaint intake against DynamoDB Local, through the complaints Lambda as API Gateway calls it:
// a complaint found by the reference a caller quotes, whatever its status; filed on the account's
// own waybills only (the desktop and the HTTP API), the IVR filing on the keyed waybill's owner.
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { complaintRoutes } from '#functions/complaints/routes.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { cli } from '../support/cli.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let api: ReturnType<typeof apiClient>;
let ivr: (e: unknown) => Promise<Record<string, string>>;
const db = createDocumentClient();

beforeAll(async () => {
  await loadDemo();
  api = apiClient((await import('#functions/complaints/handler.ts')).handler, complaintRoutes);
  ivr = (await import('#functions/ivr-complaint/handler.ts')).handler;
});

const body = (o: Record<string, unknown> = {}) => ({
  accountId: 'acc-meilian-appliances',
  waybills: [],
  category: 'damage',
  severity: 'medium',
  channel: 'agent-phone',
  description: '冰箱外箱破损',
  ...o,
});

const byReference = async (reference: string, query = '') =>
  (await api('GET', `/complaints?reference=${reference}${query}`)).json.items as {
    id: string;
    status: string;
  }[];

describe('a complaint by its reference', () => {
  it('is found open, resolved (awaiting its 回访) and closed', async () => {
    const c = (await api('POST', '/complaints', body())).json;
    expect(c.reference).toMatch(/^\d{10}$/);
    expect((await byReference(c.reference)).map((x) => x.id)).toEqual([c.id]);
    const move = async (to: string, version: number) =>
      (await api('POST', `/complaints/${c.id}/transitions`, { to, version })).json;
    await move('acknowledged', 1);
    const resolved = await move('resolved', 2);
    expect(resolved.status).toBe('resolved');
    // Resolved, it has left the unresolved list the desktop used to search...
    const unresolved = (await api('GET', '/complaints')).json.items as { id: string }[];
    expect(unresolved.some((x) => x.id === c.id)).toBe(false);
    // ...and the reference still finds it.
    expect(await byReference(c.reference)).toMatchObject([{ id: c.id, status: 'resolved' }]);
    await api('POST', `/complaints/${c.id}/follow-up`, {
      score: 5,
      accepted: true,
      version: resolved.version,
    });
    expect(await byReference(c.reference)).toMatchObject([{ id: c.id, status: 'closed' }]);
    // With an account, only that account's complaint.
    expect(await byReference(c.reference, '&accountId=acc-jinhe-grain')).toEqual([]);
    expect(await byReference(c.reference, '&accountId=acc-meilian-appliances')).toHaveLength(1);
  });

  it('answers none for a reference no complaint has, and 400 for one that is not 10 digits', async () => {
    expect(await byReference('0001019999')).toEqual([]);
    const bad = await api('GET', '/complaints?reference=12345');
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['query.reference']);
  });

  it('words a malformed reference, complaint id or quarter in the language the client asked for', async () => {
    const zh = { 'accept-language': 'zh-CN' };
    const errors = async (url: string, headers: Record<string, string> = {}) =>
      (await api('GET', url, undefined, headers)).json.errors;
    expect(await errors('/complaints?reference=12345', zh)).toEqual([
      { path: 'query.reference', message: '投诉编号应为 10 位数字' },
    ]);
    expect(await errors('/complaints/nope', zh)).toEqual([
      { path: 'path.id', message: '投诉 ID 应为 26 位 ULID' },
    ]);
    expect(await errors('/complaints/nope')).toEqual([
      { path: 'path.id', message: 'a complaint id is a 26-character ULID' },
    ]);
    const pack = await api(
      'GET',
      '/accounts/acc-meilian-appliances/review-pack?quarter=2026-Q9',
      undefined,
      zh,
    );
    expect(pack.json.errors).toEqual([{ path: 'query.quarter', message: '应为季度，例如 2026-Q4' }]);
  });

  it('writes the reference item with the resolution, not at intake (an intake stays one PutItem)', async () => {
    const c = (await api('POST', '/complaints', body({ description: '外箱受潮' }))).json;
    const ref = { TableName: TABLE_NAME(), Key: keys.complaint.reference(c.reference) };
    expect((await db.send(new GetCommand(ref))).Item).toBeUndefined();
    await api('POST', `/complaints/${c.id}/transitions`, { to: 'acknowledged', version: 1 });
    expect((await db.send(new GetCommand(ref))).Item).toBeUndefined();
    const resolved = (await api('POST', `/complaints/${c.id}/transitions`, { to: 'resolved', version: 2 }))
      .json;
    expect((await db.send(new GetCommand(ref))).Item).toMatchObject({ complaintId: c.id });
    // Reopened, it is unresolved again and still found (through its item or the due index).
    await api('POST', `/complaints/${c.id}/transitions`, { to: 'in-progress', version: resolved.version });
    expect(await byReference(c.reference)).toMatchObject([{ id: c.id, status: 'in-progress' }]);
  });
});

describe('complaints resolved before reference items existed', () => {
  it('are found by their reference once `keyline migrate complaint-references` ran; a second run has nothing to do', async () => {
    const resolve = async (description: string) => {
      const c = (await api('POST', '/complaints', body({ description }))).json;
      await api('POST', `/complaints/${c.id}/transitions`, { to: 'acknowledged', version: 1 });
      await api('POST', `/complaints/${c.id}/transitions`, { to: 'resolved', version: 2 });
      // As a table from before this release has it: no reference item.
      await db.send(
        new DeleteCommand({ TableName: TABLE_NAME(), Key: keys.complaint.reference(c.reference) }),
      );
      return c as { id: string; reference: string };
    };
    const old = [await resolve('旧投诉一'), await resolve('旧投诉二')];
    const open = (await api('POST', '/complaints', body({ description: '仍在处理' }))).json;
    expect(await byReference(old[0]?.reference ?? '')).toEqual([]);

    const dry = await cli('migrate', 'complaint-references', '--dry-run', '--lang', 'en');
    expect(dry.code).toBe(0);
    // The demo book's own resolved complaints may lack theirs too: at least these two.
    const would = Number(/(\d+) resolved or closed complaint\(s\) would be given/.exec(dry.output)?.[1]);
    expect(would).toBeGreaterThanOrEqual(2);
    expect(await byReference(old[0]?.reference ?? '')).toEqual([]);

    const first = await cli('migrate', 'complaint-references', '--lang', 'zh-CN');
    expect(first.code).toBe(0);
    expect(first.output).toContain(`${would} 个已解决或已关闭的投诉已获得编号记录`);
    for (const c of old)
      expect(await byReference(c.reference)).toMatchObject([{ id: c.id, status: 'resolved' }]);
    // An unresolved complaint gets none: the due index finds it.
    const openRef = { TableName: TABLE_NAME(), Key: keys.complaint.reference(open.reference) };
    expect((await db.send(new GetCommand(openRef))).Item).toBeUndefined();

    const again = await cli('migrate', 'complaint-references', '--dry-run', '--lang', 'en');
    expect(again.output).toContain('0 resolved or closed complaint(s) would be given');
    const second = await cli('migrate', 'complaint-references', '--lang', 'en');
    expect(second.output).toContain('nothing to do');
  });
});

describe('a complaint’s waybills', () => {
  // Jinhe's own shipment and Kangtai's vaccine shipment (the demo book).
  const jinhe = {
    accountId: 'acc-jinhe-grain',
    contactId: 'jinhe-zhao',
    category: 'delay',
    severity: 'high',
  };

  it('refuses another client’s waybill, naming it in both languages, and files one not seen yet', async () => {
    const refused = await api(
      'POST',
      '/complaints',
      body({ ...jinhe, waybills: ['7100000000', '7100300000', 'ZZ999999'] }),
    );
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual([
      { path: 'body.waybills.1', message: '7100300000 is not a shipment of this account' },
    ]);
    const zh = await api('POST', '/complaints', body({ ...jinhe, waybills: ['7100300000'] }), {
      'accept-language': 'zh-CN',
    });
    expect(zh.json.errors).toEqual([{ path: 'body.waybills.0', message: '7100300000 不是该客户的运单' }]);
    // Nothing was filed, not even a reference numbered.
    const filed = (await api('GET', '/complaints?accountId=acc-jinhe-grain')).json.items as {
      waybills: string[];
    }[];
    expect(filed.some((c) => c.waybills.includes('7100300000'))).toBe(false);
    // A waybill Keyline has no shipment of (the TMS feed behind, never scanned): the client's word.
    const unseen = await api('POST', '/complaints', body({ ...jinhe, waybills: ['ZZ999999'] }));
    expect(unseen.status).toBe(201);
  });

  it('files on the account’s own waybills, reading them in one BatchGetItem', async () => {
    const reads: string[] = [];
    const watched = createDocumentClient();
    watched.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName);
        if (/Get|Query/.test(name)) reads.push(name);
        return next(args);
      },
      { step: 'initialize', name: 'watchReads' },
    );
    const { Shipments } = await import('#shared/shipments/service.ts');
    const owners = await new Shipments(watched, TABLE_NAME()).owners([
      '7100000000',
      '7100000001',
      '7100000000',
    ]);
    expect(reads).toEqual(['BatchGetItemCommand']);
    expect([...owners.values()]).toEqual(['acc-jinhe-grain', 'acc-jinhe-grain']);
    watched.destroy();
    const filed = await api(
      'POST',
      '/complaints',
      body({ ...jinhe, waybills: ['7100000000', '7100000001'] }),
    );
    expect(filed.status).toBe(201);
    expect(filed.json.waybills).toEqual(['7100000000', '7100000001']);
  });

  it('the IVR reads full-width digits (typed on a Chinese keyboard) as the digits they are', async () => {
    const filed = await ivr(
      contactFlowEvent({
        from: '+8613910012001',
        contactId: 'ivr-intake-full-width',
        parameters: { category: '２', waybill: '７１００００００００' },
      }),
    );
    expect(filed).toMatchObject({ recorded: 'true' });
    const store = new Complaints(db, TABLE_NAME(), new Campaigns(db, TABLE_NAME()));
    expect(await store.require(filed.complaintId ?? '')).toMatchObject({
      category: 'damage',
      waybills: ['7100000000'],
    });
  });

  it('the IVR files on the keyed waybill’s owner, drops another client’s waybill, and never throws', async () => {
    const keyed = await ivr(
      contactFlowEvent({
        from: '+8613910012001',
        contactId: 'ivr-intake-own-1',
        parameters: { category: '2', waybill: '7100000000#' },
      }),
    );
    expect(keyed).toMatchObject({ recorded: 'true' });
    const store = new Complaints(db, TABLE_NAME(), new Campaigns(db, TABLE_NAME()));
    expect(await store.require(keyed.complaintId ?? '')).toMatchObject({
      accountId: 'acc-jinhe-grain',
      waybills: ['7100000000'],
    });
    // Another client's waybill keyed: no refusal thrown at Connect, the complaint is recorded.
    const foreign = await ivr(
      contactFlowEvent({
        from: '+8613910012001',
        contactId: 'ivr-intake-foreign-1',
        parameters: { category: '2', waybill: '7100300000#' },
      }),
    );
    expect(foreign).toMatchObject({ recorded: 'true', lookupStatus: 'ok' });
    // Filed on the caller's account without the other client's waybill; the digits are in the text.
    const filed = await store.require(foreign.complaintId ?? '');
    expect(filed).toMatchObject({ accountId: 'acc-jinhe-grain', waybills: [] });
    expect(filed.description).toContain('7100300000');
  });
});
