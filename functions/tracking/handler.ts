import { Accounts } from '#shared/accounts/service.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { NotFoundError, ValidationError } from '#shared/platform/errors.ts';
import { endpoint, httpHandler } from '#shared/platform/http/handler.ts';
import { ingestBatch } from '#shared/shipments/ingest.ts';
import { isOpenAndDelayed } from '#shared/shipments/model.ts';
import { trackingReportCsv } from '#shared/shipments/report.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { trackingRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const shipments = new Shipments(db, env.TABLE_NAME);
const notifications = new NotificationRepo(db, env.TABLE_NAME);
const accounts = new Accounts(db, env.TABLE_NAME);

/** Shipments over HTTP: tracking events, delays, the in-transit list and report, the alert log. */
export const handler = httpHandler([
  endpoint(r.ingest, async ({ body }) => ({
    statusCode: 200,
    body: await ingestBatch(shipments, body.events),
  })),
  endpoint(r.shipment, async ({ params }) => {
    const s = await shipments.get(params.waybill);
    if (!s) throw new NotFoundError('Shipment', params.waybill);
    return { statusCode: 200, body: s };
  }),
  endpoint(r.book, async ({ params, body }) => {
    try {
      const { outcome, shipment } = await shipments.book({ ...body, waybill: params.waybill });
      return { statusCode: outcome === 'created' ? 201 : 200, body: shipment };
    } catch (err) {
      // The rule names the booking's fields (the HTTP layer places them in the body); the waybill is the path's.
      if (!(err instanceof ValidationError) || !err.errors.some((e) => e.path === 'waybill')) throw err;
      const errors = err.errors.map((e) => (e.path === 'waybill' ? { ...e, path: 'path.waybill' } : e));
      throw new ValidationError(errors, err.message, err.problem);
    }
  }),
  endpoint(r.delayState, async ({ params, body, agent }) => ({
    statusCode: 200,
    body: await shipments.updateDelay(
      params.waybill,
      body.action === 'remedy' && body.remedy
        ? { action: 'remedy', remedy: body.remedy, by: agent.name, ...(body.note ? { note: body.note } : {}) }
        : { action: body.action === 'remedy' ? 'acknowledge' : body.action },
    ),
  })),
  endpoint(r.inTransit, async ({ params, query }) => {
    await accounts.require(params.id);
    const open = await shipments.listByAccount(params.id, 'open');
    const now = new Date();
    return {
      statusCode: 200,
      body: { items: query.delayed === 'true' ? open.filter((s) => isOpenAndDelayed(s, now)) : open },
    };
  }),
  endpoint(r.report, async ({ params }) => {
    await accounts.require(params.id);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${params.id}-tracking-report.csv"`,
      },
      body: trackingReportCsv(await shipments.listByAccount(params.id, 'open'), new Date()),
    };
  }),
  endpoint(r.notifications, async ({ params }) => {
    await accounts.require(params.id);
    return { statusCode: 200, body: { items: await notifications.list(params.id) } };
  }),
]);
