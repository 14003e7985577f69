import { describe, expect, it } from 'vitest';
import { normalizePhone } from '#shared/accounts/phone.ts';
import { callerNumber } from '#shared/platform/connect/caller.ts';
import { MAX_RESPONSE_BYTES, toStringMap } from '#shared/platform/connect/event.ts';

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
