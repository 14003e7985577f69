import { randomUUID } from 'node:crypto';
import type { CallStatus } from '#shared/campaigns/callback.ts';
import type { Dialer, DialRequest } from '#shared/campaigns/connect-dialer.ts';
import { clientToken } from '#shared/campaigns/connect-dialer.ts';
import { contactEvent } from './connect-simulator.ts';

export interface SimulatedDial extends DialRequest {
  contactId: string;
  clientToken: string;
  at: string;
  answered: boolean;
  status: 'ringing' | 'connected' | 'ended';
}

type EventSink = (event: unknown) => Promise<unknown>;

/**
 * The local stack's dialer: records every dial, answers or not by a configurable ratio, and emits
 * the Amazon Connect contact events (INITIATED, CONNECTED_TO_AGENT, DISCONNECTED) that
 * EventBridge would deliver, to the real contact-events handler.
 */
export class SimulatedDialer implements Dialer {
  readonly dials: SimulatedDial[] = [];
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly sink: EventSink,
    private readonly answerRate = 0.7,
    private readonly timing = { connectMs: 1500, talkMs: 6000, noAnswerMs: 4000 },
    private readonly random: () => number = Math.random,
  ) {}

  /** What DescribeContact would say of a call this dialer placed (the last 500 are kept). */
  async describe(contactId: string): Promise<CallStatus> {
    const d = this.dials.find((x) => x.contactId === contactId);
    if (!d) return { kind: 'unknown' };
    if (d.status === 'ended') return { kind: 'ended', agentConnected: d.answered };
    return { kind: 'in-progress', agentConnected: d.status === 'connected' };
  }

  async dial(req: DialRequest): Promise<{ contactId: string }> {
    const token = clientToken(req.callbackId, req.attempt);
    const seen = this.tokens.get(token);
    if (seen) return { contactId: seen }; // Connect's ClientToken semantics: the same call, not a new one.
    const contactId = randomUUID();
    this.tokens.set(token, contactId);
    const answered = this.random() < this.answerRate;
    const dial: SimulatedDial = {
      ...req,
      contactId,
      clientToken: token,
      at: new Date().toISOString(),
      answered,
      status: 'ringing',
    };
    this.dials.unshift(dial);
    this.dials.length = Math.min(this.dials.length, 500);
    const emit = (eventType: string, extra: Record<string, unknown> = {}) =>
      this.sink(contactEvent(eventType, contactId, 'API', extra)).catch((err: unknown) =>
        console.error('[simulated dialer] contact event failed:', err instanceof Error ? err.message : err),
      );
    void emit('INITIATED');
    if (answered) {
      const connectedAt = new Date(Date.now() + this.timing.connectMs).toISOString();
      setTimeout(() => {
        dial.status = 'connected';
        void emit('CONNECTED_TO_AGENT', { agentInfo: { connectedToAgentTimestamp: connectedAt } });
      }, this.timing.connectMs).unref();
      setTimeout(() => {
        dial.status = 'ended';
        void emit('DISCONNECTED', {
          agentInfo: { connectedToAgentTimestamp: connectedAt },
          disconnectTimestamp: new Date().toISOString(),
        });
      }, this.timing.connectMs + this.timing.talkMs).unref();
    } else {
      setTimeout(() => {
        dial.status = 'ended';
        void emit('DISCONNECTED', { disconnectTimestamp: new Date().toISOString() });
      }, this.timing.noAnswerMs).unref();
    }
    return { contactId };
  }
}
