import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type CfnStage, CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDef } from '#shared/platform/http/route.ts';
import { ROLE_GROUPS, ROLES } from '#shared/platform/roles.ts';

export interface AgentApiProps {
  prod: boolean;
  /** Origins allowed to call the API from a browser (the agent desktop). */
  allowedOrigins: string[];
  /** The hosted desktop's URL: the sign-in callback of the hosted UI. */
  desktopUrl: string;
  /** More sign-in return URLs (the local desktop in dev). */
  signInUrls: string[];
}

/**
 * The HTTP API (API Gateway v2). Every route requires a JWT from the agents' Cognito user pool;
 * there is no anonymous route. Access logs go to their own log group.
 */
export class AgentApi extends Construct {
  readonly api: HttpApi;
  readonly userPool: UserPool;
  private readonly authorizer: HttpUserPoolAuthorizer;
  /** What the desktop needs to sign agents in through the hosted UI (PKCE). */
  readonly auth: { domain: string; clientId: string };

  constructor(scope: Construct, id: string, props: AgentApiProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Agents', {
      selfSignUpEnabled: false,
      signInAliases: { email: true, username: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // One group per role; the ID token carries them in `cognito:groups`, and the API reads the role
    // from there (shared/platform/roles.ts). A user in no group is an agent.
    const ROLE_DESCRIPTIONS = {
      agent: 'Agents (坐席): calls, complaints, callbacks; no account economics',
      'team-lead': 'Team leads (组长): also campaigns and service analytics; no account economics',
      'account-manager':
        'Key-account managers (大客户经理): also economics, reviews, credit and the portfolio',
    } as const;
    ROLES.forEach((role, i) => {
      this.userPool.addGroup(`Group-${role}`, {
        groupName: ROLE_GROUPS[role],
        description: ROLE_DESCRIPTIONS[role],
        // The lowest precedence value wins the IAM role mapping; managers first.
        precedence: ROLES.length - i,
      });
    });
    const domain = this.userPool.addDomain('SignIn', {
      cognitoDomain: {
        domainPrefix: `keyline-${props.prod ? 'prod' : 'dev'}-${this.node.addr.slice(0, 10)}`,
      },
    });
    const client = this.userPool.addClient('AgentDesktop', {
      authFlows: { userSrp: true },
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.desktopUrl}/`, ...props.signInUrls],
        logoutUrls: [`${props.desktopUrl}/`, ...props.signInUrls],
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.auth = { domain: domain.baseUrl(), clientId: client.userPoolClientId };
    this.authorizer = new HttpUserPoolAuthorizer('AgentJwt', this.userPool, { userPoolClients: [client] });

    this.api = new HttpApi(this, 'Api', {
      description: 'Keyline agent API',
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.PATCH,
          CorsHttpMethod.DELETE,
        ],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
      defaultAuthorizer: this.authorizer,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.prod ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
        agent: '$context.authorizer.claims.sub',
        ip: '$context.identity.sourceIp',
      }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };

    new CfnOutput(Stack.of(this), 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(Stack.of(this), 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(Stack.of(this), 'ApiUrl', { value: this.api.apiEndpoint });
  }

  /** Adds an authenticated route per definition, all integrated with one function. */
  addRoutes(routes: readonly RouteDef[], fn: IFunction, name: string) {
    const integration = new HttpLambdaIntegration(`${name}Integration`, fn);
    for (const r of routes) {
      this.api.addRoutes({
        path: r.path,
        methods: [HttpMethod[r.method]],
        integration,
        authorizer: this.authorizer,
      });
    }
  }
}
