import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HANDOFF_WORKER } from '#functions/index.ts';
import { KeylineFunction } from './keyline-function.ts';
import { alarmAtLeast, deadLetterQueue } from './ops.ts';

export interface IvrHandoffProps {
  table: ITableV2;
  prod: boolean;
  smsSenderId?: string;
}

/**
 * The IVR's hand-off: when a complaint or callback write does not finish inside the contact
 * flow's time, the IVR Lambda sends it here; the worker finishes it (idempotently) and confirms
 * it to the caller by SMS. Failures are retried, then dead-lettered, with an alarm.
 */
export class IvrHandoff extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: IvrHandoffProps) {
    super(scope, id);
    const dlq = deadLetterQueue(this, 'Dlq', 'the IVR hand-off queue');
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(60),
      deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
    });
    const worker = new KeylineFunction(this, 'Worker', {
      entry: 'functions/ivr-handoff/handler.ts',
      description: 'Finishes IVR writes the call could not confirm in time, and confirms them by SMS',
      prod: props.prod,
      timeout: Duration.seconds(30),
      environment: props.smsSenderId ? { SMS_SENDER_ID: props.smsSenderId } : {},
      sends: { sms: true },
    }).bindTable(props.table, HANDOFF_WORKER.access);
    worker.fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 5, reportBatchItemFailures: true }));
    alarmAtLeast(
      this,
      'DeadLetters',
      'IVR requests that could not be finished after their retries: call the callers back',
      dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    );
  }

  /** Lets an IVR Lambda hand off to the queue. */
  allowSend(fn: IFunction): void {
    this.queue.grantSendMessages(fn);
  }
}
