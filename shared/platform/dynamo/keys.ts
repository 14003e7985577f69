/**
 * Every key of the single table, built in one place: no other module concatenates a key string.
 * docs/data-model.md lists the access patterns these keys serve.
 */

/** The attribute that names an item's entity (Account, Complaint, Outbox…). */
export const ENTITY = 'entity';

/** Shards of the sparse due index: enough to spread a busy minute, few enough to query all. */
export const DUE_SHARDS = 8;

/** Shards of an account's live counters: no single item takes every state change of an account. */
export const STATS_SHARDS = 4;

export type Key = { pk: string; sk: string };

/** A stable small hash so an item always lands on the same shard. */
export function shardOf(id: string, shards = DUE_SHARDS): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % shards;
}

const TIER_RANK: Record<string, number> = { key: 1, 'high-growth': 2, loyal: 3, 'low-potential': 4 };

/** Tier order inside a segment listing: key accounts first. */
export function tierRank(tier: string): string {
  return String(TIER_RANK[tier] ?? 9);
}

/** Case- and width-insensitive name key, so a listing sorts by name and a search can match it. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replaceAll('#', ' ');
}

/**
 * The families of the sparse due index (gsi2). Callbacks are indexed per campaign (one partition
 * each, read only for running campaigns); CALLCHECK holds placed calls whose outcome is awaited,
 * SWEEP the cancelled campaigns whose waiting callbacks are still to be ended.
 */
export type DueFamily = 'SLA' | 'CALLBACK' | 'OUTBOX' | 'NOTIFY' | 'MILESTONE' | 'CALLCHECK' | 'SWEEP';

/** Sort-key value for an item listed in the due index but never due (an unresolved complaint at L3). */
const NEVER = '9999-12-31T23:59:59.999Z';

const dueEntry = (family: DueFamily, id: string, sortKey: string) => ({
  gsi2pk: `DUE#${family}#${shardOf(id)}`,
  gsi2sk: sortKey,
});

