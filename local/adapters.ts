/**
 * The local stack's adapters for the ports that have no local engine: an in-memory topic for
 * domain events, and SMS and e-mail outboxes that the agent desktop shows.
 */

import {
  BadDestination,
  type Email,
  type EmailSender,
  OptedOut,
  type Sms,
  type SmsSender,
} from '#shared/notify/senders.ts';
import type { DomainEvent, EventPublisher } from '#shared/platform/events.ts';

/** A topic in memory: keeps the last events for the desktop to show. */
export class LocalTopic implements EventPublisher {
  readonly events: (DomainEvent & { at: string })[] = [];

  async publish(event: DomainEvent): Promise<void> {
    this.events.unshift({ ...event, at: new Date().toISOString() });
    this.events.length = Math.min(this.events.length, 200);
  }
}

/** Keeps what would have gone out by SMS; numbers can be marked as opted out. */
export class OutboxSmsSender implements SmsSender {
  readonly sent: (Sms & { at: string })[] = [];
  optedOut = new Set<string>();
  /** Numbers the carrier refuses (as SNS's InvalidParameter on PhoneNumber). */
  invalid = new Set<string>();
  /** Sends that fail as an outage would, before the next one goes through. */
  failNext = 0;
  async send(sms: Sms) {
    if (this.optedOut.has(sms.to)) throw new OptedOut(`${sms.to} has opted out of SMS`);
    if (this.invalid.has(sms.to)) throw new BadDestination(`${sms.to} is not a valid mobile number`);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('SMS service unavailable (simulated)');
    }
    this.sent.unshift({ ...sms, at: new Date().toISOString() });
    return { messageId: `local-sms-${this.sent.length}` };
  }
}

/** Keeps what would have gone out by e-mail. */
export class OutboxEmailSender implements EmailSender {
  readonly sent: (Email & { at: string })[] = [];
  /** Addresses on the suppression list (an earlier hard bounce). */
  suppressed = new Set<string>();
  failNext = 0;
  async send(email: Email) {
    if (this.suppressed.has(email.to)) throw new BadDestination(`${email.to} bounced before`);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('e-mail service unavailable (simulated)');
    }
    this.sent.unshift({ ...email, at: new Date().toISOString() });
    return { messageId: `local-email-${this.sent.length}` };
  }
}
