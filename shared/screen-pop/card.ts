import { byUrgency, complaintView } from '../complaints/views.ts';
import { type AccountWithContacts, type Contact, routingQueueOf } from '../domain/account.ts';
import { type ComplaintMetrics, complaintMetrics, UNRESOLVED } from '../domain/complaint.ts';
import { type NextAction, nextActions } from '../domain/next-actions.ts';
import {
  type DeliveryKpis,
  delayOf,
  deliveryKpis,
  lastMilestone,
  type Shipment,
} from '../domain/shipment.ts';
import type { AccountStore, PhoneLookupItem } from '../store/accounts.ts';
import type { CallerDirectory, CallRecord } from '../store/caller-directory.ts';
import type { ComplaintStore } from '../store/complaints.ts';
import type { AccountStats, ShipmentStore } from '../store/shipments.ts';

export interface ShipmentLine {
  waybill: string;
  origin: string;
  destination: string;
  cargo?: string;
  temperatureRange?: string;
  status: Shipment['status'];
  promisedAt: string;
  eta: string;
  delayed: boolean;
  minutesLate: number;
  delayReason: string;
  exceptionReason?: string;
  lastMilestone?: string;
  lastLocation?: string;
  lastScanAt?: string;
  delayState?: string;
  delaySeverity?: string;
}

export interface ScreenPopCard {
  lookupStatus: 'ok' | 'ambiguous' | 'unknown';
  phone?: string;
  account?: AccountWithContacts;
  routingQueue?: string;
  contact?: Contact;
  otherMatches: Pick<PhoneLookupItem, 'accountId' | 'accountName' | 'tier' | 'contactName' | 'contactId'>[];
  stats?: AccountStats;
  kpis?: DeliveryKpis & { windowDays: number };
  openComplaints: { count: number; items: ReturnType<typeof complaintView>[] };
  serviceMetrics?: ComplaintMetrics & { shipments: number };
  shipments: ShipmentLine[];
  recentCalls: CallRecord[];
  actions: NextAction[];
}

export interface CardDeps {
  accounts: AccountStore;
  shipments: ShipmentStore;
  directory: CallerDirectory;
  complaints: ComplaintStore;
  reopenWindowMinutes: number;
}

const KPI_WINDOW_DAYS = 90;

/** The full screen-pop card for an account (and, when known, the calling number). */
export async function accountCard(
  deps: CardDeps,
  accountId: string,
  phone: string | undefined,
  now = new Date(),
): Promise<ScreenPopCard | undefined> {
  const since = new Date(now.getTime() - KPI_WINDOW_DAYS * 86_400_000).toISOString();
  const [account, matches, open, delivered, stats, recentCalls, complaints] = await Promise.all([
    deps.accounts.get(accountId),
    phone ? deps.accounts.findByPhone(phone) : Promise.resolve([]),
    deps.shipments.listByAccount(accountId, 'open'),
    deps.shipments.listByAccount(accountId, 'delivered', since),
    deps.shipments.stats(accountId),
    deps.directory.recentCalls(accountId, 10),
    deps.complaints.listByAccount(accountId),
  ]);
  if (!account) return undefined;
  const match = matches.find((m) => m.accountId === accountId);
  const contact = match ? account.contacts.find((c) => c.id === match.contactId) : undefined;
  const lines = open
    .map((s) => shipmentLine(s, now))
    .sort((a, b) => Number(b.delayed) - Number(a.delayed) || b.minutesLate - a.minutesLate);
  const kpis = { ...deliveryKpis(delivered), windowDays: KPI_WINDOW_DAYS };
  const dayAgo = now.getTime() - 86_400_000;
  const ambiguous = new Set(matches.map((m) => m.accountId)).size > 1;
  const openItems = complaints
    .filter((c) => c.status !== 'closed')
    .map((c) => complaintView(c, now, deps.reopenWindowMinutes))
    .sort(byUrgency);
  const unresolved = openItems.filter((c) => UNRESOLVED.includes(c.status));
  const shipmentsInWindow = delivered.length + open.length;
  return {
    lookupStatus: ambiguous ? 'ambiguous' : 'ok',
    ...(phone ? { phone } : {}),
    account,
    routingQueue: routingQueueOf(account),
    ...(contact ? { contact } : {}),
    otherMatches: matches
      .filter((m) => m.accountId !== accountId)
      .map(({ accountId: id, accountName, tier, contactName, contactId }) => ({
        accountId: id,
        accountName,
        tier,
        contactName,
        contactId,
      })),
    stats,
    kpis,
    openComplaints: { count: stats.openComplaints, items: openItems },
    serviceMetrics: {
      ...complaintMetrics(
        complaints.filter((c) => c.createdAt >= since),
        shipmentsInWindow,
      ),
      shipments: shipmentsInWindow,
    },
    shipments: lines,
    recentCalls,
    actions: nextActions({
      tier: account.derived.tier,
      ambiguous,
      contactLanguage: contact?.language,
      doNotCall: contact?.doNotCall,
      onTimeCommitment: account.onTimeCommitment,
      onTimeRate: kpis.onTimeRate,
      openComplaints: unresolved.map((c) => ({
        slaState:
          c.sla.current === 'breached' ? 'breached' : c.sla.current === 'at-risk' ? 'at-risk' : 'on-track',
      })),
      delayedShipments: lines
        .filter((l) => l.delayed)
        .map((l) => ({
          waybill: l.waybill,
          minutesLate: l.minutesLate,
          exception: l.delayReason === 'exception',
        })),
      callsLast24h: recentCalls.filter((c) => Date.parse(c.at) >= dayAgo).length,
    }),
  };
}

/** The card for a calling number: the highest-priority account it belongs to, or "unknown". */
export async function phoneCard(deps: CardDeps, phone: string, now = new Date()): Promise<ScreenPopCard> {
  const matches = await deps.accounts.findByPhone(phone);
  const best = matches[0];
  if (!best) {
    return {
      lookupStatus: 'unknown',
      phone,
      otherMatches: [],
      openComplaints: { count: 0, items: [] },
      shipments: [],
      recentCalls: [],
      actions: [],
    };
  }
  const card = await accountCard(deps, best.accountId, phone, now);
  if (!card) throw new Error(`phone lookup points at a missing account ${best.accountId}`);
  return card;
}

export function shipmentLine(s: Shipment, now: Date): ShipmentLine {
  const d = delayOf(s, now);
  const last = lastMilestone(s);
  return {
    waybill: s.waybill,
    origin: s.origin,
    destination: s.destination,
    ...(s.cargo ? { cargo: s.cargo } : {}),
    ...(s.temperatureRange ? { temperatureRange: s.temperatureRange } : {}),
    status: s.status,
    promisedAt: s.promisedAt,
    eta: s.eta,
    delayed: d.delayed,
    minutesLate: d.minutesLate,
    delayReason: d.reason,
    ...(d.exceptionReason ? { exceptionReason: d.exceptionReason } : {}),
    ...(last ? { lastMilestone: last.milestone, lastLocation: last.location, lastScanAt: last.at } : {}),
    ...(s.delay ? { delayState: s.delay.state, delaySeverity: s.delay.severity } : {}),
  };
}
