import { beforeAll, describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS } from '#functions/index.ts';
import { type HttpLambda, invokeHttp, LOCAL_ROLE_HEADER } from '#local/api-gateway.ts';
import { DEMO_CALLERS } from '#local/call-simulator.ts';
import { demoWaybill } from '#local/demo/shipments.ts';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import type { RouteDef } from '#shared/platform/http/route.ts';
import { ROLES, type Role } from '#shared/platform/roles.ts';
import { loadDemo, loadHistory } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

/** Keys that carry account economics; none may reach an agent or a team lead. */
const ECONOMIC_KEYS = [
  'economics',
  'credit',
  'strategic',
  'accountValue',
  'shareOfWallet',
  'currentMargin',
  'potentialMargin',
  'expectedRevenue',
  'expectedProfit',
  'lifetimeValue',
  'costToServe',
  'marginRate',
  'clv',
  'reviewQuadrant',
  'breakEvenRevenue',
  'targetRevenue',
  'largeAccount',
  'priorityScore',
  'quadrants',
];

/** Every key anywhere in a JSON value, with its path. */
function keysOf(value: unknown, path = '$', out: string[] = []): string[] {
  if (Array.isArray(value))
    value.forEach((v, i) => {
      keysOf(v, `${path}[${i}]`, out);
    });
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push(`${path}.${k}`);
      keysOf(v, `${path}.${k}`, out);
    }
  return out;
}

const ACCOUNT = 'acc-jinhe-grain';
const PARAMS: Record<string, string> = { id: ACCOUNT, waybill: demoWaybill(0, 1), contactId: 'c-any' };
const QUERIES: Record<string, string> = {
  '/screen-pop': `?phone=${encodeURIComponent(DEMO_CALLERS[0]?.from ?? '')}`,
};

const handlers = new Map<string, HttpLambda>();
const gets = HTTP_FUNCTIONS.flatMap((f) => f.routes.filter((r) => r.method === 'GET').map((r) => ({ f, r })));

