import * as z from 'zod/mini';

/**
 * (zod/mini: this module is on the screen pop's cold-start path, where every kilobyte counts.)
 *
 * The Amazon Connect "Invoke AWS Lambda function" event, as much of it as Keyline reads. Fields
 * Connect adds over time are kept (loose objects); variants seen in the wild are accepted, such
 * as `Queue` as an object or a plain string, and `CustomerEndpoint` missing for a withheld number.
 */
const nullishString = z.nullish(z.string());
const Endpoint = z.nullish(z.looseObject({ Address: nullishString, Type: nullishString }));

export const ContactFlowEvent = z.looseObject({
  Name: z.optional(z.string()),
  Details: z.looseObject({
    ContactData: z.looseObject({
      ContactId: z.string().check(z.minLength(1)),
      InitialContactId: nullishString,
      Channel: nullishString,
      InstanceARN: nullishString,
      InitiationMethod: nullishString,
      LanguageCode: nullishString,
      CustomerEndpoint: Endpoint,
      SystemEndpoint: Endpoint,
      Queue: z.nullish(z.union([z.string(), z.looseObject({ ARN: nullishString, Name: nullishString })])),
      Attributes: z.nullish(z.record(z.string(), z.unknown())),
    }),
    Parameters: z.nullish(z.record(z.string(), z.unknown())),
  }),
});
export type ContactFlowEvent = z.output<typeof ContactFlowEvent>;

/** A string parameter set in the flow, or undefined. Non-string values are ignored. */
export function flowParameter(event: ContactFlowEvent, name: string): string | undefined {
  const v = event.Details.Parameters?.[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
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
