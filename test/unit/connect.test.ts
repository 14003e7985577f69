import { describe, expect, it } from 'vitest';
import { normalizePhone } from '#shared/accounts/phone.ts';
import { callerNumber } from '#shared/platform/connect/caller.ts';
import { connectLambdaEnv, screenPopEnv } from '#shared/platform/connect/env.ts';
import { MAX_RESPONSE_BYTES, parseContactFlowEvent, toStringMap } from '#shared/platform/connect/event.ts';

describe('callerNumber', () => {
  it.each([
    ['+8613910012001', '+8613910012001'],
    ['13910012001', '+8613910012001'],
    ['+86 21 5888 1234', '+862158881234'],
    ['tel:+14155552671', '+14155552671'],
    ['sip:+442079460958@trunk.example.com', '+442079460958'],
  ])('reads %s as %s', (input, e164) => {
    expect(callerNumber(input)).toEqual({ kind: 'number', e164 });
  });

  it.each([null, undefined, '', 'anonymous', 'Anonymous', 'private', 'restricted'])(
    'treats %j as withheld',
    (input) => {
      expect(callerNumber(input)).toEqual({ kind: 'withheld' });
    },
  );

  it.each(['+12', '12', 'abc', '+0000000000', '12345678'])('reports %j as malformed', (input) => {
    expect(callerNumber(input).kind).toBe('malformed');
  });

  it.each([
    '13910012001',
    '18616201701',
    '010-6552 9988',
    '021 5888 1234',
    '0755-8888 6666',
    '0451 8765 4321',
    '022 2345 6789',
    '400-820-8888',
    '800 820 8820',
    '008613910012001',
  ])('reads the national number %s exactly as libphonenumber-js does', (input) => {
    const reference = normalizePhone(input, 'CN');
    expect(reference.ok).toBe(true);
    expect(callerNumber(input)).toEqual({ kind: 'number', e164: reference.ok ? reference.e164 : '' });
  });

  // Trunks that keep the national 0 after the country code (or write it "(0)"), or drop the plus:
  // a registered caller read otherwise would be "not on file" (no screen pop, no complaint, no callback).
  it.each([
    '+86 0755 8888 6666',
    '+86 010 6552 9988',
    '+86 013910012001',
    '+86 021 5888 1234',
    '+860755-8888 6666',
    '0086 021 5888 1234',
    '0086 0755 8888 6666',
    '+86 (0)21 5888 1234',
    '+44 (0)20 7946 0958',
    '8613910012001',
    '86 139 1001 2001',
    '862158881234',
  ])('reads the trunk format %s exactly as libphonenumber-js does', (input) => {
    const reference = normalizePhone(input, 'CN');
    expect(reference.ok).toBe(true);
    expect(callerNumber(input)).toEqual({ kind: 'number', e164: reference.ok ? reference.e164 : '' });
  });

  it.each([
    ['tel:+8613910012001;ext=12', '+8613910012001'],
    ['tel:+8613910012001;phone-context=example.com', '+8613910012001'],
    ['+86 139 1001 2001 ext. 12', '+8613910012001'],
    ['+86 21 5888 1234 x802', '+862158881234'],
    ['021 5888 1234 转 802', '+862158881234'],
  ])('reads %s by its number without the extension', (input, e164) => {
    expect(callerNumber(input)).toEqual({ kind: 'number', e164 });
  });
});

describe('toStringMap (Connect STRING_MAP validation)', () => {
  it('turns every value into a string and drops undefined ones', () => {
    expect(toStringMap({ a: 1, b: true, c: 'x', d: undefined, e: null })).toEqual({
      a: '1',
      b: 'true',
      c: 'x',
    });
  });

  it('rewrites keys to letters, digits, _ and -', () => {
    expect(toStringMap({ 'account id': 'x', 'tier.name': 'y', 'ok-key_1': 'z' })).toEqual({
      account_id: 'x',
      tier_name: 'y',
      'ok-key_1': 'z',
    });
  });

  it('stays under 32 KB however large the input', () => {
    const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, '长'.repeat(2000)]));
    const out = toStringMap(big);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThan(MAX_RESPONSE_BYTES);
    expect(out.k0?.length).toBe(1024);
  });
});

describe('parseContactFlowEvent', () => {
  const event = (contactData: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    Name: 'ContactFlowEvent',
    Details: { ContactData: { ContactId: 'c-1', ...contactData }, Parameters: { language: 'en' }, ...extra },
  });

  it('accepts what Connect sends, keeps fields it adds later, and takes either form of Queue', () => {
    const raw = event({
      CustomerEndpoint: { Address: '+8613910012001', Type: 'TELEPHONE_NUMBER' },
      Queue: { ARN: 'arn:aws:connect:…/queue/1', Name: 'general', OutboundCallerId: {} },
      Tags: { a: 'b' },
    });
    const r = parseContactFlowEvent(raw);
    expect(r).toEqual({ success: true, data: raw });
    expect(parseContactFlowEvent(event({ Queue: 'general' })).success).toBe(true);
    // A withheld number: no CustomerEndpoint, or one with a null Address.
    expect(parseContactFlowEvent(event({})).success).toBe(true);
    expect(parseContactFlowEvent(event({ CustomerEndpoint: { Address: null } })).success).toBe(true);
  });

  it('names each field that is wrong, with its path', () => {
    expect(
      parseContactFlowEvent(event({ ContactId: '', Channel: 7, CustomerEndpoint: { Address: 5 } })),
    ).toEqual({
      success: false,
      issues: [
        { path: 'Details.ContactData.ContactId', message: 'expected a non-empty string' },
        { path: 'Details.ContactData.Channel', message: 'expected a string' },
        { path: 'Details.ContactData.CustomerEndpoint.Address', message: 'expected a string' },
      ],
    });
    expect(parseContactFlowEvent(event({ Attributes: [] }, { Parameters: 'x' }))).toEqual({
      success: false,
      issues: [
        { path: 'Details.ContactData.Attributes', message: 'expected an object' },
        { path: 'Details.Parameters', message: 'expected an object' },
      ],
    });
    expect(parseContactFlowEvent({ Details: {} })).toEqual({
      success: false,
      issues: [{ path: 'Details.ContactData', message: 'expected an object' }],
    });
    expect(parseContactFlowEvent('hello')).toEqual({
      success: false,
      issues: [{ path: '', message: 'expected an object' }],
    });
  });
});

describe('screenPopEnv', () => {
  it('reads the settings with their defaults', () => {
    expect(screenPopEnv({ TABLE_NAME: 'keyline-prod', LOOKUP_BUDGET_MS: '900' })).toEqual({
      TABLE_NAME: 'keyline-prod',
      LOOKUP_BUDGET_MS: 900,
      DEFAULT_QUEUE: 'general-service',
      QUEUE_ARNS: '{}',
      DESKTOP_URL: 'http://127.0.0.1:4310/',
    });
  });

  it('fails at start-up naming every variable that is wrong', () => {
    expect(() => screenPopEnv({ LOOKUP_BUDGET_MS: '50', DESKTOP_URL: 'not a url' })).toThrow(
      'Invalid configuration: TABLE_NAME: TABLE_NAME is required; LOOKUP_BUDGET_MS: expected a whole number from 100 to 7000, got "50"; DESKTOP_URL: expected a URL, got "not a url"',
    );
    expect(() => connectLambdaEnv({ TABLE_NAME: 'keyline-prod', LOOKUP_BUDGET_MS: '1.5' })).toThrow(
      'LOOKUP_BUDGET_MS: expected a whole number',
    );
  });
});
