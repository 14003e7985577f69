import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, type ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

/** A dead-letter queue: encrypted, TLS only, kept two weeks; `of` says whose, for cdk-nag. */
export function deadLetterQueue(scope: Construct, id: string, of: string): Queue {
  const dlq = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(dlq, 'AwsSolutions::AwsSolutions-SQS3', `This queue is itself the dead-letter queue of ${of}.`);
  return dlq;
}

/** An alarm when `metric` reaches `threshold` in one period; no data is no alarm. */
export function alarmAtLeast(
  scope: Construct,
  id: string,
  description: string,
  metric: Metric,
  threshold = 1,
) {
  return new Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/**
 * Invokes `fn` on a schedule (EventBridge Scheduler) through `role`, with the cdk-nag
 * acknowledgement of the grant CDK's LambdaInvoke target makes (the function and its versions).
 */
export function invokeOnSchedule(
  scope: Construct,
  id: string,
  o: {
    fn: IFunction;
    role: IRole;
    schedule: ScheduleExpression;
    description: string;
    retryAttempts: number;
    what: string;
  },
): Schedule {
  const schedule = new Schedule(scope, id, {
    description: o.description,
    schedule: o.schedule,
    target: new LambdaInvoke(o.fn, { retryAttempts: o.retryAttempts, role: o.role }),
  });
  acknowledge(
    o.role,
    `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(scope).getLogicalId(o.fn.node.defaultChild as never)}.Arn>:*]`,
    `Invoke on the ${o.what} function and its versions only (the grant CDK’s LambdaInvoke target makes).`,
  );
  return schedule;
}
