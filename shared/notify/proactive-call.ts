import { callNumber, callZone } from '../accounts/model.ts';
import type { Accounts } from '../accounts/service.ts';
import { PENDING_STATES } from '../campaigns/model.ts';
import type { Campaigns } from '../campaigns/service.ts';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { TransactionCancelled } from '../platform/dynamo/transact.ts';
import { inBoth } from '../platform/messages/index.ts';
import { logger } from '../platform/observability/index.ts';
import type { DelayDetected } from '../shipments/delay.ts';
import { isOpenAndDelayed } from '../shipments/model.ts';
import { Shipments } from '../shipments/service.ts';
import { type NotificationStatus, UnknownAccount } from './model.ts';

export const PROACTIVE_CAMPAIGN = 'proactive-delay-call';

/**
 * A critical delay is worth a call before the client notices: on a key account, and on any
 * account whose industry playbook sees a stock-out risk (a line where a delay loses the sale).
 */
export const wantsProactiveCall = (e: Pick<DelayDetected, 'severity' | 'tier' | 'stockOutRisk'>) =>
  e.severity === 'critical' && (e.tier === 'key' || e.stockOutRisk === true);

/**
 * The proactive-call hook: a critical delay on a key account becomes a callback in the
 * "proactive delay call" campaign, once per waybill: the claim on the waybill and the callback
 * are written in one transaction, so a redelivered event books nothing twice. Answers the
 * callback's id (the first one, when it was booked already and is still to be placed or was).
 * The event may be handled late (an outbox entry published after an outage, an operator's
 * replay): the shipment is read as it stands now, and a delay that is over (delivered, or the
 * delay cleared) books nothing, logged with the SMS path's reason `skipped-delay-over`. An account
 * the registry does not have is thrown (`UnknownAccount`), so the event is retried and then kept in
 * the dead-letter queue; an account with nobody who may be called books nothing, logged as
 * `skipped-no-consent`.
 */
export async function proactiveCall(
  deps: { db: DocumentClient; tableName: string; campaigns: Campaigns; accounts: Pick<Accounts, 'get'> },
  event: DelayDetected,
  now = new Date(),
): Promise<string | undefined> {
  if (!wantsProactiveCall(event)) return undefined;
  const claims = new Claims(deps.db, deps.tableName);
  const key = keys.claim.proactiveCall(event.waybill);
  const booked = async () => {
    const held = await claims.read(key);
    return held?.data?.callbackId ? String(held.data.callbackId) : undefined;
  };
  const existing = await booked();
  // A call booked for this waybill stands while it can still be placed, or once it was; one that
  // ended unplaced (skipped as the delay was over by the call, cancelled, expired) is booked again
  // in its place: the delay is on again.
  const before = existing ? await deps.campaigns.callbacks.get(existing) : undefined;
  if (existing && (!before || PENDING_STATES.includes(before.state) || before.attempts > 0)) return existing;
  const shipment = await new Shipments(deps.db, deps.tableName).current(event.waybill);
  if (shipment && !isOpenAndDelayed(shipment, now)) {
    logger.info('proactive delay call not booked', {
      waybill: event.waybill,
      accountId: event.accountId,
      outcome: 'skipped-delay-over' satisfies NotificationStatus,
      detail: shipment.status === 'delivered' ? 'the shipment was delivered' : 'the delay was cleared',
    });
    return undefined;
  }
  const account = await deps.accounts.get(event.accountId);
  // Retried by Lambda, then kept in the alarmed DLQ for a replay once the account is imported.
  if (!account) throw new UnknownAccount(event.accountId, event.waybill);
  const contact = account.contacts.find((c) => !c.doNotCall && c.consent.calls && c.phones.length > 0);
  const phone = contact ? callNumber(contact) : undefined;
  if (!contact || !phone) {
    // Nobody at the account may be called: the alerts still go out, and the account's team hears of
    // it from the log and the metric, not from the client.
    logger.warn('proactive delay call not booked: no contact at the account may be called', {
      waybill: event.waybill,
      accountId: event.accountId,
      outcome: 'skipped-no-consent' satisfies NotificationStatus,
    });
    return undefined;
  }
  const callback = await deps.campaigns.standingTargetCallback(
    PROACTIVE_CAMPAIGN,
    { account, contact, phone, timeZone: callZone(contact, account.timeZone, phone) },
    now,
  );
  try {
    await deps.campaigns.callbacks.book(
      {
        ...callback,
        notes: inBoth('callback.note.criticalDelay', { waybill: event.waybill }),
        waybill: event.waybill,
      },
      claims.guard(
        'proactive',
        key,
        { callbackId: callback.id },
        ttlAfter(now, 30),
        existing ? { field: 'callbackId', equals: existing } : undefined,
      ),
    );
  } catch (err) {
    if (err instanceof TransactionCancelled && err.failedOn('proactive')) return booked();
    throw err;
  }
  return callback.id;
}
