import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  afterSent,
  DEFAULT_MAILBOX_POLICY,
  type MailboxState,
  nextAction,
  type PendingAlert,
  type RecipientNow,
  superseded,
} from '#shared/notify/mailbox.ts';
import type { DelaySeverity } from '#shared/shipments/model.ts';

const T = new Date('2026-11-24T03:00:00Z');
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);
const alert = (
  n: number,
  minutesAgo = 10,
  severity: DelaySeverity = 'major',
  reason = 'weather',
): PendingAlert => ({
  accountId: 'acc-x',
  contactId: 'c-1',
  waybill: `71000000${String(n).padStart(2, '0')}`,
  severity,
  createdAt: at(-minutesAgo).toISOString(),
  event: {
    type: 'DelayDetected',
    waybill: `71000000${String(n).padStart(2, '0')}`,
    accountId: 'acc-x',
    tier: 'key',
    severity,
    trigger: 'exception',
    reason,
    minutesLate: 600,
    eta: T.toISOString(),
    createdAt: T.toISOString(),
  } as PendingAlert['event'],
});
const awake: RecipientNow = { wants: () => true, quietUntil: () => undefined };
const asleep: RecipientNow = { wants: () => true, quietUntil: () => at(300) };
const empty: MailboxState = { recent: [], attempts: 0 };
const policy = { ...DEFAULT_MAILBOX_POLICY, threshold: 3, windowMinutes: 60, gatherSeconds: 120 };

describe('a mailbox’s next action', () => {
  it.each([
    ['nothing waiting', [], empty, awake, { do: 'nothing' }],
    [
      'one alert, awake',
      [alert(1)],
      empty,
      awake,
      { do: 'send', message: { kind: 'single', alert: alert(1) } },
    ],
    [
      'one alert in quiet hours',
      [alert(1)],
      empty,
      asleep,
      { do: 'wait', until: at(300), why: 'quiet-hours' },
    ],
    [
      'a critical alert in quiet hours goes out; the minor one waits',
      [alert(1), alert(2, 5, 'critical')],
      empty,
      asleep,
      { do: 'send', message: { kind: 'single', alert: alert(2, 5, 'critical') } },
    ],
    [
      'a burst of critical delays at night is still one digest',
      [
        alert(1, 10, 'critical'),
        alert(2, 10, 'critical'),
        alert(3, 10, 'critical'),
        alert(4, 10, 'critical'),
        alert(5),
      ],
      { recent: [], attempts: 0 },
      asleep,
      {
        do: 'send',
        message: {
          kind: 'digest',
          alerts: [
            alert(1, 10, 'critical'),
            alert(2, 10, 'critical'),
            alert(3, 10, 'critical'),
            alert(4, 10, 'critical'),
          ],
          count: 4,
          more: false,
          reason: 'weather',
        },
      },
    ],
    [
      'the window has room: the oldest goes alone',
      [alert(2, 5), alert(1, 10)],
      { recent: [at(-30).toISOString()], attempts: 0 },
      awake,
      { do: 'send', message: { kind: 'single', alert: alert(1, 10) } },
    ],
    [
      'the window is full: one digest of all, counted now',
      [alert(1), alert(2), alert(3)],
      { recent: [at(-30).toISOString()], attempts: 0 },
      awake,
      {
        do: 'send',
        message: {
          kind: 'digest',
          alerts: [alert(1), alert(2), alert(3)],
          count: 3,
          more: false,
          reason: 'weather',
        },
      },
    ],
    [
      'the window is full and one alert waits: it goes alone, never as a digest of one',
      [alert(4)],
      { recent: [at(-30).toISOString(), at(-20).toISOString(), at(-10).toISOString()], attempts: 0 },
      awake,
      { do: 'send', message: { kind: 'single', alert: alert(4) } },
    ],
    [
      'a burst just began: the digest waits for it to arrive whole',
      [alert(1, 1), alert(2, 0), alert(3, 0), alert(4, 0)],
      empty,
      awake,
      { do: 'wait', until: at(1), why: 'digest-window' },
    ],
    [
      'a digest went out 20 minutes ago: the rest waits for its window, then says "more"',
      [alert(1), alert(2), alert(3), alert(4)],
      { recent: [at(-20).toISOString()], lastDigestAt: at(-20).toISOString(), attempts: 0 },
      awake,
      { do: 'wait', until: at(40), why: 'digest-window' },
    ],
    [
      'mixed causes: a digest without a reason',
      [alert(1, 10, 'major', 'weather'), alert(2, 10, 'major', 'traffic'), alert(3), alert(4)],
      { recent: [], lastDigestAt: at(-90).toISOString(), attempts: 0 },
      awake,
      {
        do: 'send',
        message: {
          kind: 'digest',
          alerts: [alert(1, 10, 'major', 'weather'), alert(2, 10, 'major', 'traffic'), alert(3), alert(4)],
          count: 4,
          more: true,
        },
      },
    ],
  ] as const)('%s', (_name, pending, state, who, expected) => {
    expect(nextAction([...pending], state as MailboxState, who, T, policy)).toEqual(expected);
  });

  it('drops what the contact no longer wants (consent withdrawn, channel dropped) before anything else', () => {
    const who: RecipientNow = { wants: (s) => s === 'critical', quietUntil: () => undefined };
    expect(nextAction([alert(1), alert(2, 5, 'critical')], empty, who, T, policy)).toEqual({
      do: 'drop',
      alerts: [alert(1)],
      why: 'unwanted',
    });
  });

  it('keeps each account’s digests apart at a shared address: another account’s digest neither holds nor "mores" this one', () => {
    const other = at(-20).toISOString();
    const state: MailboxState = { recent: [other], digests: { 'acc-y': other }, attempts: 0 };
    const burst = [alert(1, 10), alert(2, 8), alert(3, 6), alert(4, 4)];
    expect(nextAction(burst, state, awake, T, policy)).toMatchObject({
      do: 'send',
      message: { kind: 'digest', count: 4, more: false },
    });
    const mine: MailboxState = { ...state, digests: { 'acc-x': other } };
    expect(nextAction(burst, mine, awake, T, policy)).toEqual({
      do: 'wait',
      until: at(40),
      why: 'digest-window',
    });
  });

  it('drops an alert whose delay is over when it is time to send, and counts a digest without it', () => {
    const over = new Set([alert(2).waybill]);
    const pending = [alert(1, 10), alert(2, 8), alert(3, 6), alert(4, 4)];
    expect(nextAction(pending, empty, awake, T, policy, { over })).toEqual({
      do: 'drop',
      alerts: [alert(2, 8)],
      why: 'delay-over',
    });
    const left = pending.filter((a) => !over.has(a.waybill));
    const next = nextAction(left, { recent: [at(-30).toISOString()], attempts: 0 }, awake, T, policy);
    expect(next).toMatchObject({ do: 'send', message: { kind: 'digest', count: 3 } });
  });

  it('holds everything for an address until its retry is due, then sends as usual', () => {
    const retrying: MailboxState = { recent: [], attempts: 1, retryAt: at(1).toISOString() };
    expect(nextAction([alert(1), alert(2, 0)], retrying, awake, T, policy)).toEqual({
      do: 'wait',
      until: at(1),
      why: 'retry',
    });
    expect(nextAction([alert(1)], retrying, awake, at(1), policy)).toMatchObject({
      do: 'send',
      message: { kind: 'single', alert: alert(1) },
    });
  });
});

