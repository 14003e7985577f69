import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** The region a national number is read in when the account sets none. */
export const DEFAULT_PHONE_REGION: CountryCode = 'CN';

export type PhoneResult =
  | { ok: true; e164: string; region: CountryCode | undefined }
  | { ok: false; reason: string; refusal: PhoneRefusal };

/** Why a number was refused, for the message catalog (`phone.<why>`) to word in both languages. */
export type PhoneRefusal =
  | { why: 'empty' }
  | { why: 'characters'; raw: string }
  | { why: 'invalid'; raw: string; region: string };

/**
 * Normalizes a phone number to E.164. A national number is read in `defaultRegion` (CN unless
 * the account overrides it). Anything libphonenumber-js does not consider a valid number is
 * refused with a reason a person can act on.
 */
export function normalizePhone(input: string, defaultRegion: string = DEFAULT_PHONE_REGION): PhoneResult {
  const raw = input.trim();
  if (raw === '') return { ok: false, reason: 'phone number is empty', refusal: { why: 'empty' } };
  if (!/^[+\d\s\-().]+$/.test(raw)) {
    return {
      ok: false,
      reason: `"${raw}" contains characters that are not part of a phone number`,
      refusal: { why: 'characters', raw },
    };
  }
  const region = isSupportedCountry(defaultRegion) ? defaultRegion : DEFAULT_PHONE_REGION;
  const parsed = parsePhoneNumberFromString(raw, { defaultCountry: region });
  if (!parsed?.isValid()) {
    return {
      ok: false,
      reason: `"${raw}" is not a valid phone number for region ${region}`,
      refusal: { why: 'invalid', raw, region },
    };
  }
  // Not getType(): isValid() has just worked it out, and asking again costs as much (nothing reads it).
  return { ok: true, e164: parsed.number, region: parsed.country };
}

export { isPhoneRegion } from './phone-regions.ts';

/** The region a number in E.164 belongs to, used to derive a time zone where a contact has none. */
export function regionOfE164(e164: string): CountryCode | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}
