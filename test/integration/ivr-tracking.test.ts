import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { demoWaybill } from '#local/demo/shipments.ts';
import { formatTime } from '#shared/platform/messages/index.ts';
import { loadDemo } from '../support/demo.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';

type Handler = (event: unknown) => Promise<Record<string, string>>;
let handler: Handler;
let proxy: DynamoProxy;

const JINHE_LATE_BY_WEATHER = demoWaybill(0, 0);
const JINHE_ON_TIME = demoWaybill(0, 3);
const JINHE_DELIVERED = demoWaybill(0, 0, true);

beforeAll(async () => {
  await loadDemo();
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  process.env.LOOKUP_BUDGET_MS = '400';
  ({ handler } = (await import('#functions/ivr-tracking/handler.ts')) as { handler: Handler });
});
afterAll(() => proxy.stop());
beforeEach(() => proxy.reset());

const track = (from: string, waybill: string | undefined, parameters: Record<string, string> = {}) =>
  handler(
    contactFlowEvent({ from, parameters: { ...(waybill === undefined ? {} : { waybill }), ...parameters } }),
  );

describe('IVR tracking Lambda against DynamoDB Local', () => {
  it('tells the owning account the last scan, place, reason and ETA in Chinese', async () => {
    const a = await track('+8613910012001', JINHE_LATE_BY_WEATHER);
    expect(a).toMatchObject({
      found: 'true',
      owner: 'true',
      lookupStatus: 'ok',
      status: 'delayed',
      delayed: 'true',
      lastMilestone: 'exception',
      language: 'zh-CN',
    });
    expect(a.lastLocation).toContain('G4');
    expect(a.prompt).toContain('恶劣天气');
    expect(a.prompt).toContain('预计送达时间');
    expect(a.waybillSpoken).toBe(JINHE_LATE_BY_WEATHER.split('').join(' '));
    expect(proxy.sequentialRoundTrips()).toBe(1);
  });

  it('tells an owner calling from Zurich the ETA in Zurich time, not Shanghai’s', async () => {
    const waybill = demoWaybill(1, 0);
    const a = await track('+41446681800', waybill);
    expect(a).toMatchObject({ found: 'true', owner: 'true', language: 'en' });
    const at = (zone: string) => formatTime(a.eta ?? '', 'en', zone, 'spoken-hour');
    expect(at('Europe/Zurich')).not.toBe(at('Asia/Shanghai'));
    expect(a.prompt).toContain(`Expected delivery: ${at('Europe/Zurich')}.`);
  });

  it('gives an English-speaking owner nothing in Chinese characters, which the English voice cannot read', async () => {
    const a = await track('+41446681800', demoWaybill(1, 0));
    expect(a).toMatchObject({ owner: 'true', language: 'en' });
    expect(a.lastLocation).toMatch(/\p{Script=Han}/u);
    expect(a.prompt).toContain('Latest scan: arrived at a hub.');
    expect(a.prompt).not.toMatch(/\p{Script=Han}/u);
  });

  it('gives a caller from another account the status only, in their language', async () => {
    const a = await track('+41446681800', JINHE_LATE_BY_WEATHER);
    expect(a).toMatchObject({
      found: 'true',
      owner: 'false',
      status: 'delayed',
      lastLocation: '',
      lastMilestone: '',
      eta: '',
      language: 'en',
    });
    expect(a.prompt).toContain('running late');
    expect(a.prompt).not.toContain('G4');
    expect(a.prompt).not.toContain('收货');
  });

  it('gives an unknown caller the status only', async () => {
    const a = await track('+8613700000000', JINHE_ON_TIME);
    expect(a).toMatchObject({ found: 'true', owner: 'false', status: 'in-transit', lastLocation: '' });
  });

  it('reads a waybill in full-width digits (typed on a Chinese keyboard) as its digits', async () => {
    const fullWidth = [...JINHE_ON_TIME].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('');
    const a = await track('+8613910012001', fullWidth);
    expect(a).toMatchObject({ found: 'true', owner: 'true', waybill: JINHE_ON_TIME });
  });

  it('reports a delivered shipment', async () => {
    const a = await track('+8613910012001', JINHE_DELIVERED, { language: 'en' });
    expect(a).toMatchObject({ status: 'delivered', lastMilestone: 'delivered', language: 'en' });
    expect(a.prompt).toContain('delivered');
  });

  it('answers a polite not-found prompt for an unknown waybill', async () => {
    const a = await track('+8613910012001', '7199999999');
    expect(a).toMatchObject({ found: 'false', lookupStatus: 'not-found' });
    expect(a.prompt).toContain('没有查到运单 7 1 9 9 9 9 9 9 9 9');
  });

  it.each([undefined, '', '12', 'abc!'])('asks again for a waybill it cannot read (%j)', async (waybill) => {
    const a = await track('+8613910012001', waybill);
    expect(a).toMatchObject({ found: 'false', lookupStatus: 'invalid' });
    // No lookup: only the caller's IVR choice (tracking) is noted on the call.
    expect(proxy.calls.map((c) => c.op)).toEqual(['UpdateItem']);
  });

  it('never throws: a DynamoDB failure answers the fallback prompt', async () => {
    proxy.fault = { fail: 'server-error' };
    const a = await track('+8613910012001', JINHE_ON_TIME, { language: 'en' });
    expect(a).toMatchObject({ found: 'false', lookupStatus: 'error', language: 'en' });
    expect(a.prompt).toContain('hold for an agent');
  });

  it('never throws on a malformed event', async () => {
    expect(await handler({ nope: true })).toMatchObject({ found: 'false', lookupStatus: 'error' });
  });
});
