import * as z from 'zod';
import { AccountId } from '#shared/accounts/model.ts';
import { NotificationRecord } from '#shared/notify/model.ts';
import { errorResponses as errors } from '#shared/platform/http/errors-schema.ts';
import type { RouteDef } from '#shared/platform/http/route.ts';
import { refusal } from '#shared/platform/messages/index.ts';
import { ShipmentBookingBody } from '#shared/shipments/booking.ts';
import { TrackingEvent } from '#shared/shipments/delay.ts';
import { IngestReport } from '#shared/shipments/ingest.ts';
import { Shipment, Waybill } from '#shared/shipments/model.ts';
import { REMEDIES } from '#shared/shipments/remedies.ts';

export const trackingRoutes = {
  ingest: {
    method: 'POST',
    path: '/tracking-events',
    operationId: 'ingestTrackingEvents',
    summary: 'A batch of up to 500 tracking events; bad ones are rejected by index, the rest stored',
    tag: 'Shipments',
    // Each event is checked on its own (a bad one is refused by its index, the rest stored).
    body: z.object({ events: z.array(z.unknown()).min(1).max(500) }),
    documentedBody: z
      .object({ events: z.array(TrackingEvent).min(1).max(500) })
      .meta({ id: 'TrackingBatch' }),
    responses: {
      200: { description: 'What happened to each event', schema: IngestReport },
      400: errors[400],
      500: errors[500],
    },
  },
  shipment: {
    method: 'GET',
    path: '/shipments/{waybill}',
    operationId: 'getShipment',
    summary: 'A shipment with its milestones, ETA and delay state',
    tag: 'Shipments',
    params: z.object({ waybill: Waybill }),
    responses: {
      200: { description: 'The shipment', schema: Shipment },
      400: errors[400],
      404: errors[404],
      500: errors[500],
    },
  },
  book: {
    method: 'PUT',
    path: '/shipments/{waybill}',
    operationId: 'bookShipment',
    summary:
      'Registers a shipment the TMS booked, or updates its booking (a resend, a re-promise agreed with the client); milestones, status and delay stay',
    tag: 'Shipments',
    params: z.object({ waybill: Waybill }),
    body: ShipmentBookingBody,
    responses: {
      200: {
        description: 'Updated, or unchanged (an identical resend, or a booking older than the one applied)',
        schema: Shipment,
      },
      201: { description: 'Registered', schema: Shipment },
      400: errors[400],
      404: { description: 'Unknown account (`errors` names accountId)', schema: errors[404].schema },
      409: {
        description:
          "Another account's waybill, or a delivered shipment (`errors` names the waybill); or a conflict",
        schema: errors[409].schema,
      },
      500: errors[500],
    },
  },
  delayState: {
    method: 'POST',
    path: '/shipments/{waybill}/delay',
    operationId: 'updateDelay',
    summary:
      'Customer service acknowledges a detected delay, records the remedy it arranged (from the industry playbook), or clears it',
    tag: 'Shipments',
    params: z.object({ waybill: Waybill }),
    body: z
      .object({
        action: z.enum(['acknowledge', 'remedy', 'clear']),
        remedy: z
          .enum(REMEDIES)
          .optional()
          .meta({ description: "With `remedy`: one the industry's playbook offers" }),
        note: z.string().trim().max(500).optional(),
      })
      .refine((b) => b.action !== 'remedy' || b.remedy !== undefined, {
        path: ['remedy'],
        ...refusal('delay.remedy-missing'),
      })
      .meta({ id: 'DelayAction' }),
    responses: { 200: { description: 'The shipment', schema: Shipment }, ...errors },
  },
  inTransit: {
    method: 'GET',
    path: '/accounts/{id}/shipments',
    operationId: 'listInTransitShipments',
    summary:
      'The account’s in-transit shipments (promise soonest first); `delayed=true` keeps only the late ones',
    tag: 'Shipments',
    params: z.object({ id: AccountId }),
    query: z.object({
      delayed: z
        .enum(['true', 'false'])
        .optional()
        .meta({ description: 'true: only shipments with an open delay or running late now' }),
    }),
    responses: {
      200: { description: 'In-transit shipments', schema: z.object({ items: z.array(Shipment) }) },
      400: errors[400],
      404: errors[404],
      500: errors[500],
    },
  },
  report: {
    method: 'GET',
    path: '/accounts/{id}/tracking-report',
    operationId: 'trackingReport',
    summary: 'The transport tracking report (运输跟踪报表) of the account’s in-transit shipments, as CSV',
    tag: 'Shipments',
    params: z.object({ id: AccountId }),
    responses: {
      200: { description: 'One row per in-transit shipment, delayed first', contentType: 'text/csv' },
      404: errors[404],
      500: errors[500],
    },
  },
  notifications: {
    method: 'GET',
    path: '/accounts/{id}/notifications',
    operationId: 'listNotifications',
    summary: 'The account’s notification log: sent, deferred, suppressed as a duplicate, opted out, failed',
    tag: 'Shipments',
    params: z.object({ id: AccountId }),
    responses: {
      200: {
        description: 'Newest first',
        schema: z.object({ items: z.array(NotificationRecord) }),
      },
      400: errors[400],
      404: errors[404],
      500: errors[500],
    },
  },
} satisfies Record<string, RouteDef>;
