/**
 * The local simulator's Connect tools, behind POST /local/connect/*: a JSON body in, the simulated
 * contact-flow answer out, through the real Lambdas (call-simulator.ts). The server (server.ts)
 * only carries the request. Each body is checked as the Lambda's own parameters would be, and a
 * field the tool does not know is refused, not silently dropped: a mistyped `contactId` would
 * otherwise make every request a new contact.
 */
import * as z from 'zod';
import {
  CALL_ENDINGS,
  simulateInboundCall,
  simulateIvrCallback,
  simulateIvrComplaint,
  simulateIvrTracking,
} from './call-simulator.ts';
import { HttpError } from './http-error.ts';

const common = {
  /** The caller's number as the carrier delivers it; '' or `anonymous` when withheld. */
  from: z.string().max(40).default(''),
  /** Connect's contact id: the same id again is the same contact (the IVR's idempotency). */
  contactId: z.string().min(1).max(128).optional(),
  language: z.string().max(16).optional(),
};

const TOOLS = {
  '/local/connect/inbound-call': z.strictObject({
    ...common,
    parameters: z.record(z.string(), z.string()).optional(),
    ending: z.enum(CALL_ENDINGS).optional(),
  }),
  '/local/connect/ivr-callback': z.strictObject(common),
  '/local/connect/ivr-complaint': z.strictObject({
    ...common,
    category: z.string().max(4),
    waybill: z.string().max(40).optional(),
  }),
  '/local/connect/ivr-tracking': z.strictObject({ ...common, waybill: z.string().max(40).default('') }),
};

export async function runConnectTool(pathname: string, parsed: unknown): Promise<unknown> {
  const schema = TOOLS[pathname as keyof typeof TOOLS];
  if (!schema) throw new HttpError(404, 'no_route', `no local tool at ${pathname}`);
  const checked = schema.safeParse(parsed);
  if (!checked.success) {
    const why = checked.error.issues.map((i) => `${['body', ...i.path].join('.')}: ${i.message}`).join('; ');
    throw new HttpError(400, 'validation_failed', why);
  }
  const b = checked.data as z.output<(typeof TOOLS)['/local/connect/inbound-call']> & {
    category?: string;
    waybill?: string;
  };
  switch (pathname) {
    case '/local/connect/inbound-call':
      return simulateInboundCall(b.from, b.parameters ?? {}, b.ending, b.contactId);
    case '/local/connect/ivr-callback':
      return simulateIvrCallback(b.from, b.language, b.contactId);
    case '/local/connect/ivr-complaint':
      return simulateIvrComplaint(b.from, b.category ?? '', b.waybill, b.language, b.contactId);
    default:
      return simulateIvrTracking(b.from, b.waybill ?? '', b.language, b.contactId);
  }
}
