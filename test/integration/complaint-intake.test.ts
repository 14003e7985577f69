// A complaint found by the reference a caller quotes, whatever its status; against DynamoDB Local
// through the complaints Lambda as API Gateway calls it.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { complaintRoutes } from '#functions/complaints/routes.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let api: ReturnType<typeof apiClient>;
const db = createDocumentClient();

beforeAll(async () => {
  await loadDemo();
  api = apiClient((await import('#functions/complaints/handler.ts')).handler, complaintRoutes);
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
