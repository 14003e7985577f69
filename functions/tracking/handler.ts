import { loadEnv, TableEnv } from '#shared/config/env.ts';
import { isOpenAndDelayed } from '#shared/domain/shipment.ts';
import { NotFoundError } from '#shared/errors.ts';
import { endpoint, httpHandler } from '#shared/http/handler.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { NotificationStore } from '#shared/store/notifications.ts';
import { ShipmentStore } from '#shared/store/shipments.ts';
import { ingestBatch } from '#shared/tracking/ingest.ts';
import { trackingReportCsv } from '#shared/tracking/report.ts';
import { trackingRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const db = createDocumentClient();
const shipments = new ShipmentStore(db, env.TABLE_NAME);
const notifications = new NotificationStore(db, env.TABLE_NAME);
const accounts = new AccountStore(db, env.TABLE_NAME);

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
  endpoint(r.delayState, async ({ params, body }) => ({
    statusCode: 200,
    body: await shipments.updateDelay(params.waybill, body.action),
  })),
  endpoint(r.inTransit, async ({ params, query }) => {
    await accounts.require(params.id);
    const open = await shipments.listByAccount(params.id, 'open');
    const now = new Date();
    const items = query.delayed === 'true' ? open.filter((s) => isOpenAndDelayed(s, now)) : open;
    return { statusCode: 200, body: { items } };
  }),
  endpoint(r.report, async ({ params }) => {
    await accounts.require(params.id);
    const csv = trackingReportCsv(await shipments.listByAccount(params.id, 'open'), new Date());
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${params.id}-tracking-report.csv"`,
      },
      body: csv,
    };
  }),
  endpoint(r.notifications, async ({ params }) => ({
    statusCode: 200,
    body: { items: await notifications.list(params.id) },
  })),
]);
