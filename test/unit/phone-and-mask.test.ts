import { describe, expect, it } from 'vitest';
import { normalizePhone, regionOfE164 } from '#shared/accounts/phone.ts';
import { maskEmail, maskPhone, maskString, maskValue } from '#shared/platform/observability/mask.ts';

describe('normalizePhone', () => {
  it.each([
    ['13800138000', 'CN', '+8613800138000'],
    ['138 0013 8000', 'CN', '+8613800138000'],
    ['+86 138-0013-8000', 'CN', '+8613800138000'],
    ['010-6552 9988', 'CN', '+861065529988'],
    ['400-820-8888', 'CN', '+864008208888'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+1 415 555 2671', 'CN', '+14155552671'],
  ])('reads %s in region %s as %s', (input, region, e164) => {
    expect(normalizePhone(input, region)).toMatchObject({ ok: true, e164 });
  });

  it.each([
    ['', 'empty'],
    ['12345', 'not a valid phone number for region CN'],
    ['call me', 'characters that are not part of a phone number'],
    ['+86 1380013800', 'not a valid phone number'],
  ])('refuses %j with a reason', (input, reason) => {
    const r = normalizePhone(input);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toContain(reason);
  });

  it('finds the region of an E.164 number', () => {
    expect(regionOfE164('+442079460958')).toBe('GB');
    expect(regionOfE164('+8613800138000')).toBe('CN');
  });
});

describe('masking', () => {
  it('keeps only the first three and last four digits of a phone', () => {
    expect(maskPhone('+8613800138000')).toBe('+861****8000');
    expect(maskPhone('13800138000')).toBe('138****8000');
  });

  it('masks the local part and domain of an email', () => {
    expect(maskEmail('zhao.min@jinhe.example.cn')).toBe('z***@j***.cn');
  });

  it('masks phones and emails inside free text but leaves short numbers alone', () => {
    const out = maskString('caller +8613800138000 wrote to zhao.min@jinhe.example.cn about 3 shipments');
    expect(out).not.toContain('13800138000');
    expect(out).not.toContain('zhao.min');
    expect(out).toContain('3 shipments');
  });

  it('masks every string value through the JSON replacer', () => {
    const json = JSON.stringify(
      { phone: '+8613800138000', nested: { email: 'a.b@c.com' }, n: 13800138000 },
      maskValue,
    );
    expect(json).not.toContain('8613800138000');
    expect(json).not.toContain('a.b@c.com');
  });
});
