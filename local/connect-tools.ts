/**
 * The local simulator's Connect tools, behind POST /local/connect/*: a JSON body in, the simulated
 * contact-flow answer out, through the real Lambdas (call-simulator.ts). The server (server.ts)
 * only carries the request.
 */
import {
  CALL_ENDINGS,
  type CallEnding,
  simulateInboundCall,
  simulateIvrCallback,
  simulateIvrComplaint,
  simulateIvrTracking,
} from './call-simulator.ts';
import { HttpError } from './http-error.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export async function runConnectTool(pathname: string, parsed: unknown): Promise<unknown> {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'validation_failed', 'body: expected a JSON object');
  }
  const body = parsed as Record<string, unknown>;
  const from = str(body.from) ?? '';
  switch (pathname) {
    case '/local/connect/inbound-call': {
      const params =
        body.parameters && typeof body.parameters === 'object'
          ? (body.parameters as Record<string, string>)
          : {};
      const ending = (CALL_ENDINGS as readonly unknown[]).includes(body.ending)
        ? (body.ending as CallEnding)
        : undefined;
      if (body.ending !== undefined && !ending)
        throw new HttpError(400, 'validation_failed', `ending: expected one of ${CALL_ENDINGS.join(', ')}`);
      return simulateInboundCall(from, params, ending);
    }
    case '/local/connect/ivr-callback':
      return simulateIvrCallback(from, str(body.language));
    case '/local/connect/ivr-complaint':
      return simulateIvrComplaint(from, str(body.category) ?? '', str(body.waybill), str(body.language));
    case '/local/connect/ivr-tracking':
      return simulateIvrTracking(from, str(body.waybill) ?? '', str(body.language));
    default:
      throw new HttpError(404, 'no_route', `no local tool at ${pathname}`);
  }
}