export const keys = {
  account: {
    profile: (accountId: string): Key => ({ pk: `ACCOUNT#${accountId}`, sk: 'PROFILE' }),
    /** Every item of an account's partition: profile, contacts, call log, notification log. */
    partition: (accountId: string) => `ACCOUNT#${accountId}`,
    /** The profile and its contacts share this sort-key prefix, so one query reads them all. */
    profileTreePrefix: 'PROFILE',
    /** gsi1: accounts of a segment, ordered by tier then name. */
    listing: (segment: string, tier: string, name: string, accountId: string) => ({
      gsi1pk: `SEGMENT#${segment}`,
      gsi1sk: `TIER#${tierRank(tier)}#${nameKey(name)}#${accountId}`,
    }),
    segmentPartition: (segment: string) => `SEGMENT#${segment}`,
    /** An account review's record, in the account's partition, in decision order. */
    review: (accountId: string, decidedAt: string, reviewId: string): Key => ({
      pk: `ACCOUNT#${accountId}`,
      sk: `REVIEW#${decidedAt}#${reviewId}`,
    }),
    reviewPrefix: 'REVIEW#',
    /** The outcome of a scheduled follow-up call, with its satisfaction score. */
    followUp: (accountId: string, at: string, callbackId: string): Key => ({
      pk: `ACCOUNT#${accountId}`,
      sk: `FOLLOWUP#${at}#${callbackId}`,
    }),
    followUpPrefix: 'FOLLOWUP#',
    tierPrefix: (tier: string) => `TIER#${tierRank(tier)}#`,
  },
  /**
   * An account's live counters, sharded: one item per shard under one partition key, so one
   * Query reads them all, while writes spread over items (DynamoDB can split a hot partition by
   * sort key; it can never split an item) and concurrent transactions rarely meet on one item.
   */
  stats: {
    partition: (accountId: string) => `STATS#${accountId}`,
    shard: (accountId: string, shard: number): Key => ({ pk: `STATS#${accountId}`, sk: `SHARD#${shard}` }),
    /** The shard a counted entity (a waybill, a complaint) always adds to. */
    shardFor: (accountId: string, entityId: string): Key =>
      keys.stats.shard(accountId, shardOf(entityId, STATS_SHARDS)),
    /**
     * A complaint's own count item (openComplaints: 1), kept for complaints filed before they
     * counted themselves (see selfCounted).
     */
    openComplaint: (accountId: string, complaintId: string): Key => ({
      pk: `STATS#${accountId}`,
      sk: `OPEN#COMPLAINT#${complaintId}`,
    }),
    /**
     * The counts index (gsi3) keys of an item of the account's counter partition: one Query of
     * the index reads the shards, the own count items and the self-counted complaints together.
     */
    indexed: (key: Key) => ({ gsi3pk: key.pk, gsi3sk: key.sk }),
    /** Where an unresolved complaint counts itself in the counts index (its own item, no other). */
    selfCounted: (accountId: string, complaintId: string) => ({
      gsi3pk: `STATS#${accountId}`,
      gsi3sk: `COMPLAINT#${complaintId}`,
    }),
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
  /**
   * The weekly aggregates: one item per account and week, under the week's partition, so one
   * Query reads a week of the whole book; and one marker per counted fact, so a fact counts once.
   */
  aggregate: {
    week: (week: string, accountId: string): Key => ({ pk: `AGG#${week}`, sk: `ACCOUNT#${accountId}` }),
    partition: (week: string) => `AGG#${week}`,
    fact: (factId: string): Key => ({ pk: `AGGFACT#${factId}`, sk: 'FACT' }),
    /** The book's half year (risk trend, backtest) as the daily scorer last computed it. */
    bookHistory: (): Key => ({ pk: 'COCKPIT#BOOK', sk: 'HISTORY' }),
  },
  /** One item per call (or call not placed); newest first by sort key. */
  callLog: {
    item: (accountId: string, at: string, callId: string): Key => ({
      pk: `ACCOUNT#${accountId}`,
      sk: `CALL#${at}#${callId}`,
    }),
    prefix: 'CALL#',
  },
  /**
   * The caller journal: one item per inbound contact, keyed by its Connect ContactId (so a contact
   * event finds it), listed on gsi1 by UTC day, newest first.
   */
  inboundCall: {
    item: (contactId: string): Key => ({ pk: `INBOUND#${contactId}`, sk: 'CALL' }),
    listing: (at: string, contactId: string) => ({
      gsi1pk: `JOURNAL#${at.slice(0, 10)}`,
      gsi1sk: `${at}#${contactId}`,
    }),
    dayPartition: (day: string) => `JOURNAL#${day}`,
  },
  shipment: {
    item: (waybill: string): Key => ({ pk: `SHIPMENT#${waybill}`, sk: 'SHIPMENT' }),
    /** gsi1: an account's shipments by state; in transit by promised time, delivered by delivery time. */
    listing: (accountId: string, open: boolean, at: string, waybill: string) => ({
      gsi1pk: `ACCOUNT#${accountId}#SHIPMENTS`,
      gsi1sk: `${open ? 'IN_TRANSIT' : 'DELIVERED'}#${at}#${waybill}`,
    }),
    accountPartition: (accountId: string) => `ACCOUNT#${accountId}#SHIPMENTS`,
    /**
     * A tracking event, kept under its shipment, keyed by its event id alone: a redelivery is a
     * no-op however its time is written, and so is the same id sent again with another time (the
     * first one stands; a corrected scan is a new event with its own id).
     */
    event: (waybill: string, eventId: string): Key => ({
      pk: `SHIPMENT#${waybill}`,
      sk: `EVENT#${eventId}`,
    }),
    openPrefix: 'IN_TRANSIT#',
    deliveredPrefix: 'DELIVERED#',
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
    openPrefix: 'OPEN#',
    /**
     * A resolved or closed complaint's reference (what the caller quotes) → its id, written with
     * the change that resolved or closed it: found by its reference once out of the due index.
     */
    reference: (reference: string): Key => ({ pk: `COMPLAINTREF#${reference}`, sk: 'COMPLAINT' }),
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
    statusPrefix: (status: string) => `${status}#`,
  },
  callback: {
    item: (id: string): Key => ({ pk: `CALLBACK#${id}`, sk: 'CALLBACK' }),
    campaignPartition: (campaignId: string) => `CAMPAIGN#${campaignId}#CALLBACKS`,
    listing: (campaignId: string, state: string, id: string) => ({
      gsi1pk: `CAMPAIGN#${campaignId}#CALLBACKS`,
      gsi1sk: `${state}#${id}`,
    }),
    statePrefix: (state: string) => `${state}#`,
  },
  /** Amazon Connect ContactId → the callback (and attempt) it dialed, for contact events. */
  connectContact: (contactId: string): Key => ({ pk: `CONNECTCONTACT#${contactId}`, sk: 'CALLBACK' }),
  /** Dials to a number on a local day, for the daily cap. */
  dials: (e164: string, day: string): Key => ({ pk: `DIALS#${e164}#${day}`, sk: 'COUNT' }),
  notification: {
    log: (accountId: string, at: string, id: string): Key => ({
      pk: `ACCOUNT#${accountId}`,
      sk: `NOTIFICATION#${at}#${id}`,
    }),
    logPrefix: 'NOTIFICATION#',
    /** A destination learned to be bad (invalid, opted out, suppressed): skipped until corrected. */
    destination: (channel: string, recipient: string): Key => ({
      pk: `DESTINATION#${channel}#${recipient}`,
      sk: 'STATUS',
    }),
  },
  /** A recipient's mailbox (notify/mailbox.ts): its state, and each alert waiting in it. */
  mailbox: {
    head: (channel: string, recipient: string): Key => ({
      pk: `MAILBOX#${channel}#${recipient}`,
      sk: 'HEAD',
    }),
    /**
     * One alert per announcement (shipment × severity × when it was announced): a redelivered
     * event finds it and adds nothing; a delay detected again later is a new alert.
     */
    alert: (
      channel: string,
      recipient: string,
      waybill: string,
      severity: string,
      announcedAt: string,
    ): Key => ({
      pk: `MAILBOX#${channel}#${recipient}`,
      sk: `ALERT#${waybill}#${severity}#${announcedAt}`,
    }),
    alertPrefix: 'ALERT#',
  },
  /** Claims (platform/dynamo/claim.ts): the right to perform one effect once. */
  claim: {
    /** One sender at a time per mailbox (notify/mailbox.ts). */
    mailbox: (channel: string, recipient: string): Key => ({
      pk: `MAILBOX#${channel}#${recipient}`,
      sk: 'CLAIM',
    }),
    /** One proactive delay call per waybill. */
    proactiveCall: (waybill: string): Key => ({ pk: `PROACTIVE#${waybill}`, sk: 'CLAIM' }),
    /**
     * An account's last scheduled follow-up call, with the date it was booked on: the next is
     * booked its interval later (campaigns/follow-ups.ts).
     */
    followUp: (accountId: string): Key => ({ pk: `FOLLOWUP#${accountId}`, sk: 'CLAIM' }),
    /** An at-risk account's last retention callback (churn management), as `followUp`. */
    retention: (accountId: string): Key => ({ pk: `RETENTION#${accountId}`, sk: 'CLAIM' }),
    /**
     * The fixed-period claims these replaced (a period of `days` counted from the epoch): read
     * only until the last of them has expired, `days` + 1 after the change was deployed.
     */
    legacyBooking: (
      kind: 'FOLLOWUP' | 'RETENTION',
      accountId: string,
      days: number,
      period: number,
    ): Key => ({
      pk: `${kind}#${accountId}#${days}#${period}`,
      sk: 'CLAIM',
    }),
    /** One daily tracking report per contact and day (Shanghai date). */
    dailyReport: (accountId: string, contactId: string, day: string): Key => ({
      pk: `REPORT#${accountId}#${contactId}#${day}`,
      sk: 'CLAIM',
    }),
    /** One weekly digest per key-account manager and week. */
    weeklyDigest: (manager: string, week: string): Key => ({ pk: `DIGEST#${manager}#${week}`, sk: 'CLAIM' }),
    /** At most one pending customer-requested callback per number. */
    pendingCallback: (e164: string): Key => ({ pk: `PENDINGCB#${e164}`, sk: 'CLAIM' }),
    /**
     * One SMS confirmation per Connect contact and request (the IVR hand-off): a call that hands off
     * a complaint and a callback texts both.
     */
    ivrConfirmation: (connectContactId: string, kind: 'complaint' | 'callback'): Key => ({
      pk: `IVRCONFIRM#${connectContactId}`,
      sk: `CLAIM#${kind}`,
    }),
    /** One customer-requested callback per Amazon Connect contact (a redriven hand-off books none). */
    ivrCallback: (connectContactId: string): Key => ({
      pk: `IVRCALLBACK#${connectContactId}`,
      sk: 'CLAIM',
    }),
    /** One dialer run at a time: a run holds this lease while it dials. */
    dialerRun: (): Key => ({ pk: 'DIALER#RUN', sk: 'CLAIM' }),
    /** One complaint per Amazon Connect contact (the IVR retries an invocation). */
    /** One announcement of a complaint's escalation level (complaints/service.ts escalate). */
    escalation: (complaintId: string, level: number): Key => ({
      pk: `ESCALATION#${complaintId}#${level}`,
      sk: 'CLAIM',
    }),
    /** One complaint per HTTP Idempotency-Key (scoped to its caller): a retried intake finds it. */
    complaintRequest: (requestKey: string): Key => ({ pk: `COMPLAINTREQ#${requestKey}`, sk: 'CLAIM' }),
    ivrComplaint: (connectContactId: string): Key => ({
      pk: `IVRCOMPLAINT#${connectContactId}`,
      sk: 'CLAIM',
    }),
  },
  /** Transactional outbox: domain events written with the state change, published afterwards. */
  outbox: {
    item: (id: string): Key => ({ pk: `OUTBOX#${id}`, sk: 'OUTBOX' }),
    /**
     * Entries given up after their last publish attempt leave the due index for this one gsi2
     * partition (rare, so one is enough): an operator lists them with one Query, oldest first.
     */
    deadLetterPartition: 'DEADLETTER#OUTBOX',
    deadLetter: (id: string, at: string) => ({
      gsi2pk: keys.outbox.deadLetterPartition,
      gsi2sk: `${at}#${id}`,
    }),
    /**
     * One announcement per delay episode × severity: a delay cleared and detected again (or a
     * worse one) is a new announcement, never mistaken for a redelivery of the last one.
     */
    delayDetectedId: (waybill: string, severity: string, detectedAt: string) =>
      `${waybill}#${severity}#${detectedAt}`,
  },
  /** Powertools idempotency records of one HTTP route share this partition (static pk). */
  idempotency: {
    partition: (scope: string) => `IDEMPOTENCY#${scope}`,
  },
  /** The sparse due index (gsi2), sharded: each family is read by one query per shard. */
  due: {
    shard: (family: DueFamily, shard: number) => `DUE#${family}#${shard}`,
    never: NEVER,
    /** The upper bound of a "due by `now`" query in a family's sort-key format. */
    until: (family: DueFamily, now: Date) =>
      `${family === 'CALLBACK' ? now.toISOString().slice(0, 16) : now.toISOString()}~`,
    complaintSla: (complaintId: string, dueAt: string | undefined) =>
      dueEntry('SLA', complaintId, `${dueAt ?? NEVER}#${complaintId}`),
    /**
     * A waiting callback, in its campaign's own partition: a paused or cancelled campaign's
     * callbacks are never read by the dialer, which queries running campaigns only. Due minute
     * first, then dial rank (0 first: key accounts), so a busy minute dials by priority.
     */
    callback: (callbackId: string, campaignId: string, dueAt: string, rank = 500) => ({
      gsi2pk: keys.due.callbackPartition(campaignId),
      gsi2sk: `${dueAt.slice(0, 16)}#${String(rank).padStart(3, '0')}#${callbackId}`,
    }),
    callbackPartition: (campaignId: string) => `DUE#CALLBACK#${campaignId}`,
    /** A placed call whose outcome is awaited: checked with Connect when this time comes. */
    callCheck: (callbackId: string, at: string) => dueEntry('CALLCHECK', callbackId, `${at}#${callbackId}`),
    /** A cancelled campaign whose waiting callbacks are still to be ended. */
    sweep: (campaignId: string, at: string) => dueEntry('SWEEP', campaignId, `${at}#${campaignId}`),
    outbox: (id: string, at: string) => dueEntry('OUTBOX', id, `${at}#${id}`),
    notification: (id: string, at: string) => dueEntry('NOTIFY', id, `${at}#${id}`),
    milestone: (waybill: string, dueAt: string) => dueEntry('MILESTONE', waybill, `${dueAt}#${waybill}`),
  },
};
