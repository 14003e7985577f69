import type { PhoneLookup } from '../accounts/model.ts';
import type { AccountStats } from '../accounts/stats.ts';

export type LookupStatus = 'ok' | 'unknown' | 'ambiguous' | 'error';

export interface ScreenPopContext {
  connectContactId: string;
  defaultQueue: string;
  /** Queue name → queue ARN, for "Set working queue" by ARN; names pass through when unmapped. */
  queueArns: Record<string, string>;
  desktopUrl: string;
  /** Language for a caller we do not know (the flow may pass one). */
  defaultLanguage: string;
}

const VOICES: Record<string, string> = { 'zh-CN': 'Zhiyu', en: 'Joanna' };

/**
 * The attributes Connect receives. Every key is present in every answer, so a contact flow can
 * branch on them without "attribute missing" paths.
 */
export function screenPopAttributes(
  ctx: ScreenPopContext,
  lookupStatus: LookupStatus,
  match?: PhoneLookup,
  /** The account's counters; 'unknown' when they could not be read in time (answered as ''). */
  stats?: AccountStats | 'unknown',
  matchCount = 0,
): Record<string, string | number | undefined> {
  const queueName = match?.routingQueue ?? ctx.defaultQueue;
  const language = match?.language ?? ctx.defaultLanguage;
  const sep = ctx.desktopUrl.includes('?') ? '&' : '?';
  const url = `${ctx.desktopUrl}${sep}contactId=${encodeURIComponent(ctx.connectContactId)}${
    match ? `&accountId=${encodeURIComponent(match.accountId)}` : ''
  }`;
  return {
    known: match ? 'true' : 'false',
    lookupStatus,
    accountId: match?.accountId ?? '',
    accountName: match?.accountName ?? '',
    tier: match?.tier ?? '',
    priority: match?.routingPriority ?? 5,
    priorityScore: match?.priorityScore ?? 0,
    segment: match?.segment ?? '',
    routingQueue: ctx.queueArns[queueName] ?? queueName,
    routingQueueName: queueName,
    dedicatedAgent: match?.dedicatedRep ?? '',
    language,
    voiceId: VOICES[language] ?? 'Zhiyu',
    contactName: match?.contactName ?? '',
    keylineContactId: match?.contactId ?? '',
    doNotCall: match ? String(match.doNotCall) : 'false',
    openComplaints: stats === 'unknown' ? '' : (stats?.openComplaints ?? 0),
    delayedShipments: stats === 'unknown' ? '' : (stats?.delayedShipments ?? 0),
    matchCount,
    screenPopUrl: url,
  };
}

/** The QUEUE_ARNS setting: a JSON object of queue name → queue ARN. */
export function parseQueueArns(json: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  if (
    !value ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== 'string')
  ) {
    throw new Error('Invalid configuration: QUEUE_ARNS must be a JSON object of queue name → queue ARN');
  }
  return value as Record<string, string>;
}
