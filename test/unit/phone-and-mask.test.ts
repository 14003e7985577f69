import { getCountries, isSupportedCountry } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { normalizePhone, regionOfE164 } from '#shared/accounts/phone.ts';
import { isPhoneRegion, PHONE_REGIONS } from '#shared/accounts/phone-regions.ts';
import { maskEmail, maskPhone, maskString, maskValue } from '#shared/platform/observability/mask.ts';

describe('phone regions', () => {
  it('are the regions libphonenumber-js reads numbers of, no more and no fewer', () => {
    expect([...PHONE_REGIONS].sort()).toEqual([...getCountries()].sort());
    for (const code of ['CN', 'HK', 'CH', 'US', 'XK'])
      expect(isPhoneRegion(code)).toBe(isSupportedCountry(code));
    for (const code of ['cn', 'ZZ', 'EU', '', 'CHN']) expect(isPhoneRegion(code)).toBe(false);
  });
});

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

describe('masking keeps what operators search by', () => {
  it.each([
    ['an ISO timestamp', '2026-11-27T03:54:30.871Z'],
    ['a timestamp with an offset', '2026-11-27T11:54:30.871+08:00'],
    ['an epoch in milliseconds', '1764215670871'],
    ['a Connect ContactId', '3f8a1c2e-0123-4567-8901-234567890abc'],
    ['a waybill', '7100012345'],
    ['a ULID', '01KMZ3Q4T5V6W7X8Y9Z0A1B2C3'],
    ['a complaint reference', '2611270001'],
    [
      'a Connect instance ARN',
      'arn:aws:connect:cn-north-1:123456789012:instance/0a1b2c3d-1111-4222-8333-444455556666',
    ],
    ['an SNS topic ARN', 'arn:aws:sns:cn-north-1:123456789012:keyline-delays'],
    ['a table key', 'CALL#2026-11-27T03:54:30.871Z#3f8a1c2e-0123-4567-8901-234567890abc'],
    ['an amount', 'accountValue 38000000'],
  ])('leaves %s whole', (_what, value) => {
    expect(maskString(`x ${value} y`)).toBe(`x ${value} y`);
  });

  it.each([
    ['E.164', '+8613800138000', '+861****8000'],
    ['E.164 grouped', '+86 138 0013 8000', '+861****8000'],
    ['a Swiss number grouped', '+41 44 668 18 00', '+414****1800'],
    ['a Chinese mobile', '13800138000', '138****8000'],
    ['a Chinese mobile grouped', '138 0013 8000', '138****8000'],
    ['a fixed line with its area code', '021-5888 1234', '021****1234'],
    ['a 400 service number', '400-820-8888', '400****8888'],
    ['a number inside a table key', 'PHONE#+8613800138000', 'PHONE#+861****8000'],
  ])('masks %s', (_what, value, masked) => {
    expect(maskString(value)).toBe(masked);
  });

  it('masks a number and an email inside a log line while its ContactId and time stay whole', () => {
    const line = JSON.stringify(
      {
        timestamp: '2026-11-27T03:54:30.871Z',
        contactId: '3f8a1c2e-0123-4567-8901-234567890abc',
        caller: '+8613910012001',
        message: 'alert to zhao.min@jinhe.example.cn for waybill 7100000003',
      },
      maskValue,
    );
    expect(line).toContain('"2026-11-27T03:54:30.871Z"');
    expect(line).toContain('3f8a1c2e-0123-4567-8901-234567890abc');
    expect(line).toContain('waybill 7100000003');
    expect(line).not.toContain('13910012001');
    expect(line).not.toContain('zhao.min');
  });
});

describe('which number a contact is texted and called on (one rule for alerts, confirmations and calls)', () => {
  it('texts a labelled mobile, or a mainland mobile by its number whatever its label; calls the mobile, else the first', async () => {
    const { callNumber, textNumber } = await import('#shared/accounts/model.ts');
    const { recipients } = await import('#shared/notify/policy.ts');
    const { confirmationNumber } = await import('#shared/notify/confirmations.ts');
    const office = { e164: '+862158881234', label: 'office' as const };
    const cnMobileAsOffice = { e164: '+8613910012001', label: 'office' as const };
    const zurichMobile = { e164: '+41791234567', label: 'mobile' as const };
    expect(textNumber({ phones: [office, cnMobileAsOffice] })).toBe('+8613910012001');
    expect(textNumber({ phones: [office] })).toBeUndefined();
    expect(textNumber({ phones: [office, zurichMobile] })).toBe('+41791234567');
    expect(callNumber({ phones: [office, cnMobileAsOffice] })).toBe('+862158881234');
    expect(callNumber({ phones: [office, zurichMobile] })).toBe('+41791234567');
    // The IVR's confirmation: the calling number if it takes SMS, else the contact's.
    expect(confirmationNumber({ phones: [office, cnMobileAsOffice] }, office.e164)).toBe('+8613910012001');
    expect(confirmationNumber(undefined, '+8613800000000')).toBe('+8613800000000');
    // The delay alerts text the same number the confirmation would.
    const contact = {
      id: 'c1',
      name: '赵敏',
      phones: [office, cnMobileAsOffice],
      consent: { calls: true, sms: true, email: true },
      notificationPreferences: { channels: { minor: ['sms'], major: ['sms'], critical: ['sms'] } },
    };
    const account = { id: 'a1', timeZone: 'Asia/Shanghai', contacts: [contact] } as never;
    expect(recipients(account, 'major').deliveries.map((d) => [d.channel, d.recipient])).toEqual([
      ['sms', '+8613910012001'],
    ]);
  });
});