describe('one shipment, one message: alerts a newer one covers', () => {
  /** An announcement of waybill `n`'s delay, detected (and stored) `minutesAgo` ago. */
  const announced = (n: number, minutesAgo: number, severity: DelaySeverity = 'major'): PendingAlert => {
    const a = alert(n, minutesAgo, severity);
    return { ...a, event: { ...a.event, createdAt: a.createdAt } };
  };

  it('keeps the newest waiting alert of each shipment and drops the older ones as superseded', () => {
    const stale = announced(1, 60);
    const again = announced(1, 30);
    const other = announced(2, 90);
    expect(nextAction([stale, other, again], empty, asleep, T, policy)).toEqual({
      do: 'drop',
      alerts: [stale],
      why: 'superseded',
    });
    // What is left waits for the morning as usual, one alert per shipment.
    expect(nextAction([other, again], empty, asleep, T, policy)).toMatchObject({ why: 'quiet-hours' });
  });

  it('drops a waiting alert that a newer one already sent covers, even a less severe one held at night', () => {
    const major = announced(1, 30, 'major');
    const critical = announced(1, 0, 'critical');
    expect(nextAction([major], empty, asleep, T, policy, { sent: [critical] })).toEqual({
      do: 'drop',
      alerts: [major],
      why: 'superseded',
    });
  });

  it.each([
    ['an older alert sent before it (a new episode after it)', announced(1, 90, 'critical')],
    ['an alert for another shipment', announced(2, 0, 'critical')],
  ])('does not drop a waiting alert for %s', (_, sent) => {
    const major = announced(1, 30, 'major');
    expect(nextAction([major], empty, awake, T, policy, { sent: [sent] })).toEqual({
      do: 'send',
      message: { kind: 'single', alert: major },
    });
  });

  it('of two alerts detected at the same moment, the worse one covers the other', () => {
    const minor = announced(1, 10, 'minor');
    const major = announced(1, 10, 'major');
    expect(superseded([major, minor])).toEqual([minor]);
    expect(superseded([minor], [major])).toEqual([minor]);
    expect(superseded([major], [minor])).toEqual([]);
  });

  it('counts a digest by shipment once the stale alerts are gone', () => {
    const pending = [announced(1, 10), announced(2, 8), announced(1, 6), announced(3, 4)];
    const busy: MailboxState = { recent: [at(-30).toISOString()], attempts: 0 };
    const first = nextAction(pending, busy, awake, T, policy);
    expect(first).toEqual({ do: 'drop', alerts: [announced(1, 10)], why: 'superseded' });
    const left = pending.filter((a) => a !== pending[0]);
    expect(nextAction(left, busy, awake, T, policy)).toMatchObject({
      do: 'send',
      message: { kind: 'digest', count: 3, alerts: left },
    });
  });
});

