import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BACKGROUND_FUNCTIONS } from '#functions/index.ts';
import { acknowledge } from '../nag.ts';
import { KeylineFunction } from './keyline-function.ts';

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
    const dlq = new Queue(this, 'Dlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      dlq,
      'AwsSolutions::AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the contact-events rule target.',
    );
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

    new Alarm(this, 'DeadLetters', {
      alarmDescription: 'Contact events could not be applied',
      metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
