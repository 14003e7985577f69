/**
 * The Amazon Connect "Invoke AWS Lambda function" event, as much of it as Keyline reads. Fields
 * Connect adds over time are kept; variants seen in the wild are accepted, such as `Queue` as an
 * object or a plain string, and `CustomerEndpoint` missing for a withheld number.
 *
 * Checked by the guard below rather than a schema library: every contact-flow Lambda parses this
 * event on the cold start a waiting caller hears, and building zod schemas at import cost the
 * screen pop some 10 ms of its ~200 ms cold start (bench/results/bench.json, `npm run bench`).
 */
export interface ContactFlowEvent {
  Name?: string;
  Details: {
    ContactData: {
      ContactId: string;
      InitialContactId?: string | null;
      Channel?: string | null;
      InstanceARN?: string | null;
      InitiationMethod?: string | null;
      LanguageCode?: string | null;
      CustomerEndpoint?: Endpoint | null;
      SystemEndpoint?: Endpoint | null;
      Queue?: string | { ARN?: string | null; Name?: string | null; [k: string]: unknown } | null;
      Attributes?: Record<string, unknown> | null;
      [k: string]: unknown;
    };
    Parameters?: Record<string, unknown> | null;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

interface Endpoint {
  Address?: string | null;
  Type?: string | null;
  [k: string]: unknown;
}

export interface EventIssue {
  path: string;
  message: string;
}

export type ParsedEvent =
  | { success: true; data: ContactFlowEvent }
  | { success: false; issues: EventIssue[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a raw event; on failure, each problem with its path ("Details.ContactData.ContactId"). */
export function parseContactFlowEvent(raw: unknown): ParsedEvent {
  const issues: EventIssue[] = [];
  const need = (ok: boolean, path: string, message: string) => {
    if (!ok) issues.push({ path, message });
  };
  const nullishString = (o: Record<string, unknown>, key: string, at: string) =>
    need(
      o[key] === undefined || o[key] === null || typeof o[key] === 'string',
      `${at}.${key}`,
      'expected a string',
    );
  const nullishObject = (o: Record<string, unknown>, key: string, at: string) => {
    const v = o[key];
    need(v === undefined || v === null || isObject(v), `${at}.${key}`, 'expected an object');
    return isObject(v) ? v : undefined;
  };
  if (!isObject(raw)) return { success: false, issues: [{ path: '', message: 'expected an object' }] };
  need(raw.Name === undefined || typeof raw.Name === 'string', 'Name', 'expected a string');
  const details = raw.Details;
  if (!isObject(details))
    return { success: false, issues: [...issues, { path: 'Details', message: 'expected an object' }] };
  const data = details.ContactData;
  if (!isObject(data))
    return {
      success: false,
      issues: [...issues, { path: 'Details.ContactData', message: 'expected an object' }],
    };
  const at = 'Details.ContactData';
  need(
    typeof data.ContactId === 'string' && data.ContactId.length > 0,
    `${at}.ContactId`,
    'expected a non-empty string',
  );
  for (const k of ['InitialContactId', 'Channel', 'InstanceARN', 'InitiationMethod', 'LanguageCode'])
    nullishString(data, k, at);
  for (const k of ['CustomerEndpoint', 'SystemEndpoint']) {
    const e = nullishObject(data, k, at);
    if (e) for (const f of ['Address', 'Type']) nullishString(e, f, `${at}.${k}`);
  }
  if (typeof data.Queue !== 'string') {
    const q = nullishObject(data, 'Queue', at);
    if (q) for (const f of ['ARN', 'Name']) nullishString(q, f, `${at}.Queue`);
  }
  nullishObject(data, 'Attributes', at);
  nullishObject(details, 'Parameters', 'Details');
  return issues.length ? { success: false, issues } : { success: true, data: raw as ContactFlowEvent };
}

/**
 * A string parameter set in the flow, or undefined. Non-string values are ignored. Full-width
 * characters (a Chinese keyboard's １２３, ＪＨ) read as their ASCII forms.
 */
export function flowParameter(event: ContactFlowEvent, name: string): string | undefined {
  const v = event.Details.Parameters?.[name];
  const s = typeof v === 'string' ? v.normalize('NFKC').trim() : '';
  return s !== '' ? s : undefined;
}

/** A contact attribute set earlier in the flow, or undefined. */
export function contactAttribute(event: ContactFlowEvent, name: string): string | undefined {
  const v = event.Details.ContactData.Attributes?.[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The ContactId of a raw event even when the rest of it does not parse, for logs and defaults. */
export function rawContactId(event: unknown): string {
  const id = (event as { Details?: { ContactData?: { ContactId?: unknown } } })?.Details?.ContactData
    ?.ContactId;
  return typeof id === 'string' ? id : 'unknown';
}

export const MAX_RESPONSE_BYTES = 32 * 1024;
const KEY_PATTERN = /[^A-Za-z0-9_-]/g;
const KEY_OK = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Shapes a Lambda response for Connect's STRING_MAP validation: a flat object of string values,
 * keys of letters, digits, `_` and `-` only, under 32 KB in all. Values are trimmed to fit;
 * undefined values are dropped.
 */
export function toStringMap(
  values: Record<string, string | number | boolean | undefined | null>,
  maxValueLength = 1024,
): Record<string, string> {
  const out: Record<string, string> = {};
  // A UTF-8 character takes at most 3 bytes for the BMP (JSON escapes aside), so the exact byte
  // count is only needed once this cheap upper bound gets near the limit.
  let bound = 2;
  let exact = false;
  for (const [rawKey, rawValue] of Object.entries(values)) {
    if (rawValue === undefined || rawValue === null) continue;
    const key = KEY_OK.test(rawKey) ? rawKey : rawKey.replace(KEY_PATTERN, '_').slice(0, 64);
    if (key === '') continue;
    let value = String(rawValue);
    if (value.length > maxValueLength) value = value.slice(0, maxValueLength);
    const cost = (key.length + value.length) * 6 + 6;
    if (!exact && bound + cost > MAX_RESPONSE_BYTES) {
      exact = true;
      bound = Buffer.byteLength(JSON.stringify(out));
    }
    if (exact) {
      const bytes = Buffer.byteLength(JSON.stringify(key)) + Buffer.byteLength(JSON.stringify(value)) + 2;
      if (bound + bytes > MAX_RESPONSE_BYTES) {
        value = '';
        if (bound + Buffer.byteLength(JSON.stringify(key)) + 4 > MAX_RESPONSE_BYTES) break;
      }
      bound += Buffer.byteLength(JSON.stringify(key)) + Buffer.byteLength(JSON.stringify(value)) + 2;
    } else {
      bound += cost;
    }
    out[key] = value;
  }
  return out;
}
