import { complaintOptionsFromEnv } from '#shared/complaints/config.ts';
import { byUrgency, complaintView, serviceMetrics } from '#shared/complaints/views.ts';
import { loadEnv, TableEnv } from '#shared/config/env.ts';
import { ValidationError } from '#shared/errors.ts';
import { endpoint, httpHandler } from '#shared/http/handler.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ComplaintStore } from '#shared/store/complaints.ts';
import { IdempotencyStore } from '#shared/store/idempotency.ts';
import { ShipmentStore } from '#shared/store/shipments.ts';
import { complaintRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const options = complaintOptionsFromEnv();
const db = createDocumentClient();
const accounts = new AccountStore(db, env.TABLE_NAME);
const complaints = new ComplaintStore(db, env.TABLE_NAME, options);
const shipments = new ShipmentStore(db, env.TABLE_NAME);
const reopen = options.reopenWindowMinutes ?? 0;

export const handler = httpHandler(
  [
    endpoint(r.create, async ({ body, agent }) => {
      const account = await accounts.get(body.accountId);
      if (!account)
        throw new ValidationError([
          { path: 'body.accountId', message: `account ${body.accountId} does not exist` },
        ]);
      const { complaint } = await complaints.create({ owner: agent.name, ...body }, account, agent.name);
      return { statusCode: 201, body: complaintView(complaint, new Date(), reopen) };
    }),
    endpoint(r.list, async ({ query, agent }) => {
      const now = new Date();
      const source = query.accountId
        ? await complaints.listByAccount(query.accountId)
        : await complaints.listUnresolved();
      const items = source
        .map((c) => complaintView(c, now, reopen))
        .filter((c) => !query.status || c.status === query.status)
        .filter((c) => !query.owner || c.owner === (query.owner === 'me' ? agent.name : query.owner))
        .filter((c) => !query.team || c.team === query.team)
        .filter(
          (c) =>
            !query.sla ||
            c.sla.current === query.sla ||
            (query.sla === 'at-risk' && c.sla.current === 'breached'),
        )
        .sort(byUrgency);
      return { statusCode: 200, body: { items } };
    }),
    endpoint(r.get, async ({ params }) => ({
      statusCode: 200,
      body: complaintView(await complaints.require(params.id), new Date(), reopen),
    })),
    endpoint(r.transition, async ({ params, body, agent }) => {
      const c = await complaints.transition(params.id, body.to, {
        version: body.version,
        by: agent.name,
        ...(body.note ? { note: body.note } : {}),
      });
      return { statusCode: 200, body: complaintView(c, new Date(), reopen) };
    }),
    endpoint(r.followUp, async ({ params, body, agent }) => {
      const c = await complaints.recordFollowUp(params.id, { ...body, by: agent.name });
      return { statusCode: 200, body: complaintView(c, new Date(), reopen) };
    }),
    endpoint(r.metrics, async ({ params }) => {
      await accounts.require(params.id);
      return { statusCode: 200, body: await serviceMetrics(complaints, shipments, params.id) };
    }),
  ],
  { idempotency: new IdempotencyStore(db, env.TABLE_NAME) },
);
