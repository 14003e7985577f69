import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

export type CallerNumber =
  | { kind: 'number'; e164: string }
  | { kind: 'withheld' }
  | { kind: 'malformed'; raw: string };

const WITHHELD = new Set(['', 'anonymous', 'private', 'restricted', 'unknown', 'unavailable', 'withheld']);

/**
 * The caller's number from `CustomerEndpoint.Address`. Connect sends E.164; a national number
 * (from a SIP trunk, say) is read in CN. This runs on the screen-pop hot path, so it uses
 * libphonenumber-js's small metadata: the stored numbers were fully validated on the way in.
 */
export function callerNumber(address: string | null | undefined, defaultRegion: 'CN' = 'CN'): CallerNumber {
  const raw = (address ?? '').trim();
  if (WITHHELD.has(raw.toLowerCase())) return { kind: 'withheld' };
  const compact = raw
    .replace(/^sip:|^tel:/i, '')
    .replace(/@.*$/, '')
    .replace(/[\s().-]/g, '');
  if (/^\+[1-9]\d{6,14}$/.test(compact)) {
    const parsed = parsePhoneNumberFromString(compact);
    return parsed?.isPossible() ? { kind: 'number', e164: parsed.number } : { kind: 'malformed', raw };
  }
  if (/^\d{5,15}$/.test(compact)) {
    const parsed = parsePhoneNumberFromString(compact, defaultRegion);
    if (parsed?.isPossible()) return { kind: 'number', e164: parsed.number };
  }
  return { kind: 'malformed', raw };
}
