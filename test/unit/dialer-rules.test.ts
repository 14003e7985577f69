import { describe, expect, it } from 'vitest';
import type { CallStanding } from '#shared/accounts/repo.ts';
import { atCall, lapsedDelayCall } from '#shared/campaigns/call-moment.ts';
import { afterDialError, MAX_CLAIMS, onClaim } from '#shared/campaigns/callback.ts';
import type { CampaignStatus } from '#shared/campaigns/model.ts';

const NOW = new Date('2026-11-23T02:00:00Z');
const PHONE = '+8613910012001';
const standing: CallStanding = {
  account: { status: 'active', timeZone: 'Asia/Shanghai' },
  contact: {
    doNotCall: false,
    consent: { calls: true, sms: true, email: true },
    phones: [{ e164: PHONE, label: 'mobile' }],
  },
};
const cb = { reason: 'account-review' as const, createdAt: NOW.toISOString(), timeZone: 'Asia/Shanghai' };

describe('the moment of the call', () => {
  it.each([
    ['paused', { kind: 'hold', cancelled: false }],
    ['draft', { kind: 'hold', cancelled: false }],
    ['completed', { kind: 'hold', cancelled: false }],
    ['cancelled', { kind: 'hold', cancelled: true }],
    [undefined, { kind: 'hold', cancelled: false }],
    ['running', { kind: 'dial', timeZone: 'Asia/Shanghai' }],
  ] as const)('a campaign %s: %o', (status, expected) => {
    const read = { standing, ...(status ? { campaignStatus: status as CampaignStatus } : {}) };
    expect(atCall(cb, PHONE, read)).toEqual(expected);
  });

  it('holds a paused campaign’s call before any check of the registry', () => {
    expect(atCall(cb, PHONE, { campaignStatus: 'paused', standing: {} })).toEqual({
      kind: 'hold',
      cancelled: false,
    });
    expect(atCall(cb, PHONE, { campaignStatus: 'running', standing: {} })).toEqual({
      kind: 'skip',
      reason: 'account-removed',
    });
  });
});

describe('a proactive delay call at the moment of the call', () => {
  const delayCall = { ...cb, reason: 'delay-call' as const };
  it.each([
    [{ status: 'delivered' }, { kind: 'skip', reason: 'shipment-delivered' }],
    [
      { status: 'delivered', delay: { state: 'cleared' } },
      { kind: 'skip', reason: 'shipment-delivered' },
    ],
    [
      { status: 'in-transit', delay: { state: 'cleared' } },
      { kind: 'skip', reason: 'delay-cleared' },
    ],
    [
      { status: 'in-transit', delay: { state: 'notified' } },
      { kind: 'dial', timeZone: 'Asia/Shanghai' },
    ],
    [
      { status: 'exception', delay: { state: 'detected' } },
      { kind: 'dial', timeZone: 'Asia/Shanghai' },
    ],
    // A shipment no longer on file gives no reason to call it off.
    [undefined, { kind: 'dial', timeZone: 'Asia/Shanghai' }],
  ] as const)('shipment %o: %o', (shipment, expected) => {
    expect(
      atCall(delayCall, PHONE, { campaignStatus: 'running', standing, ...(shipment ? { shipment } : {}) }),
    ).toEqual(expected);
  });

  it('reads the shipment for delay calls only', () => {
    const delivered = { status: 'delivered' } as const;
    expect(atCall(cb, PHONE, { campaignStatus: 'running', standing, shipment: delivered }).kind).toBe('dial');
    expect(lapsedDelayCall(delivered)).toBe('shipment-delivered');
  });
});

describe('a callback just claimed', () => {
  it('is worked on with its number, or ends: given up, expired, without a number', () => {
    expect(onClaim({ phone: PHONE, claims: 1 }, NOW)).toEqual({ phone: PHONE });
    expect(onClaim({ phone: PHONE, claims: MAX_CLAIMS + 1 }, NOW)).toMatchObject({
      end: 'failed',
      deadLetter: true,
    });
    expect(onClaim({ phone: PHONE, expiresAt: '2026-11-22T00:00:00Z' }, NOW)).toMatchObject({
      end: 'expired',
    });
    expect(onClaim({}, NOW)).toMatchObject({
      end: 'failed',
      note: expect.stringContaining('no phone number'),
    });
  });
});

describe('a dial Connect failed on without saying why', () => {
  it('waits 1, 2, 4 then 8 minutes, and the try that reaches the bound gives it up', () => {
    const waits = [1, 2, 3, 4].map((claims) => {
      const next = afterDialError({ claims }, NOW);
      return 'dueAt' in next ? (Date.parse(next.dueAt) - NOW.getTime()) / 60_000 : 'give up';
    });
    expect(waits).toEqual([1, 2, 4, 8]);
    expect(afterDialError({ claims: MAX_CLAIMS }, NOW)).toEqual({ giveUp: true });
  });
});
