/**
 * The inbound screen pop on Connect's hot path: who is calling, and where the call goes. At most
 * two sequential DynamoDB round trips: the phone lookup (the caller journal's line opened beside
 * it, not waited for), then whether its accounts are committed, with the account's counters, the
 * call's record and the journal line's name beside it. Only the lookup can leave a caller unknown:
 * the rest is bounded (see `screenPop`), so a slow or throttled table does not misroute a key
 * account.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { liveMatches, type PhoneLookups } from '../accounts/lookup.ts';
import type { PhoneLookup } from '../accounts/model.ts';
import { readStats } from '../accounts/stats.ts';
import type { Flow } from '../platform/connect/handler.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { logger, metrics } from '../platform/observability/index.ts';
import { maskPhone } from '../platform/observability/mask.ts';
import { type LookupStatus, type ScreenPopContext, screenPopAttributes } from './attributes.ts';
import type { CallLog } from './directory.ts';
import type { CallJournal, InboundCall } from './journal.ts';

export interface ScreenPopDeps {
  db: DocumentClient;
  tableName: string;
  phones: PhoneLookups;
  calls: CallLog;
  journal: CallJournal;
}

/** A journal write that fails is counted and logged; the caller is never kept waiting for it. */
const journalWrite = (contactId: string, write: Promise<unknown>) =>
  write.catch((err: unknown) => {
    metrics.addMetric('JournalWriteErrors', MetricUnit.Count, 1);
    logger.warn('screen pop: the caller journal could not be written', { contactId, error: err as Error });
  });

/**
 * Once the account is known, how long the answer waits for its counters and the call's records.
 * They are extras: the caller's route never waits on them (a throttled counts index, a slow write).
 */
export const EXTRAS_GRACE_MS = 150;

