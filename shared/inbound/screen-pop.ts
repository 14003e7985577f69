/**
 * The inbound screen pop on Connect's hot path: who is calling, and where the call goes. At most
 * two sequential DynamoDB round trips: the phone lookup (the caller journal's line opened beside
 * it, not waited for), then the account's counters while the call is recorded and the journal
 * line named beside them (not after, so recording adds no wait).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { liveMatches, type PhoneLookups } from '../accounts/lookup.ts';
import type { PhoneLookup } from '../accounts/model.ts';
import { type AccountStats, readStats } from '../accounts/stats.ts';
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

/** Looks the caller up and answers the routing attributes; `signal` aborts the reads at the budget. */
export async function screenPop(deps: ScreenPopDeps, flow: Flow, ctx: ScreenPopContext, signal: AbortSignal) {
  const data = flow.event.Details.ContactData;
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
    await opened;
    return { status: 'unknown' as LookupStatus, attributes: screenPopAttributes(ctx, 'unknown') };
  }
  const e164 = flow.caller.e164;
  // The second round trip does not wait for the line's opening: it names the line whole, and the
  // opening never replaces a line (whichever lands first, the named line stands).
  const found = await deps.phones.find(e164, signal);
  const first = found[0];
  if (!first) {
    logger.info('screen pop: unknown caller', { contactId: flow.contactId, caller: maskPhone(e164) });
    await opened;
    return { status: 'unknown' as LookupStatus, attributes: screenPopAttributes(ctx, 'unknown') };
  }
  // Second round trip: the best match's counters, the call's line, and whether the accounts the
  // lookup names exist (a lookup counts only with its committed account), side by side.
  const statusOf = (ms: PhoneLookup[]): LookupStatus =>
    new Set(ms.map((m) => m.accountId)).size > 1 ? 'ambiguous' : 'ok';
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
  const [heads, firstStats] = await Promise.all([
    deps.phones.heads(
      found.map((m) => m.accountId),
      signal,
    ),
    readStats(deps.db, deps.tableName, first.accountId, signal),
    record(first, statusOf(found)),
    name(first, statusOf(found)),
    opened,
  ]);
  const matches = liveMatches(found, heads);
  const best = matches[0];
  if (!best) {
    logger.warn("screen pop: the number's lookups name no committed account", {
      contactId: flow.contactId,
      caller: maskPhone(e164),
    });
    return { status: 'unknown' as LookupStatus, attributes: screenPopAttributes(ctx, 'unknown') };
  }
  const status = statusOf(matches);
  // Rare: the first match was not live (an interrupted import); read the live one's counters.
  const stats =
    best === first
      ? firstStats
      : (
          await Promise.all([
            readStats(deps.db, deps.tableName, best.accountId, signal),
            record(best, status),
            name(best, status),
          ])
        )[0];
  // The call's one line: its EMF document carries who called and what was answered, so an
  // operator finds a contact in the logs without a second write per call on the hot path.
  metrics.addMetadata('contactId', flow.contactId);
  metrics.addMetadata('caller', maskPhone(e164));
  metrics.addMetadata('accountId', best.accountId);
  metrics.addMetadata('lookupStatus', status);
  return {
    status,
    attributes: screenPopAttributes(ctx, status, best, stats as AccountStats, matches.length),
  };
}
