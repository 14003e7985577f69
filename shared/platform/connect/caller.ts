export type CallerNumber =
  | { kind: 'number'; e164: string }
  | { kind: 'withheld' }
  | { kind: 'malformed'; raw: string };

const WITHHELD = new Set(['', 'anonymous', 'private', 'restricted', 'unknown', 'unavailable', 'withheld']);

/**
 * The caller's number from `CustomerEndpoint.Address`, on the screen pop's hot path.
 *
 * Amazon Connect delivers PSTN callers in E.164, which is how the registry stores numbers
 * (normalized with libphonenumber-js when they are written), so E.164 passes straight through.
 * A trunk that hands over a national Chinese number is read with China's numbering plan:
 * mobile 1xx xxxx xxxx, fixed lines with a trunk 0 and area code, and 400/800 service numbers;
 * so are +86 with the trunk 0 still after it, and 86 without its plus.
 * libphonenumber-js is deliberately not loaded here: its metadata would double the cold start.
 * test/unit/connect.test.ts checks these rules against libphonenumber-js itself.
 */
export function callerNumber(address: string | null | undefined): CallerNumber {
  const raw = (address ?? '').trim();
  if (WITHHELD.has(raw.toLowerCase())) return { kind: 'withheld' };
  const compact = raw
    .replace(/^(sip|tel):/i, '')
    .replace(/[@;].*$/, '')
    // An extension is not part of the number the registry stores: ext. 12, x12, 转 12.
    .replace(/\s*(ext\.?|x|转|#|,)\s*\d{1,6}$/i, '')
    // "+44 (0)20 …": the trunk 0 written in brackets is not dialled from abroad.
    .replace(/\(0\)/g, '')
    .replace(/[\s().-]/g, '')
    // China's code with the national trunk 0 kept after it (+86 0755 …): the national number.
    .replace(/^(\+|00)860(?=[1-9])/, '0');
  // China's code without its plus (86 139 …): 86 and a 10- or 11-digit national number.
  if (/^86[1-9]\d{9,10}$/.test(compact)) return { kind: 'number', e164: `+${compact}` };
  if (/^\+[1-9]\d{7,14}$/.test(compact)) return { kind: 'number', e164: compact };
  if (/^00[1-9]\d{7,14}$/.test(compact)) return { kind: 'number', e164: `+${compact.slice(2)}` };
  if (/^1[3-9]\d{9}$/.test(compact)) return { kind: 'number', e164: `+86${compact}` };
  if (/^0[1-9]\d{8,10}$/.test(compact)) return { kind: 'number', e164: `+86${compact.slice(1)}` };
  if (/^[48]00\d{7}$/.test(compact)) return { kind: 'number', e164: `+86${compact}` };
  return { kind: 'malformed', raw };
}