/** `p`'s value if it settles well within `ms`; undefined when it fails or takes longer. */
function within<T>(ms: number, p: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.catch(() => undefined),
    new Promise<undefined>((r) => {
      timer = setTimeout(() => r(undefined), Math.max(0, ms));
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Looks the caller up and answers the routing attributes; `signal` aborts the reads at the budget.
 * The phone lookup decides the route. What follows it may not turn a known caller into a stranger:
 * - whether the accounts it names are committed (an interrupted import) is asked until
 *   `deadline`; unanswered (slow, or failed), the lookup's own word routes the call;
 * - the account's counters and the call's records get `EXTRAS_GRACE_MS` after that; counters not
 *   read by then are answered as unknown ('').
 */
export async function screenPop(
  deps: ScreenPopDeps,
  flow: Flow,
  ctx: ScreenPopContext,
  signal: AbortSignal,
  deadline = Number.POSITIVE_INFINITY,
) {
  const data = flow.event.Details.ContactData;
  const left = () => deadline - performance.now();
  const grace = () => Math.min(EXTRAS_GRACE_MS, left());
  // The caller journal's line opens beside the lookup (inbound calls only); the lookup names it.
  const inbound = data.InitiationMethod !== 'OUTBOUND';
  const line: InboundCall = {
    contactId: flow.contactId,
    at: new Date().toISOString(),
    ...(flow.caller.kind === 'number' ? { e164: flow.caller.e164 } : {}),
    lookupStatus: 'pending',
    outcome: 'live',
  };
  const opened = inbound ? journalWrite(flow.contactId, deps.journal.open(line, signal)) : undefined;
  if (flow.caller.kind !== 'number') {
    logger.info('screen pop: no usable caller number', { contactId: flow.contactId, kind: flow.caller.kind });
    await within(grace(), Promise.resolve(opened));
    return { status: 'unknown' as LookupStatus, attributes: screenPopAttributes(ctx, 'unknown') };
  }
  const e164 = flow.caller.e164;
  // The second round trip does not wait for the line's opening: it names the line whole, and the
  // opening never replaces a line (whichever lands first, the named line stands).
  const found = await deps.phones.find(e164, signal);
  const first = found[0];
  if (!first) {
    logger.info('screen pop: unknown caller', { contactId: flow.contactId, caller: maskPhone(e164) });
    await within(grace(), Promise.resolve(opened));
    return { status: 'unknown' as LookupStatus, attributes: screenPopAttributes(ctx, 'unknown') };
  }
  // Second round trip: the best match's counters, the call's line, and whether the accounts the
  // lookup names exist (a lookup counts only with its committed account), side by side.
  // Ambiguous when the number is several contacts' (of several accounts, or a switchboard several
  // people of one account share): the agent confirms who is calling (DESIGN: the lookup).
  const statusOf = (ms: PhoneLookup[]): LookupStatus =>
    new Set(ms.map((m) => `${m.accountId}#${m.contactId}`)).size > 1 ? 'ambiguous' : 'ok';
  const name = (m: PhoneLookup, lookupStatus: LookupStatus) =>
    inbound
      ? journalWrite(
          flow.contactId,
          deps.journal.name(
            {
              ...line,
              accountId: m.accountId,
              accountName: m.accountName,
              contactRef: m.contactId,
              contactName: m.contactName,
              tier: m.tier,
              lookupStatus,
            },
            signal,
          ),
        )
      : undefined;
  const record = (m: PhoneLookup, lookupStatus: LookupStatus) =>
    deps.calls
      .record(
        {
          connectContactId: flow.contactId,
          at: new Date().toISOString(),
          e164,
          accountId: m.accountId,
          contactId: m.contactId,
          contactName: m.contactName,
          lookupStatus,
          direction: data.InitiationMethod === 'OUTBOUND' ? 'outbound' : 'inbound',
          ...(data.Channel ? { channel: data.Channel } : {}),
        },
        signal,
      )
      .catch((err: unknown) => {
        metrics.addMetric('CallRecordErrors', MetricUnit.Count, 1);
        logger.warn('screen pop: the call could not be recorded', {
          contactId: flow.contactId,
          error: err as Error,
        });
      });
  const statsOf = (accountId: string) =>
    readStats(deps.db, deps.tableName, accountId, signal).catch((err: unknown) => {
      metrics.addMetric('StatsReadErrors', MetricUnit.Count, 1);
      logger.warn("screen pop: the account's counters could not be read", {
        contactId: flow.contactId,
        error: err as Error,
      });
      return undefined;
    });
  const firstStats = statsOf(first.accountId);
  const writes = [record(first, statusOf(found)), name(first, statusOf(found)), opened];
  const heads = await within(
    left(),
    deps.phones.heads(
      found.map((m) => m.accountId),
      signal,
    ),
  );
  if (!heads) {
    // Unconfirmed: a lookup is written only for an account being created, so it routes.
    metrics.addMetric('LookupUnconfirmed', MetricUnit.Count, 1);
    logger.warn(
      'screen pop: routed by the phone lookup alone (the accounts could not be confirmed in time)',
      {
        contactId: flow.contactId,
      },
    );
  }
  const matches = heads ? liveMatches(found, heads) : found;
  const best = matches[0];
  if (!best) {
    logger.warn("screen pop: the number's lookups name no committed account", {
      contactId: flow.contactId,
      caller: maskPhone(e164),
    });
    await within(grace(), Promise.all(writes));
    return { status: 'unknown' as LookupStatus, attributes: screenPopAttributes(ctx, 'unknown') };
  }
  const status = statusOf(matches);
  // Rare: the first match was not live (an interrupted import); the live one's counters and line.
  const stats = best === first ? firstStats : statsOf(best.accountId);
  if (best !== first) writes.push(record(best, status), name(best, status));
  // One grace for both: the counters by then, and the records by then or after the answer.
  const until = performance.now() + grace();
  const counted = await within(until - performance.now(), stats);
  await within(until - performance.now(), Promise.all(writes));
  // The call's one line: its EMF document carries who called and what was answered, so an
  // operator finds a contact in the logs without a second write per call on the hot path.
  metrics.addMetadata('contactId', flow.contactId);
  metrics.addMetadata('caller', maskPhone(e164));
  metrics.addMetadata('accountId', best.accountId);
  metrics.addMetadata('lookupStatus', status);
  return {
    status,
    attributes: screenPopAttributes(ctx, status, best, counted ?? 'unknown', matches.length),
  };
}
