import { describe, expect, it } from 'vitest';
import { type CallEvent, type InboundCall, journalTransition, journalView } from '#shared/inbound/journal.ts';

const line = (over: Partial<InboundCall> = {}): InboundCall => ({
  contactId: 'c1',
  at: '2026-11-27T02:00:00.000Z',
  e164: '+8613910012001',
  lookupStatus: 'ok',
  outcome: 'live',
  ...over,
});
const ev = (eventType: string, over: Partial<CallEvent> = {}): CallEvent => ({
  eventType,
  at: '2026-11-27T02:01:00.000Z',
  ...over,
});

describe('caller journal transition', () => {
  it.each([
    ['live', ev('QUEUED'), 'queued'],
    ['live', ev('CONNECTED_TO_AGENT'), 'answered'],
    ['queued', ev('CONNECTED_TO_AGENT'), 'answered'],
    ['queued', ev('DISCONNECTED', { disconnectReason: 'CUSTOMER_DISCONNECT' }), 'abandoned'],
    ['queued', ev('DISCONNECTED'), 'abandoned'],
    ['queued', ev('DISCONNECTED', { disconnectReason: 'CONTACT_FLOW_DISCONNECT' }), 'missed'],
    ['live', ev('DISCONNECTED', { queued: true, disconnectReason: 'OTHER' }), 'missed'],
    ['live', ev('DISCONNECTED', { queued: true, agentConnected: true }), 'answered'],
    ['answered', ev('DISCONNECTED', { disconnectReason: 'AGENT_DISCONNECT' }), 'answered'],
    ['live', ev('DISCONNECTED', { disconnectReason: 'CUSTOMER_DISCONNECT' }), 'ivr'],
  ] as const)('%s + %o → %s', (from, event, to) => {
    expect(journalTransition(line({ outcome: from }), event)?.outcome).toBe(to);
  });

  it.each([
    ['a second QUEUED', line({ outcome: 'queued' }), ev('QUEUED')],
    ['QUEUED after an agent took it', line({ outcome: 'answered' }), ev('QUEUED')],
    ['a second CONNECTED_TO_AGENT', line({ outcome: 'answered' }), ev('CONNECTED_TO_AGENT')],
    ['anything after the end', line({ outcome: 'abandoned', endedAt: 'x' }), ev('CONNECTED_TO_AGENT')],
    ['an event type the journal ignores', line(), ev('CONTACT_DATA_UPDATED')],
  ])('changes nothing on %s', (_what, entry, event) => {
    expect(journalTransition(entry, event)).toBeUndefined();
  });

  it('stamps the times of the queue, the agent and the end', () => {
    const queued = journalTransition(line(), ev('QUEUED', { at: 'q' }));
    const answered = queued && journalTransition(queued, ev('CONNECTED_TO_AGENT', { at: 'a' }));
    const ended = answered && journalTransition(answered, ev('DISCONNECTED', { at: 'e' }));
    expect(ended).toMatchObject({ queuedAt: 'q', answeredAt: 'a', endedAt: 'e', outcome: 'answered' });
  });
});

describe('caller journal view', () => {
  it('lists calls needing a callback first, newest first, then the rest newest first', () => {
    const view = journalView([
      line({ contactId: 'answered-old', at: '2026-11-27T01:00:00Z', outcome: 'answered' }),
      line({ contactId: 'missed-old', at: '2026-11-27T01:10:00Z', outcome: 'missed', e164: '+1' }),
      line({ contactId: 'abandoned-new', at: '2026-11-27T03:00:00Z', outcome: 'abandoned', e164: '+2' }),
      line({
        contactId: 'booked',
        at: '2026-11-27T02:00:00Z',
        outcome: 'missed',
        e164: '+3',
        callbackId: 'cb',
      }),
      line({ contactId: 'ivr', at: '2026-11-27T02:30:00Z', outcome: 'ivr', e164: '+4' }),
    ]);
    expect(view.map((l) => [l.contactId, l.needsCallback])).toEqual([
      ['abandoned-new', true],
      ['missed-old', true],
      ['ivr', false],
      ['booked', false],
      ['answered-old', false],
    ]);
  });

  it('needs no callback for a missed call whose number got through later, and says so', () => {
    const view = journalView([
      line({ contactId: 'missed', at: '2026-11-27T01:00:00Z', outcome: 'missed' }),
      line({ contactId: 'later', at: '2026-11-27T01:30:00Z', outcome: 'answered' }),
      line({ contactId: 'missed-after', at: '2026-11-27T02:00:00Z', outcome: 'missed' }),
    ]);
    const by = Object.fromEntries(view.map((l) => [l.contactId, l]));
    expect(by.missed).toMatchObject({ needsCallback: false, calledAgain: true });
    // Missed after the answered call: still waiting for a callback.
    expect(by['missed-after']).toMatchObject({ needsCallback: true, calledAgain: false });
  });
});
