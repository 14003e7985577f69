import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { complaintPolicyFromEnv } from '#shared/complaints/config.ts';
import type { Complaint } from '#shared/complaints/model.ts';
import { quarterOf, quarterRange, reviewPack } from '#shared/complaints/review-pack.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { complaintList, complaintView, serviceMetrics } from '#shared/complaints/views.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { endpoint, httpHandler } from '#shared/platform/http/handler.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { complaintRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const accounts = new Accounts(db, env.TABLE_NAME);
const campaigns = new Campaigns(db, env.TABLE_NAME);
const complaints = new Complaints(db, env.TABLE_NAME, campaigns, complaintPolicyFromEnv());
const shipments = new Shipments(db, env.TABLE_NAME);
const reopen = complaints.policy.reopenWindowMinutes;

/** Complaints over HTTP: intake, lifecycle, follow-up outcome, service metrics. */
export const handler = httpHandler([
  endpoint(r.create, async ({ body, agent, requestKey }) => {
    // The account and whose its waybills are, side by side: one BatchGetItem for the waybills.
    const [account, waybillOwners] = await Promise.all([
      accounts.get(body.accountId),
      shipments.owners(body.waybills),
    ]);
    const { complaint } = await complaints.create({ owner: agent.name, ...body }, account, agent.name, {
      waybillOwners,
      ...(requestKey ? { requestKey } : {}),
    });
    return { statusCode: 201, body: complaintView(complaint, new Date(), reopen) };
  }),
  endpoint(r.list, async ({ query, agent }) => {
    const source = query.reference
      ? [await complaints.findByReference(query.reference)].filter(
          (c): c is Complaint => c !== undefined && (!query.accountId || c.accountId === query.accountId),
        )
      : query.accountId
        ? await complaints.listByAccount(query.accountId)
        : await complaints.listUnresolved();
    return {
      statusCode: 200,
      body: { items: complaintList(source, query, agent.name, new Date(), reopen) },
    };
  }),
  endpoint(r.get, async ({ params }) => ({
    statusCode: 200,
    body: complaintView(await complaints.require(params.id), new Date(), reopen),
  })),
  endpoint(r.transition, async ({ params, body, agent }) => {
    const { to, ...rest } = body;
    const c = await complaints.transition(params.id, to, { ...rest, by: agent.name });
    return { statusCode: 200, body: complaintView(c, new Date(), reopen) };
  }),
  endpoint(r.followUp, async ({ params, body, agent }) => {
    const c = await complaints.recordFollowUp(params.id, { ...body, by: agent.name });
    return { statusCode: 200, body: complaintView(c, new Date(), reopen) };
  }),
  endpoint(r.reviewPack, async ({ params, query }) => {
    const now = new Date();
    const quarter = query.quarter ?? quarterOf(now);
    const { from } = quarterRange(quarter);
    const account = await accounts.require(params.id);
    const [delivered, open, all, followUps] = await Promise.all([
      shipments.listByAccount(params.id, 'delivered', from),
      shipments.listByAccount(params.id, 'open'),
      complaints.listByAccount(params.id),
      campaigns.followUps(params.id),
    ]);
    const pack = reviewPack(
      { account, quarter, delivered, open, complaints: all, followUps: followUps.items },
      now,
    );
    return { statusCode: 200, body: pack };
  }),
  endpoint(r.metrics, async ({ params }) => {
    await accounts.require(params.id);
    return { statusCode: 200, body: await serviceMetrics(complaints, shipments, params.id) };
  }),
]);
