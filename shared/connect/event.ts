import { z } from 'zod';

/**
 * The Amazon Connect "Invoke AWS Lambda function" event, as much of it as Keyline reads. Fields
 * Connect adds over time are kept (loose objects); variants seen in the wild are accepted, such
 * as `Queue` as an object or a plain string, and `CustomerEndpoint` missing for a withheld number.
 */
const Endpoint = z.looseObject({ Address: z.string().nullish(), Type: z.string().nullish() }).nullish();

export const ContactFlowEvent = z.looseObject({
  Name: z.string().optional(),
  Details: z.looseObject({
    ContactData: z.looseObject({
      ContactId: z.string().min(1),
      InitialContactId: z.string().nullish(),
      Channel: z.string().nullish(),
      InstanceARN: z.string().nullish(),
      InitiationMethod: z.string().nullish(),
      LanguageCode: z.string().nullish(),
      CustomerEndpoint: Endpoint,
      SystemEndpoint: Endpoint,
      Queue: z
        .union([z.string(), z.looseObject({ ARN: z.string().nullish(), Name: z.string().nullish() })])
        .nullish(),
      Attributes: z.record(z.string(), z.unknown()).nullish(),
    }),
    Parameters: z.record(z.string(), z.unknown()).nullish(),
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
  let size = 2;
  for (const [rawKey, rawValue] of Object.entries(values)) {
    if (rawValue === undefined || rawValue === null) continue;
    const key = rawKey.replace(KEY_PATTERN, '_').slice(0, 64);
    if (key === '') continue;
    let value = String(rawValue).slice(0, maxValueLength);
    const cost = Buffer.byteLength(JSON.stringify(key)) + Buffer.byteLength(JSON.stringify(value)) + 2;
    if (size + cost > MAX_RESPONSE_BYTES) {
      value = '';
      if (size + Buffer.byteLength(JSON.stringify(key)) + 4 > MAX_RESPONSE_BYTES) break;
    }
    out[key] = value;
    size += Buffer.byteLength(JSON.stringify(key)) + Buffer.byteLength(JSON.stringify(value)) + 2;
  }
  return out;
}
