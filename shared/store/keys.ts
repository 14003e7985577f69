/**
 * Every entity's keys, built in one place. No other module concatenates key strings.
 * docs/data-model.md lists the access patterns these keys serve.
 */
import type { Segment } from '../domain/account.ts';
import type { Tier } from '../domain/prioritization.ts';

/** Shards of the sparse due index: enough to spread a busy minute, few enough to query all. */
export const DUE_SHARDS = 8;

export interface Key {
  pk: string;
  sk: string;
}

const pad = (n: number, width: number) => String(Math.max(0, Math.floor(n))).padStart(width, '0');

/** A stable small hash so an item always lands on the same shard. */
export function shardOf(id: string, shards = DUE_SHARDS): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % shards;
}

export const keys = {
  account: {
    profile: (accountId: string): Key => ({ pk: `ACCOUNT#${accountId}`, sk: 'PROFILE' }),
    /** Every item of an account's partition: profile, contacts, later complaints, call log. */
    partition: (accountId: string) => `ACCOUNT#${accountId}`,
    /** The profile and its contacts share this sort-key prefix, so one query reads them all. */
    profileTreePrefix: 'PROFILE',
    /** gsi1: accounts of a segment, ordered by tier then name. */
    listing: (segment: Segment, tier: Tier, nameKey: string, accountId: string) => ({
      gsi1pk: `SEGMENT#${segment}`,
      gsi1sk: `TIER#${tierRank(tier)}#${nameKey}#${accountId}`,
    }),
    segmentPartition: (segment: Segment) => `SEGMENT#${segment}`,
    tierPrefix: (tier: Tier) => `TIER#${tierRank(tier)}#`,
  },
  /** Live counters read by the screen pop's second round trip. */
  stats: (accountId: string): Key => ({ pk: `ACCOUNT#${accountId}`, sk: 'STATS' }),
  /** One item per call; newest first by sort key. */
  callLog: {
    item: (accountId: string, at: string, contactId: string): Key => ({
      pk: `ACCOUNT#${accountId}`,
      sk: `CALL#${at}#${contactId}`,
    }),
    prefix: 'CALL#',
  },
  shipment: {
    item: (waybill: string): Key => ({ pk: `SHIPMENT#${waybill}`, sk: 'SHIPMENT' }),
    /** gsi1: an account's shipments by state; in transit by promised time, delivered by delivery time. */
    listing: (accountId: string, open: boolean, at: string, waybill: string) => ({
      gsi1pk: `ACCOUNT#${accountId}#SHIPMENTS`,
      gsi1sk: `${open ? 'IN_TRANSIT' : 'DELIVERED'}#${at}#${waybill}`,
    }),
    accountPartition: (accountId: string) => `ACCOUNT#${accountId}#SHIPMENTS`,
    /** A tracking event, kept under its shipment; the event id makes a redelivery a no-op. */
    event: (waybill: string, at: string, eventId: string): Key => ({
      pk: `SHIPMENT#${waybill}`,
      sk: `EVENT#${at}#${eventId}`,
    }),
    openPrefix: 'IN_TRANSIT#',
    deliveredPrefix: 'DELIVERED#',
  },
  contact: {
    item: (accountId: string, contactId: string): Key => ({
      pk: `ACCOUNT#${accountId}`,
      sk: `PROFILE#CONTACT#${contactId}`,
    }),
    prefix: 'PROFILE#CONTACT#',
  },
  /** Phone lookup: one item per (number, account, contact), carrying the routing summary. */
  phone: {
    item: (e164: string, accountId: string, contactId: string): Key => ({
      pk: `PHONE#${e164}`,
      sk: `ACCOUNT#${accountId}#CONTACT#${contactId}`,
    }),
    partition: (e164: string) => `PHONE#${e164}`,
  },
  complaint: {
    item: (id: string): Key => ({ pk: `COMPLAINT#${id}`, sk: 'COMPLAINT' }),
    partition: (id: string) => `COMPLAINT#${id}`,
    history: (id: string, at: string, seq: number): Key => ({
      pk: `COMPLAINT#${id}`,
      sk: `HISTORY#${at}#${String(seq).padStart(3, '0')}`,
    }),
    historyPrefix: 'HISTORY#',
    /** gsi1: an account's complaints, unresolved-or-resolved (OPEN#) before closed ones (CLOSED#). */
    listing: (accountId: string, closed: boolean, id: string) => ({
      gsi1pk: `ACCOUNT#${accountId}#COMPLAINTS`,
      gsi1sk: `${closed ? 'CLOSED' : 'OPEN'}#${id}`,
    }),
    accountPartition: (accountId: string) => `ACCOUNT#${accountId}#COMPLAINTS`,
    /** A daily counter that numbers complaint references. */
    counter: (day: string): Key => ({ pk: `COUNTER#complaint#${day}`, sk: 'COUNTER' }),
  },
  campaign: {
    item: (id: string): Key => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' }),
    listing: (status: string, createdAt: string, id: string) => ({
      gsi1pk: 'CAMPAIGNS',
      gsi1sk: `${status}#${createdAt}#${id}`,
    }),
    listPartition: 'CAMPAIGNS',
  },
  /** Amazon Connect ContactId → the callback (and attempt) it dialed, for contact events. */
  connectContact: (contactId: string): Key => ({ pk: `CONNECTCONTACT#${contactId}`, sk: 'CALLBACK' }),
  /** At most one pending customer-requested callback per number. */
  pendingCallback: (e164: string): Key => ({ pk: `PENDINGCB#${e164}`, sk: 'PENDING' }),
  /** Dials to a number on a local day, for the daily cap. */
  dials: (e164: string, day: string): Key => ({ pk: `DIALS#${e164}#${day}`, sk: 'COUNT' }),
  callback: {
    item: (id: string): Key => ({ pk: `CALLBACK#${id}`, sk: 'CALLBACK' }),
    campaignPartition: (campaignId: string) => `CAMPAIGN#${campaignId}#CALLBACKS`,
    listing: (campaignId: string, state: string, id: string) => ({
      gsi1pk: `CAMPAIGN#${campaignId}#CALLBACKS`,
      gsi1sk: `${state}#${id}`,
    }),
  },
  notification: {
    /** One per shipment × severity × channel × recipient: a notification is never sent twice. */
    dedup: (waybill: string, severity: string, channel: string, recipient: string): Key => ({
      pk: `NOTIFY#${waybill}#${severity}#${channel}#${recipient}`,
      sk: 'KEY',
    }),
    log: (accountId: string, at: string, id: string): Key => ({
      pk: `ACCOUNT#${accountId}`,
      sk: `NOTIFICATION#${at}#${id}`,
    }),
    logPrefix: 'NOTIFICATION#',
    deferred: (id: string): Key => ({ pk: `DEFERRED#${id}`, sk: 'NOTIFICATION' }),
    optOut: (phone: string): Key => ({ pk: `OPTOUT#${phone}`, sk: 'SMS' }),
  },
  /** Transactional outbox: domain events written with the state change, published afterwards. */
  outbox: {
    item: (id: string): Key => ({ pk: `OUTBOX#${id}`, sk: 'OUTBOX' }),
  },
  idempotency: {
    item: (scope: string, key: string): Key => ({ pk: `IDEMPOTENCY#${scope}#${key}`, sk: 'RESULT' }),
  },
  /** Sparse due index (gsi2): designed here, used by the complaints, campaigns and delay issues. */
  due: {
    complaintSla: (complaintId: string, dueAt: string) => ({
      gsi2pk: `DUE#SLA#${shardOf(complaintId)}`,
      gsi2sk: `${dueAt}#${complaintId}`,
    }),
    complaintSlaShard: (shard: number) => `DUE#SLA#${shard}`,
    /** Sort-key value for an unresolved complaint with no escalation left: listed, never due. */
    never: '9999-12-31T23:59:59.999Z',
    /** Due minute first, then dial rank (0 first: key accounts), so a busy minute dials by priority. */
    callback: (callbackId: string, dueAt: string, rank = 500) => ({
      gsi2pk: `DUE#CALLBACK#${shardOf(callbackId)}`,
      gsi2sk: `${dueAt.slice(0, 16)}#${String(rank).padStart(3, '0')}#${callbackId}`,
    }),
    callbackShard: (shard: number) => `DUE#CALLBACK#${shard}`,
    outbox: (id: string, at: string) => ({ gsi2pk: `DUE#OUTBOX#${shardOf(id)}`, gsi2sk: `${at}#${id}` }),
    outboxShard: (shard: number) => `DUE#OUTBOX#${shard}`,
    notification: (id: string, at: string) => ({
      gsi2pk: `DUE#NOTIFY#${shardOf(id)}`,
      gsi2sk: `${at}#${id}`,
    }),
    notificationShard: (shard: number) => `DUE#NOTIFY#${shard}`,
    milestone: (waybill: string, dueAt: string) => ({
      gsi2pk: `DUE#MILESTONE#${shardOf(waybill)}`,
      gsi2sk: `${dueAt}#${waybill}`,
    }),
    milestoneShard: (shard: number) => `DUE#MILESTONE#${shard}`,
  },
};

/** Tier order inside a segment listing: key accounts first. */
export function tierRank(tier: Tier): string {
  const rank: Record<Tier, number> = { key: 1, 'high-growth': 2, loyal: 3, 'low-potential': 4 };
  return pad(rank[tier], 1);
}

/** Case- and width-insensitive name key, so a listing sorts by name and a search can match it. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replaceAll('#', ' ');
}
