import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { BACKGROUND_FUNCTIONS } from '#functions/index.ts';
import { KeylineFunction } from './keyline-function.ts';
import { alarmAtLeast, deadLetterQueue } from './ops.ts';

export interface ContactEventsProps {
  table: ITableV2;
  prod: boolean;
  instanceArn: string;
}

/**
 * The Connect instance's contact events (EventBridge) → the caller journal (inbound calls) and the
 * outbound callbacks' outcomes: one consumer, retried by EventBridge, with a dead-letter queue and
 * an alarm on it. Present whenever a Connect instance is, with or without outbound dialing.
 */
export class ContactEvents extends Construct {
  constructor(scope: Construct, id: string, props: ContactEventsProps) {
    super(scope, id);
    const events = new KeylineFunction(this, 'Consumer', {
      entry: BACKGROUND_FUNCTIONS['contact-events'].entry,
      description: 'Amazon Connect contact events → caller journal, callback outcomes and retries',
      prod: props.prod,
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['contact-events'].access);
    const dlq = deadLetterQueue(this, 'Dlq', 'the contact-events rule target');
    new Rule(this, 'Rule', {
      description: 'Amazon Connect contact events of the Keyline instance',
      eventPattern: {
        source: ['aws.connect'],
        detailType: ['Amazon Connect Contact Event'],
        resources: [props.instanceArn],
      },
      targets: [
        new LambdaFunction(events.fn, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: dlq,
        }),
      ],
    });

    alarmAtLeast(
      this,
      'DeadLetters',
      'Contact events could not be applied',
      dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    );
  }
}
