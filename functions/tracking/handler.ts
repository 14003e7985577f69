import { loadEnv, TableEnv } from '#shared/config/env.ts';
import { NotFoundError } from '#shared/errors.ts';
import { endpoint, httpHandler } from '#shared/http/handler.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ShipmentStore } from '#shared/store/shipments.ts';
import { ingestBatch } from '#shared/tracking/ingest.ts';
import { trackingRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const shipments = new ShipmentStore(createDocumentClient(), env.TABLE_NAME);

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
]);
