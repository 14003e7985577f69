import { AssetStaging, type CfnElement, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { TableAccess } from '#functions/index.ts';
import { LAMBDA_BUNDLE } from '../bundling.ts';
import { acknowledge } from '../nag.ts';
import { grantEmailSend, grantSmsSend } from './senders.ts';

export interface KeylineFunctionProps {
  /** Path of the handler file, relative to the repository root, e.g. functions/accounts/handler.ts. */
  entry: string;
  description: string;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  /** Reserved concurrency (1 for a job that must never run twice at once). */
  reservedConcurrency?: number;
  logRetention?: RetentionDays;
  prod: boolean;
  /**
   * The SMS and email senders (shared/notify/senders.ts) the function's code builds: it gets what
   * each calls (senders.ts beside this file), and its IAM5 acknowledgement names the actions among
   * them that have no resource to scope to.
   */
  sends?: { sms?: boolean; email?: { sesIdentity: string } };
}

/**
 * Every Keyline Lambda: Node.js 22 on ARM64, ESM bundle with minify, source maps and kept names,
 * an explicit log group with retention, Powertools settings. The caller's environment is merged
 * over the defaults, never dropped.
 */
export class KeylineFunction extends Construct {
  readonly fn: NodejsFunction;
  /** The handler's source file (functions/<name>/handler.ts). */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: KeylineFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? (props.prod ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_MONTH),
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // A role of its own: writes to its own log group and X-Ray, nothing else until a bind*() grants it.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.fn = new NodejsFunction(this, 'Fn', {
      role,
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      ...(props.reservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrency }
        : {}),
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `keyline-${id.toLowerCase()}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Keyline',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourcemap,
        keepNames: LAMBDA_BUNDLE.keepNames,
        mainFields: LAMBDA_BUNDLE.mainFields,
        banner: LAMBDA_BUNDLE.banner,
        // esbuild's size summary marks every bundle over 1 MB; the sizes are held by
        // test/infra/bundles.test.ts instead (under 1.4 MiB, contact-flow Lambdas under 800 KiB).
        logLevel: LogLevel.WARNING,
        esbuildArgs: {
          '--alias': Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => `${from}=${to}`),
        },
        // esbuild resolves the aliases from its working directory: the repository root when it
        // runs locally, and the mounted one when CDK falls back to bundling in Docker.
        workingDirectory: AssetStaging.BUNDLING_INPUT_DIR,
        // Bundle the SDK too: the version we test is the version we run.
        externalModules: [],
      },
    });
    // Which handler this is, for cost allocation and for the infra test that holds its grants
    // to the registry (functions/index.ts).
    Tags.of(this.fn).add('keyline:function', props.entry.split('/')[1] ?? props.entry);
    const unscoped = [
      ...(props.sends?.sms ? grantSmsSend(role) : []),
      ...(props.sends?.email ? grantEmailSend(role, props.sends.email.sesIdentity) : []),
    ];
    acknowledge(
      this,
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      unscoped.length
        ? `X-Ray PutTraceSegments and PutTelemetryRecords, and ${unscoped.join(', ')}, support no resource-level permissions (the SMS opted-out list and the SES suppression list are account-wide); no other action has a wildcard resource.`
        : 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; this is the only wildcard resource.',
    );
    acknowledge(
      this,
      'AwsSolutions::AwsSolutions-L1',
      'Keyline targets nodejs22.x on purpose: the runtime its tests, cold-start budget and benchmarks are measured against.',
    );
  }

  /**
   * Sets TABLE_NAME and grants exactly the function's table actions (functions/index.ts, held to
   * what its paths use by test/integration/iam-*.test.ts), and Query on the table's indexes if it
   * reads one; nothing more.
   */
  bindTable(table: ITableV2, access: TableAccess): this {
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    if (access.table.length)
      this.fn.addToRolePolicy(
        new PolicyStatement({
          actions: access.table.map((a) => `dynamodb:${a}`),
          resources: [table.tableArn],
        }),
      );
    if (access.indexes?.length) {
      this.fn.addToRolePolicy(
        new PolicyStatement({
          actions: access.indexes.map((a) => `dynamodb:${a}`),
          resources: [`${table.tableArn}/index/*`],
        }),
      );
      acknowledge(
        this,
        `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(table.node.defaultChild as CfnElement)}.Arn>/index/*]`,
        `Only ${access.indexes.map((a) => `dynamodb:${a}`).join(', ')} on the Keyline table’s own GSIs (table-arn/index/*), which its access patterns read; no other table, no write.`,
      );
    }
    return this;
  }
}
