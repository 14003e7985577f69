import { contactEvent, contactFlowEvent, HOTLINE } from './connect-simulator.ts';

type ConnectLambda = (event: unknown, context?: unknown) => Promise<Record<string, string>>;

/** Ready-made callers from the demo book, offered by the desktop's "simulate incoming call" panel. */
export const DEMO_CALLERS = [
  {
    id: 'key-account',
    from: '+8613910012001',
    zh: '关键客户：金禾粮油 赵敏',
    en: 'Key account: Jinhe Grain & Oil, Zhao Min',
  },
  {
    id: 'shared-number',
    from: '+862158881234',
    zh: '共用号码：海川货代（代多家客户）',
    en: 'Shared number: Haichuan forwarder (books for several clients)',
  },
  {
    id: 'english-speaker',
    from: '+41446681800',
    zh: '英语客户：阿尔皮纳巧克力 Lukas',
    en: 'English speaker: Alpina Chocolate, Lukas Müller',
  },
  {
    id: 'pharma-cold-chain',
    from: '+8613311009001',
    zh: '医药冷链：康泰医药 杨帆',
    en: 'Pharma cold chain: Kangtai, Yang Fan',
  },
  { id: 'unknown-number', from: '+8613700000000', zh: '陌生号码', en: 'Unknown number' },
  { id: 'withheld-number', from: 'anonymous', zh: '隐藏号码', en: 'Withheld number' },
] as const;

let screenPop: Promise<ConnectLambda> | undefined;
let ivrTracking: Promise<ConnectLambda> | undefined;
let ivrCallback: Promise<ConnectLambda> | undefined;
let ivrComplaint: Promise<ConnectLambda> | undefined;

/** Simulates the IVR "call me back" option. */
export async function simulateIvrCallback(from: string, language?: string, contactId?: string) {
  ivrCallback ??= import('#functions/ivr-callback/handler.ts').then((m) => m.handler as ConnectLambda);
  const event = contactFlowEvent({ from, contactId, parameters: language ? { language } : {} });
  return { event, attributes: await (await ivrCallback)(event, lambdaContext) };
}

/**
 * An IVR complaint: the caller keyed a category digit (1 delay, 2 damage, 3 loss, 4 wrong
 * delivery, 5 short shipment, 6 billing, 7 service attitude, 9 other) and optionally a waybill,
 * run through the real ivr-complaint handler with its time budgets.
 */
export async function simulateIvrComplaint(
  from: string,
  category: string,
  waybill?: string,
  language?: string,
  contactId?: string,
) {
  ivrComplaint ??= import('#functions/ivr-complaint/handler.ts').then((m) => m.handler as ConnectLambda);
  const event = contactFlowEvent({
    from,
    contactId,
    parameters: { category, ...(waybill ? { waybill } : {}), ...(language ? { language } : {}) },
  });
  return { event, attributes: await (await ivrComplaint)(event, lambdaContext) };
}

const lambdaContext = { getRemainingTimeInMillis: () => 8000 };

/** How a simulated inbound call goes after the screen pop: an agent takes it, or nobody does. */
export const CALL_ENDINGS = ['answered', 'abandoned', 'missed'] as const;
export type CallEnding = (typeof CALL_ENDINGS)[number];

let contactEvents: Promise<(e: unknown) => Promise<unknown>> | undefined;

/**
 * The contact events Amazon Connect would publish to EventBridge after the flow queued the call,
 * run through the real contact-events handler: QUEUED, then CONNECTED_TO_AGENT (answered), or a
 * DISCONNECTED without an agent: the caller hung up (abandoned) or the flow ended it (missed).
 */
async function emitQueueEvents(contactId: string, ending: CallEnding, at = Date.now()) {
  contactEvents ??= import('#functions/contact-events/handler.ts').then(
    (m) => m.handler as unknown as (e: unknown) => Promise<unknown>,
  );
  const handler = await contactEvents;
  const enqueueTimestamp = new Date(at + 2000).toISOString();
  const emit = (eventType: string, extra: Record<string, unknown>) =>
    handler(contactEvent(eventType, contactId, 'INBOUND', { queueInfo: { enqueueTimestamp }, ...extra }));
  await emit('QUEUED', {});
  if (ending === 'answered') {
    await emit('CONNECTED_TO_AGENT', {
      agentInfo: { connectedToAgentTimestamp: new Date(at + 9000).toISOString() },
    });
    return;
  }
  await emit('DISCONNECTED', {
    disconnectTimestamp: new Date(at + (ending === 'abandoned' ? 40_000 : 300_000)).toISOString(),
    disconnectReason: ending === 'abandoned' ? 'CUSTOMER_DISCONNECT' : 'CONTACT_FLOW_DISCONNECT',
  });
}

/**
 * Simulates an inbound call: builds the event Amazon Connect would send and runs it through the
 * real screen-pop handler, so the desktop pops the card from the attributes it returned — the
 * same path as production after the handler. Then the call is queued and ends as `ending` says,
 * through the contact events (the caller journal's source).
 */
export async function simulateInboundCall(
  from: string,
  parameters: Record<string, string> = {},
  ending: CallEnding = 'answered',
  contactId?: string,
) {
  screenPop ??= import('#functions/screen-pop/handler.ts').then((m) => m.handler as ConnectLambda);
  const event = contactFlowEvent({ from, contactId, parameters });
  const started = performance.now();
  const attributes = await (await screenPop)(event, lambdaContext);
  const elapsedMs = Math.round(performance.now() - started);
  await emitQueueEvents(event.Details.ContactData.ContactId, ending);
  return {
    contactId: event.Details.ContactData.ContactId,
    hotline: HOTLINE,
    event,
    attributes,
    ending,
    elapsedMs,
  };
}

/** Simulates the IVR tracking menu: the caller keys a waybill. */
export async function simulateIvrTracking(
  from: string,
  waybill: string,
  language?: string,
  contactId?: string,
) {
  ivrTracking ??= import('#functions/ivr-tracking/handler.ts').then((m) => m.handler as ConnectLambda);
  const event = contactFlowEvent({
    from,
    contactId,
    parameters: { waybill, ...(language ? { language } : {}) },
  });
  return { event, attributes: await (await ivrTracking)(event, lambdaContext) };
}
