import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { BACKGROUND_FUNCTIONS } from '#functions/index.ts';
import { FACT_ENTITIES } from '#shared/analytics/facts.ts';
import { ENTITY } from '#shared/platform/dynamo/keys.ts';
import { KeylineFunction } from './keyline-function.ts';
import { alarmAtLeast, deadLetterQueue, invokeOnSchedule } from './ops.ts';

export interface KeyAccountAnalyticsProps {
  table: TableV2;
  prod: boolean;
  /** The managers of the weekly digest: the users of this pool's account-managers group. */
  userPool: IUserPool;
  sesFrom: string;
  sesIdentity: string;
  /** The cockpit's address, the digest's link. */
  cockpitUrl: string;
}

/**
 * The key-account cockpit's data in AWS: the weekly aggregates kept from the table's stream
 * (filtered to the entities that carry facts; a record that keeps failing goes to a dead-letter
 * queue an alarm watches), and the churn scorer every morning, which also books the retention
 * calls of the accounts at high risk.
 */
export class KeyAccountAnalytics extends Construct {
  constructor(scope: Construct, id: string, props: KeyAccountAnalyticsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const dlq = deadLetterQueue(this, 'AggregatesDlq', 'the aggregates stream');

    const aggregates = new KeylineFunction(this, 'Aggregates', {
      entry: BACKGROUND_FUNCTIONS.analytics.entry,
      description:
        'Table stream → weekly aggregates per account (each fact once); rescores churn of touched accounts',
      prod: props.prod,
      timeout: Duration.seconds(60),
    }).bindTable(props.table, BACKGROUND_FUNCTIONS.analytics.access);
    aggregates.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        bisectBatchOnError: true,
        retryAttempts: 5,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(dlq),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { NewImage: { [ENTITY]: { S: FilterRule.or(...FACT_ENTITIES) } } },
          }),
        ],
      }),
    );

    const scorer = new KeylineFunction(this, 'ChurnScorer', {
      entry: BACKGROUND_FUNCTIONS['churn-scorer'].entry,
      description: 'Scores every account’s churn risk and books retention calls for high risk (daily)',
      prod: props.prod,
      timeout: Duration.minutes(5),
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['churn-scorer'].access);
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    invokeOnSchedule(this, 'ChurnDaily', {
      fn: scorer.fn,
      role: schedulerRole,
      description: 'Keyline churn scoring',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '6', timeZone: TimeZone.ASIA_SHANGHAI }),
      retryAttempts: 2,
      what: 'churn scorer',
      errors: {
        id: 'ChurnScorerErrors',
        description: 'The daily churn scoring failed',
        period: Duration.hours(1),
      },
    });

    // Monday 08:00 in Shanghai: each key-account manager's weekly digest.
    const digest = new KeylineFunction(this, 'WeeklyDigest', {
      entry: BACKGROUND_FUNCTIONS['weekly-digest'].entry,
      description:
        'Each key-account manager’s weekly digest: new at-risk accounts, moves, SLA breaches (Mondays)',
      prod: props.prod,
      timeout: Duration.minutes(5),
      environment: {
        SES_FROM: props.sesFrom,
        USER_POOL_ID: props.userPool.userPoolId,
        COCKPIT_URL: props.cockpitUrl,
      },
      sends: { email: { sesIdentity: props.sesIdentity } },
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['weekly-digest'].access);
    digest.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['cognito-idp:ListUsersInGroup'],
        resources: [props.userPool.userPoolArn],
      }),
    );
    invokeOnSchedule(this, 'DigestWeekly', {
      fn: digest.fn,
      role: schedulerRole,
      description: 'Keyline weekly digest to key-account managers',
      schedule: ScheduleExpression.cron({
        minute: '0',
        hour: '8',
        weekDay: 'MON',
        timeZone: TimeZone.ASIA_SHANGHAI,
      }),
      retryAttempts: 2,
      what: 'weekly digest',
      errors: {
        id: 'DigestErrors',
        description: 'Weekly digests could not be sent after the schedule’s retries',
        period: Duration.hours(1),
      },
    });

    const alarm = (name: string, description: string, metric: Metric) =>
      alarmAtLeast(this, name, description, metric);
    alarm(
      'AggregatesDeadLetters',
      'Stream records the aggregates could not count reached the dead-letter queue',
      dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    );
  }
}
