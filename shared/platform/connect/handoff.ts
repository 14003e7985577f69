import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * The IVR's promise when a write does not finish inside the contact flow's time: the request is
 * handed to a queue, a worker finishes it (idempotently: it may have landed after all) and
 * confirms it to the caller by SMS. The caller hears exactly that. See README, "IVR timing".
 */
export interface Handoff<K extends string = string, R = unknown> {
  kind: K;
  /** The Connect ContactId: the request's idempotency key and the confirmation's. */
  connectContactId: string;
  request: R;
}

/** The port. AWS: an SQS queue with a dead-letter queue. Local: a worker called in process. */
export interface HandoffQueue {
  send(h: Handoff, signal: AbortSignal): Promise<void>;
}

export class SqsHandoffQueue implements HandoffQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(h: Handoff, signal: AbortSignal): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(h) }), {
      abortSignal: signal,
    });
  }
}
