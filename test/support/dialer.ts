import type { Dialer, DialRequest } from '#shared/campaigns/connect-dialer.ts';

/**
 * Connect as the dialer tests see it: every call accepted, recorded in order, its contact id made
 * from the callback and the attempt; `onDial` runs while the call is being placed.
 */
export class RecordingDialer implements Dialer {
  readonly calls: DialRequest[] = [];
  onDial?: (req: DialRequest) => Promise<void>;
  async dial(req: DialRequest) {
    this.calls.push(req);
    await this.onDial?.(req);
    return { contactId: `contact-${req.callbackId}-${req.attempt}` };
  }
}
