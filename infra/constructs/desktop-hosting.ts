import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  Distribution,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export interface DesktopHostingProps {
  prod: boolean;
}

/**
 * The agent desktop: a private S3 bucket behind CloudFront with origin access control. The
 * desktop's config.json (API URL, sign-in, CCP) is written at deploy time by `deploy()`.
 */
export class DesktopHosting extends Construct {
  readonly distribution: Distribution;
  readonly url: string;
  private readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: DesktopHostingProps) {
    super(scope, id);
    const removal = props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes through ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.prod ? 365 : 30) }],
      removalPolicy: removal,
      autoDeleteObjects: !props.prod,
    });
    acknowledge(
      logs,
      'AwsSolutions::AwsSolutions-S1',
      'This is the access-log bucket itself; logging it into itself would loop.',
    );
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: removal,
      autoDeleteObjects: !props.prod,
    });
    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'Keyline agent desktop',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    acknowledge(
      this.distribution,
      'AwsSolutions::AwsSolutions-CFR1',
      'Agents work from several countries; access is controlled by Cognito sign-in, not geography.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions::AwsSolutions-CFR2',
      'Static files only; every API call is authenticated by the Cognito JWT authorizer. Attach a WAF web ACL per deployment if required.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions::AwsSolutions-CFR4',
      'The default CloudFront certificate cannot pin TLS 1.2; use a custom domain certificate to enforce it.',
    );
  }

  /** Uploads web/ and the CCP library, with the deploy-time config.json. */
  deploy(config: Record<string, unknown>) {
    const site = new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      distribution: this.distribution,
      sources: [Source.asset(repo('web')), Source.jsonData('config.json', config)],
      prune: false,
      memoryLimit: 256,
    });
    const vendor = new BucketDeployment(this, 'DeployCcpLibrary', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'vendor/',
      sources: [
        Source.asset(repo('node_modules/amazon-connect-streams/release'), {
          exclude: ['*', '!connect-streams-min.js'],
        }),
        // Apache ECharts for the cockpit's charts, the ES module the desktop imports.
        Source.asset(repo('node_modules/echarts/dist'), { exclude: ['*', '!echarts.esm.min.js'] }),
      ],
      prune: false,
      memoryLimit: 256,
    });
    this.acknowledgeDeploymentHandler(site, vendor);
  }

  /**
   * BucketDeployment runs a CDK-managed singleton Lambda at the stack root. cdk-nag findings are
   * acknowledged one by one, named exactly as cdk-nag renders them for this stack.
   */
  private acknowledgeDeploymentHandler(...deployments: BucketDeployment[]) {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler || deployments.length === 0) return;
    const lit = (v: string, token: string) => (Token.isUnresolved(v) ? token : v);
    const assets = `arn:${lit(stack.partition, '<AWS::Partition>')}:s3:::cdk-hnb659fds-assets-${lit(stack.account, '<AWS::AccountId>')}-${lit(stack.region, '<AWS::Region>')}/*`;
    const site = stack.getLogicalId(this.bucket.node.defaultChild as CfnElement);
    const reasons: [string, string][] = [
      [
        'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'CDK’s BucketDeployment handler writes only its own logs with the basic execution role.',
      ],
      [
        'IAM5[Resource::*]',
        'CDK’s BucketDeployment handler: X-Ray and CloudFront invalidation actions support no resource scoping.',
      ],
      ['IAM5[Action::s3:GetBucket*]', 'CDK’s BucketDeployment grant: reads the asset and site buckets only.'],
      ['IAM5[Action::s3:GetObject*]', 'CDK’s BucketDeployment grant: reads the asset and site buckets only.'],
      ['IAM5[Action::s3:List*]', 'CDK’s BucketDeployment grant: lists the asset and site buckets only.'],
      ['IAM5[Action::s3:Abort*]', 'CDK’s BucketDeployment grant: writes the site bucket only.'],
      ['IAM5[Action::s3:DeleteObject*]', 'CDK’s BucketDeployment grant: writes the site bucket only.'],
      [
        `IAM5[Resource::${assets}]`,
        'CDK’s BucketDeployment reads the desktop files from the CDK asset bucket of this account and region.',
      ],
      [
        `IAM5[Resource::<${site}.Arn>/*]`,
        'CDK’s BucketDeployment writes the desktop files into the site bucket.',
      ],
      ['L1', 'The runtime of CDK’s BucketDeployment handler is chosen by aws-cdk-lib.'],
    ];
    for (const [id, reason] of reasons) acknowledge(handler, `AwsSolutions::AwsSolutions-${id}`, reason);
  }
}
