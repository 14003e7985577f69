import * as z from 'zod';
import { type FieldError, ValidationError, zodIssuesToFieldErrors } from '../platform/errors.ts';
import { both, type Lang } from '../platform/messages/index.ts';
import { ZH_ERRORS } from '../platform/plain-errors.ts';
import { ShipmentBooking } from './booking.ts';
import { TrackingEvent } from './delay.ts';
import type { Shipments } from './service.ts';
import { compareScans, scanTimeRefused } from './tracking.ts';

export const IngestReport = z
  .object({
    received: z.number(),
    applied: z.number(),
    stale: z.number().meta({
      description:
        'Kept as history, state unchanged: older than the newest event applied, or after the delivery (a damage report after it marks the goods damaged and counts as applied)',
    }),
    duplicates: z.number(),
    delaysAnnounced: z.number(),
    rejected: z.array(
      z.object({
        index: z.number(),
        eventId: z.string().optional(),
        reason: z.string(),
        reasonZh: z.string().meta({ description: 'The reason in Chinese' }),
      }),
    ),
  })
  .meta({ id: 'IngestReport' });
export type IngestReport = z.output<typeof IngestReport>;

/**
 * Ingests a batch of tracking events (the HTTP API and the SQS path both call this). Each event
 * is validated on its own: a bad one (or one whose times are absurd, `scanTimeRefused`) is
 * rejected with its index and reason in both languages, the rest are stored.
 * Events of one waybill are applied in the order they happened (`compareScans`: by instant
 * whatever the UTC offset, same-instant scans by milestone); waybills are worked on in parallel.
 */
export async function ingestBatch(
  store: Shipments,
  events: unknown[],
  now = new Date(),
  concurrency = 8,
): Promise<IngestReport> {
  const report: IngestReport = {
    received: events.length,
    applied: 0,
    stale: 0,
    duplicates: 0,
    delaysAnnounced: 0,
    rejected: [],
  };
  const byWaybill = new Map<string, { index: number; event: TrackingEvent }[]>();
  const reject = (index: number, eventId: string | undefined, path: string, why: Record<Lang, string>) =>
    report.rejected.push({
      index,
      ...(eventId ? { eventId } : {}),
      reason: `${path}${why.en}`,
      reasonZh: `${path}${why['zh-CN']}`,
    });
  events.forEach((raw, index) => {
    const parsed = TrackingEvent.safeParse(raw);
    if (!parsed.success) {
      const eventId =
        typeof (raw as { eventId?: unknown })?.eventId === 'string'
          ? String((raw as { eventId: string }).eventId)
          : undefined;
      const zh = TrackingEvent.safeParse(raw, ZH_ERRORS).error?.issues ?? [];
      const words = (issues: readonly z.core.$ZodIssue[]) =>
        zodIssuesToFieldErrors(issues)
          .map((e) => `${e.path}: ${e.message}`)
          .join('; ');
      reject(index, eventId, '', { en: words(parsed.error.issues), 'zh-CN': words(zh) });
      return;
    }
    // Checked against the time it is received: a scan dated ahead would block every later one.
    const refused = scanTimeRefused(parsed.data, now);
    if (refused) {
      reject(index, parsed.data.eventId, `${refused.path}: `, refused.reason);
      return;
    }
    const list = byWaybill.get(parsed.data.waybill) ?? [];
    list.push({ index, event: parsed.data });
    byWaybill.set(parsed.data.waybill, list);
  });
  // By instant (the text of `+08:00` and `Z` times does not sort), then by milestone progression.
  const groups = [...byWaybill.values()].map((g) => g.sort((a, b) => compareScans(a.event, b.event)));
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let g = groups.shift(); g; g = groups.shift()) {
        for (const { index, event } of g) {
          const r = await store.applyEvent(event, now);
          if (r.result === 'applied') report.applied++;
          else if (r.result === 'stale') report.stale++;
          else if (r.result === 'duplicate') report.duplicates++;
          else
            reject(
              index,
              event.eventId,
              '',
              both(r.result === 'unknown-waybill' ? 'tracking.unknown-waybill' : 'tracking.other-account', {
                waybill: event.waybill,
              }),
            );
          if (r.announced) report.delaysAnnounced++;
        }
      }
    }),
  );
  report.rejected.sort((a, b) => a.index - b.index);
  return report;
}

/** A feed message's booking: `{"type": "ShipmentBooked", ...booking}` (booking.ts). */
export const isBookingMessage = (raw: unknown): boolean =>
  typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'ShipmentBooked';

/** What a feed message did: its tracking events' report, with its bookings' refusals among the rejected. */
export interface FeedReport {
  report: IngestReport;
  booked: number;
}

/**
 * A TMS feed's items in the order they came: bookings (`isBookingMessage`) and tracking events.
 * Each booking is applied in its place, so a shipment booked first takes the scans after it; the
 * events between two bookings are ingested together (`ingestBatch`). A bad booking is rejected by
 * its index and reason in both languages, as a bad event is.
 */
export async function ingestFeed(store: Shipments, items: unknown[], now = new Date()): Promise<FeedReport> {
  const report: IngestReport = {
    received: items.length,
    applied: 0,
    stale: 0,
    duplicates: 0,
    delaysAnnounced: 0,
    rejected: [],
  };
  let booked = 0;
  let run: { index: number; raw: unknown }[] = [];
  const flush = async () => {
    if (!run.length) return;
    const r = await ingestBatch(
      store,
      run.map((x) => x.raw),
      now,
    );
    const offsets = run.map((x) => x.index);
    for (const k of ['applied', 'stale', 'duplicates', 'delaysAnnounced'] as const) report[k] += r[k];
    report.rejected.push(...r.rejected.map((x) => ({ ...x, index: offsets[x.index] ?? x.index })));
    run = [];
  };
  for (const [index, raw] of items.entries()) {
    if (!isBookingMessage(raw)) {
      run.push({ index, raw });
      continue;
    }
    await flush();
    const errors = await bookingErrors(store, raw, now);
    if (!errors) booked++;
    else
      report.rejected.push({
        index,
        reason: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
        reasonZh: errors.map((e) => `${e.path}: ${e.messageZh ?? e.message}`).join('; '),
      });
  }
  await flush();
  report.rejected.sort((a, b) => a.index - b.index);
  return { report, booked };
}

/** Books one feed booking; its refusal's field errors in both languages, or undefined once booked. */
async function bookingErrors(store: Shipments, raw: unknown, now: Date): Promise<FieldError[] | undefined> {
  const parsed = ShipmentBooking.safeParse(raw);
  if (!parsed.success) {
    const zh = zodIssuesToFieldErrors(ShipmentBooking.safeParse(raw, ZH_ERRORS).error?.issues ?? []);
    return zodIssuesToFieldErrors(parsed.error.issues).map((e, i) => ({
      ...e,
      messageZh: zh[i]?.message ?? e.message,
    }));
  }
  try {
    await store.book(parsed.data, now);
    return undefined;
  } catch (err) {
    if (err instanceof ValidationError) return err.errors;
    throw err;
  }
}