async function call(
  fn: string,
  routes: RouteDef[],
  role: Role,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const handler = handlers.get(fn);
  if (!handler) throw new Error(fn);
  const res = await invokeHttp(handler, routes, {
    method,
    url,
    headers: { [LOCAL_ROLE_HEADER]: role, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = res.headers?.['content-type']?.includes('json');
  // biome-ignore lint/suspicious/noExplicitAny: responses are read field by field
  const parsed: any = res.body && json ? JSON.parse(res.body) : res.body;
  return { status: res.statusCode, json: parsed };
}

beforeAll(async () => {
  await loadDemo();
  await loadHistory();
  for (const f of HTTP_FUNCTIONS) handlers.set(f.name, (await f.load()).handler as HttpLambda);
  // A manager's campaign chosen by quadrant: its audience must not reach the others.
  const campaigns = HTTP_FUNCTIONS.find((f) => f.name === 'campaigns')?.routes ?? [];
  const created = await call('campaigns', campaigns, 'account-manager', 'POST', '/campaigns', {
    name: 'Grow quadrant review',
    type: 'account-review',
    audience: { quadrants: ['grow'] },
  });
  expect(created.status).toBe(201);
  // Today's churn scores, with a share-of-wallet reason among them.
  const { scoreBook } = await import('#shared/accounts/churn-run.ts');
  const db = createDocumentClient();
  await scoreBook({
    db,
    tableName: TABLE_NAME(),
    aggregates: new WeeklyAggregates(db, TABLE_NAME()),
    campaigns: new Campaigns(db, TABLE_NAME()),
    accounts: new AccountRepo(db, TABLE_NAME()),
  });
});

describe('roles: the API, not the page, keeps account economics from agents and team leads', () => {
  for (const role of ['agent', 'team-lead'] as const) {
    it(`no GET route answers a ${role} with an economic field`, async () => {
      let open = 0;
      for (const { f, r } of gets) {
        const url = r.path.replace(/\{(\w+)\}/g, (_, p: string) => PARAMS[p] ?? p) + (QUERIES[r.path] ?? '');
        const res = await call(f.name, f.routes, role, 'GET', url);
        expect(res.status, `${r.path}: ${JSON.stringify(res.json)}`).toBeLessThan(500);
        if (res.status === 200) open++;
        const leaked =
          typeof res.json === 'string' // a CSV report: no economic column either
            ? ECONOMIC_KEYS.filter((k) => res.json.includes(k))
            : keysOf(res.json).filter((k) => ECONOMIC_KEYS.includes(k.split('.').pop() ?? ''));
        // Nor a churn reason about the share of wallet.
        if (typeof res.json !== 'string')
          expect(JSON.stringify(res.json ?? {}), r.path).not.toContain('share-of-wallet');
        expect(leaked, r.path).toEqual([]);
      }
      // The sweep reached real data: the book, the card, the desk and more answered.
      expect(open).toBeGreaterThan(10);
    });
  }

  it('shows a manager the economics on the same routes', async () => {
    const acc = await call('accounts', accountsRoutes(), 'account-manager', 'GET', `/accounts/${ACCOUNT}`);
    expect(acc.json.economics.shareOfWallet).toBeGreaterThan(0);
    expect(acc.json.derived.expectedProfit).toEqual(expect.any(Number));
    const card = await call(
      'screen-pop-api',
      routesOf('screen-pop-api'),
      'account-manager',
      'GET',
      `/accounts/${ACCOUNT}/screen-pop`,
    );
    expect(card.json.account.derived.clv).toEqual(expect.any(Number));
    const list = await call('accounts', accountsRoutes(), 'account-manager', 'GET', '/accounts');
    expect(list.json.items[0].clv).toEqual(expect.any(Number));
  });

  it('keeps what an agent needs: the tier, the service mode, the team and the contacts', async () => {
    const acc = await call('accounts', accountsRoutes(), 'agent', 'GET', `/accounts/${ACCOUNT}`);
    expect(acc.status).toBe(200);
    expect(acc.json.derived).toMatchObject({ tier: expect.any(String), serviceMode: expect.any(String) });
    expect(acc.json.contacts.length).toBeGreaterThan(0);
    const card = await call(
      'screen-pop-api',
      routesOf('screen-pop-api'),
      'agent',
      'GET',
      `/accounts/${ACCOUNT}/screen-pop`,
    );
    expect(card.json.account.derived.tier).toBe(acc.json.derived.tier);
  });

  it('answers 403, in the caller’s language, to a route the role may not use', async () => {
    const refused = await call('accounts', accountsRoutes(), 'agent', 'GET', `/accounts/${ACCOUNT}/review`);
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({
      error: 'forbidden',
      message: 'Only key-account managers may use this',
    });
    const handler = handlers.get('accounts') as HttpLambda;
    const zh = await invokeHttp(handler, accountsRoutes(), {
      method: 'GET',
      url: '/credit-reviews',
      headers: { [LOCAL_ROLE_HEADER]: 'team-lead', 'accept-language': 'zh-CN' },
    });
    expect(zh.statusCode).toBe(403);
    expect(JSON.parse(zh.body as string).message).toBe('仅限大客户经理使用');
    // A write is refused before anything is read or stored.
    const put = await call('accounts', accountsRoutes(), 'agent', 'PUT', `/accounts/${ACCOUNT}`, {});
    expect(put.status).toBe(403);
  });

  it('lets team leads and managers run campaigns, and only managers choose by quadrant', async () => {
    const routes = routesOf('campaigns');
    const preview = { audience: { tiers: ['key'] } };
    expect((await call('campaigns', routes, 'agent', 'POST', '/campaigns/preview', preview)).status).toBe(
      403,
    );
    const lead = await call('campaigns', routes, 'team-lead', 'POST', '/campaigns/preview', preview);
    expect(lead.status).toBe(200);
    expect(lead.json.targets).toBeGreaterThan(0);
    const byQuadrant = { audience: { quadrants: ['grow'] } };
    const refused = await call('campaigns', routes, 'team-lead', 'POST', '/campaigns/preview', byQuadrant);
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual([expect.objectContaining({ path: 'body.audience.quadrants' })]);
    expect(
      (await call('campaigns', routes, 'account-manager', 'POST', '/campaigns/preview', byQuadrant)).status,
    ).toBe(200);
  });

  it('lets only key-account managers add a contact: it gets the account’s alerts and routes its calls', async () => {
    const routes = accountsRoutes();
    const before = await call('accounts', routes, 'account-manager', 'GET', `/accounts/${ACCOUNT}/contacts`);
    for (const role of ['agent', 'team-lead'] as const) {
      const res = await call('accounts', routes, role, 'POST', `/accounts/${ACCOUNT}/contacts`, {
        name: `Not a client (${role})`,
        phones: [{ number: '+8613900000001' }],
        email: 'outsider@example.com',
        consent: { calls: true, sms: true, email: true },
      });
      expect(res.status, role).toBe(403);
    }
    const after = await call('accounts', routes, 'account-manager', 'GET', `/accounts/${ACCOUNT}/contacts`);
    expect(after.json.items).toHaveLength(before.json.items.length);
  });

  it('keeps an Idempotency-Key to its caller: another role reusing it runs its own checks and gets nothing stored', async () => {
    const routes = routesOf('campaigns');
    const body = { name: 'Grow review (keyed)', type: 'account-review', audience: { quadrants: ['grow'] } };
    const headers = { 'Idempotency-Key': 'campaign-grow-keyed-000001' };
    const manager = await call('campaigns', routes, 'account-manager', 'POST', '/campaigns', body, headers);
    expect(manager.status).toBe(201);
    const again = await call('campaigns', routes, 'account-manager', 'POST', '/campaigns', body, headers);
    expect(again.json.id).toBe(manager.json.id);
    // A team lead with the manager's key and body: refused as any team lead choosing by quadrant.
    const lead = await call('campaigns', routes, 'team-lead', 'POST', '/campaigns', body, headers);
    expect(lead.status).toBe(400);
    expect(JSON.stringify(lead.json)).not.toContain(manager.json.id);
    expect(keysOf(lead.json).filter((k) => ECONOMIC_KEYS.includes(k.split('.').pop() ?? ''))).toEqual([]);
  });

  it('names the roles of every restricted route in the OpenAPI document', async () => {
    const { openApiDocument } = await import('#shared/platform/http/openapi.ts');
    const doc = openApiDocument(HTTP_FUNCTIONS.flatMap((f) => f.routes)) as unknown as {
      paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown> }>>;
    };
    const review = doc.paths['/accounts/{id}/review']?.get;
    expect(review?.description).toBe('Roles: account-manager');
    expect(review?.responses['403']).toBeDefined();
    expect(doc.paths['/accounts/{id}']?.get?.responses['403']).toBeUndefined();
    expect(ROLES).toHaveLength(3);
    // Every idempotent create documents what a reused or running key answers.
    const idempotent = HTTP_FUNCTIONS.flatMap((f) => f.routes).filter((r) => r.idempotent);
    expect(idempotent.length).toBeGreaterThanOrEqual(4);
    for (const r of idempotent) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()];
      expect(Object.keys(op?.responses ?? {}), `${r.method} ${r.path}`).toEqual(
        expect.arrayContaining(['409', '422']),
      );
    }
  });

  it('documents the 400 of every route that validates input, the CSV download, and answers 404 for unknown accounts', async () => {
    const { openApiDocument } = await import('#shared/platform/http/openapi.ts');
    const all = HTTP_FUNCTIONS.flatMap((f) => f.routes);
    const doc = openApiDocument(all) as unknown as {
      info: { description: string };
      paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
    };
    for (const r of all.filter((r) => r.params || r.query || r.body))
      expect(
        doc.paths[r.path]?.[r.method.toLowerCase()]?.responses['400'],
        `${r.method} ${r.path}`,
      ).toBeDefined();
    expect(doc.paths['/accounts/{id}/tracking-report']?.get?.responses['200']?.content).toEqual({
      'text/csv': { schema: { type: 'string' } },
    });
    for (const status of ['403', '404', '409', '413', '422']) expect(doc.info.description).toContain(status);
    // The account routes that listed nothing for an unknown id now say it is unknown.
    const followUps = await call(
      'campaigns',
      routesOf('campaigns'),
      'agent',
      'GET',
      '/accounts/acc-no-such/follow-ups',
    );
    expect(followUps.status).toBe(404);
    expect(
      (await call('tracking', routesOf('tracking'), 'agent', 'GET', '/accounts/acc-no-such/notifications'))
        .status,
    ).toBe(404);
    expect(
      (
        await call(
          'tracking',
          routesOf('tracking'),
          'agent',
          'GET',
          '/accounts/acc-jinhe-grain/notifications',
        )
      ).status,
    ).toBe(200);
  });

  it('documents every request body field by field, a tracking batch’s events included', async () => {
    const { openApiDocument } = await import('#shared/platform/http/openapi.ts');
    const doc = openApiDocument(HTTP_FUNCTIONS.flatMap((f) => f.routes)) as unknown as {
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    const { schemas } = doc.components;
    expect(schemas.TrackingBatch?.properties?.events).toMatchObject({
      items: { $ref: '#/components/schemas/TrackingEvent' },
      maxItems: 500,
    });
    expect(schemas.TrackingEvent?.required).toEqual(
      expect.arrayContaining(['eventId', 'waybill', 'accountId', 'milestone', 'location', 'at']),
    );
    // A phone is sent as dialled or as GET answers it.
    expect(schemas.ContactInput?.properties?.phones).toMatchObject({
      items: { properties: { number: { type: 'string' }, e164: { type: 'string' } } },
    });
  });
});

function routesOf(name: string): RouteDef[] {
  return HTTP_FUNCTIONS.find((f) => f.name === name)?.routes ?? [];
}
function accountsRoutes() {
  return routesOf('accounts');
}
