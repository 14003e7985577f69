import { createHash } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';

/** An SQS record as Lambda receives it from an event source mapping. */
export function sqsRecord(messageId: string, body: string) {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:cn-north-1:123456789012:keyline-queue',
    awsRegion: 'cn-north-1',
  };
}

/** A DynamoDB stream record of a new item (NEW_IMAGE view), as Lambda receives it. */
export function streamInsert(item: Record<string, unknown>, sequenceNumber = '1') {
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'cn-north-1',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: marshall({ pk: item.pk, sk: item.sk }),
      NewImage: marshall(item, { removeUndefinedValues: true }),
      SequenceNumber: sequenceNumber,
      SizeBytes: 512,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws:dynamodb:cn-north-1:123456789012:table/keyline/stream/2026-11-27T00:00:00.000',
  };
}
