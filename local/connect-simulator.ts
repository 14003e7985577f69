import { randomUUID } from 'node:crypto';

export const LOCAL_INSTANCE_ARN =
  'arn:aws:connect:cn-north-1:000000000000:instance/00000000-0000-4000-8000-000000000000';
export const HOTLINE = '+864008208888';

export interface SimulatedCall {
  /** The caller's number as the carrier delivers it; `anonymous` or '' when withheld. */
  from: string;
  contactId?: string;
  parameters?: Record<string, string>;
  attributes?: Record<string, string>;
  /** Connect sends Queue as an object in most flows, as a string in some, or not at all. */
  queue?: 'object' | 'string' | 'none';
  initiationMethod?: 'INBOUND' | 'OUTBOUND' | 'CALLBACK' | 'TRANSFER';
}

/**
 * A contact-flow event exactly as Amazon Connect's "Invoke AWS Lambda function" block sends it,
 * for the local call simulator and the tests.
 */
export function contactFlowEvent(call: SimulatedCall) {
  const contactId = call.contactId ?? randomUUID();
  const queueArn = `${LOCAL_INSTANCE_ARN}/queue/11111111-2222-4333-8444-555555555555`;
  const queue =
    call.queue === 'none'
      ? null
      : call.queue === 'string'
        ? queueArn
        : {
            ARN: queueArn,
            Name: 'BasicQueue',
            OutboundCallerId: { Address: HOTLINE, Type: 'TELEPHONE_NUMBER' },
          };
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: call.attributes ?? {},
        Channel: 'VOICE',
        ContactId: contactId,
        CustomerEndpoint: call.from === '' ? null : { Address: call.from, Type: 'TELEPHONE_NUMBER' },
        CustomerId: null,
        Description: null,
        InitialContactId: contactId,
        InitiationMethod: call.initiationMethod ?? 'INBOUND',
        InstanceARN: LOCAL_INSTANCE_ARN,
        LanguageCode: 'zh-CN',
        MediaStreams: { Customer: { Audio: null } },
        Name: null,
        PreviousContactId: contactId,
        Queue: queue,
        References: {},
        SegmentAttributes: {},
        SystemEndpoint: { Address: HOTLINE, Type: 'TELEPHONE_NUMBER' },
      },
      Parameters: call.parameters ?? {},
    },
  };
}

/**
 * An Amazon Connect contact event as EventBridge delivers it to the contact-events Lambda, for the
 * local simulators (inbound calls, the outbound dialer) and the tests.
 */
export function contactEvent(
  eventType: string,
  contactId: string,
  initiationMethod: 'INBOUND' | 'API' | 'OUTBOUND',
  detail: Record<string, unknown> = {},
) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Amazon Connect Contact Event',
    source: 'aws.connect',
    time: new Date().toISOString(),
    account: '000000000000',
    region: 'cn-north-1',
    resources: [LOCAL_INSTANCE_ARN],
    detail: {
      eventType,
      contactId,
      channel: 'VOICE',
      initiationMethod,
      instanceArn: LOCAL_INSTANCE_ARN,
      ...detail,
    },
  };
}
