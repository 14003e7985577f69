// The SLA escalation run tells the operators when a year within 60 days has no known China
// working calendar (business-day SLAs would count Spring Festival as working days): a metric
// each run, which the stack alarms on, and one warning per year and instance.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const sns = mockClient(SNSClient);
const ctx = { awsRequestId: 'cal', functionName: 'cal', getRemainingTimeInMillis: () => 60_000 };

beforeAll(() => {
  process.env.ESCALATION_TOPIC_ARN = 'arn:aws:sns:cn-north-1:123456789012:keyline-escalations';
  sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
});
afterAll(() => {
  vi.useRealTimers();
  sns.restore();
});

describe('a year the China calendar does not know yet', () => {
  it('is counted on every run and warned of once per instance', async () => {
    // Far enough ahead that no release of chinese-days knows it: 60 days reach into 2100.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2099-12-01T02:00:00Z'), shouldAdvanceTime: true });
    const { handler } = await import('#functions/sla-escalation/handler.ts');
    const warn = vi.spyOn(logger, 'warn');
    const metric = vi.spyOn(metrics, 'addMetric');
    await handler({}, ctx as never);
    await handler({}, ctx as never);
    const counted = metric.mock.calls.filter(([name]) => name === 'CalendarYearsMissing');
    expect(counted.map((c) => c[2])).toEqual([2, 2]);
    const warned = warn.mock.calls.map(([message]) => String(message));
    expect(warned).toHaveLength(2);
    expect(warned[0]).toMatch(/^China's working calendar for 2099 is not known/);
    expect(warned[1]).toMatch(/^China's working calendar for 2100 is not known/);
    expect(warned[0]).toContain('-c slaCalendar');
  });
});