describe('after a send, and after a failure', () => {
  it('remembers the sends of the window only, and when the last digest went out', () => {
    const state: MailboxState = { recent: [at(-90).toISOString(), at(-10).toISOString()], attempts: 2 };
    expect(
      afterSent(state, { kind: 'digest', alerts: [alert(1)], count: 1, more: false }, T, policy),
    ).toEqual({
      recent: [at(-10).toISOString(), T.toISOString()],
      digests: { 'acc-x': T.toISOString() },
      attempts: 0,
    });
  });

  it('backs off 1, 2, 4 … minutes with jitter, capped, then dead-letters after the last attempt', () => {
    const p = { ...policy, maxAttempts: 4, baseBackoffSeconds: 60, maxBackoffSeconds: 150 };
    const mid = () => 0.5;
    const one = [alert(1)];
    let state: MailboxState = empty;
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = afterFailure(state, one, T, p, mid);
      expect(r.spent).toEqual([]);
      expect(r.retrying).toEqual([[alert(1), i + 1]]);
      delays.push((r.retryAt.getTime() - T.getTime()) / 1000);
      state = r.state;
    }
    expect(delays).toEqual([60, 120, 150]);
    expect(state.retryAt).toBe(new Date(T.getTime() + 150_000).toISOString());
    const last = afterFailure(state, one, T, p, mid);
    expect(last).toMatchObject({ spent: one, retrying: [], state: { attempts: 4, tries: {} } });
    // A message that goes out ends the wait for a retry, and the address's run of failures.
    const after = afterSent(state, { kind: 'single', alert: alert(1) }, T, p);
    expect(after.retryAt).toBeUndefined();
    expect(after).toMatchObject({ attempts: 0 });
    expect(after.tries).toBeUndefined();
    // Jitter stays within ±20 %.
    expect(afterFailure(empty, one, T, p, () => 0).retryAt.getTime() - T.getTime()).toBe(48_000);
    expect(afterFailure(empty, one, T, p, () => 1).retryAt.getTime() - T.getTime()).toBe(72_000);
  });

  it('counts each alert’s own tries: one that joins an outage late is not given up with the first', () => {
    const p = { ...policy, maxAttempts: 3 };
    const first = afterFailure(empty, [alert(1)], T, p, () => 0.5);
    const second = afterFailure(first.state, [alert(1)], T, p, () => 0.5);
    // A digest of the old alert and a new one fails: the old one's tries are spent, the new one's not.
    const third = afterFailure(second.state, [alert(1), alert(2)], T, p, () => 0.5);
    expect(third.spent).toEqual([alert(1)]);
    expect(third.retrying).toEqual([[alert(2), 1]]);
    // The address's back-off keeps growing with its failures in a row.
    expect(third.state.attempts).toBe(3);
    expect(third.retryAt.getTime() - T.getTime()).toBe(240_000);
    // One alert sent alone succeeds: the other keeps its count.
    const sent = afterSent(third.state, { kind: 'single', alert: alert(3) }, T, p);
    expect(sent.tries).toEqual(third.state.tries);
  });

  it('reads a mailbox stored before tries: its count stands for the alerts being retried', () => {
    const legacy: MailboxState = { recent: [], attempts: 2, retryAt: at(-1).toISOString() };
    const r = afterFailure(legacy, [alert(1)], T, { ...policy, maxAttempts: 3 }, () => 0.5);
    expect(r.spent).toEqual([alert(1)]);
    // A fresh alert after that is counted from nothing, though the address failed three times.
    const next = afterFailure(r.state, [alert(2)], T, { ...policy, maxAttempts: 3 }, () => 0.5);
    expect(next.retrying).toEqual([[alert(2), 1]]);
  });
});
