import { type Contact, takesSms, textNumber } from '../accounts/model.ts';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import type { Sms, SmsSender } from './senders.ts';

/**
 * Transactional SMS that confirm what a caller asked for on the phone (the IVR could not confirm
 * it inside the call). One per Connect contact and request (a complaint, a callback): a claim is taken before sending and completed
 * after, so a redelivered hand-off does not text twice, and a send that failed is retried.
 * Transactional confirmations need no marketing consent; they go to the number that called.
 */
export class Confirmations {
  private readonly claims: Claims;

  constructor(
    db: DocumentClient,
    tableName: string,
    private readonly sms: SmsSender,
  ) {
    this.claims = new Claims(db, tableName);
  }

  /** Sends the confirmation unless it was sent already; throws when it could not be sent (retry). */
  async once(
    connectContactId: string,
    kind: 'complaint' | 'callback',
    message: Sms,
    now = new Date(),
  ): Promise<'sent' | 'already-sent'> {
    const key = keys.claim.ivrConfirmation(connectContactId, kind);
    const claim = await this.claims.take(key, {
      owner: connectContactId,
      now,
      leaseSeconds: 60,
      expiresAt: ttlAfter(now, 7),
    });
    if (!claim.taken) {
      if (claim.state === 'done') return 'already-sent';
      throw new Error(`the confirmation for contact ${connectContactId} is being sent by another worker`);
    }
    try {
      const { messageId } = await this.sms.send(message);
      await this.claims.complete(key, connectContactId, { messageId });
      return 'sent';
    } catch (err) {
      await this.claims.release(key, connectContactId);
      throw err;
    }
  }
}

/**
 * The number a confirmation reaches the caller on, as the notifier texts only mobiles: the number
 * they called from when it is a mobile, else their contact's mobile; none when neither is (an
 * office line takes no SMS, so the IVR must not promise one).
 */
export function confirmationNumber(
  contact: Pick<Contact, 'phones'> | undefined,
  calling: string,
): string | undefined {
  const own = contact?.phones.find((p) => p.e164 === calling);
  if (takesSms(own ?? { e164: calling, label: 'other' })) return calling;
  return contact ? textNumber(contact) : undefined;
}
