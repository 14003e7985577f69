import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnInstance } from 'aws-cdk-lib/aws-connect';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { CONNECT_FUNCTIONS, HTTP_FUNCTIONS } from '#functions/index.ts';
import { TEAMS, teamNames } from '#shared/accounts/teams.ts';
import { KeyAccountAnalytics } from './constructs/analytics.ts';
import { ComplaintEscalation } from './constructs/complaint-escalation.ts';
import { ConnectFlows } from './constructs/connect-flows.ts';
import { ConnectRouting } from './constructs/connect-routing.ts';
import { ConnectWiring } from './constructs/connect-wiring.ts';
import { ContactEvents } from './constructs/contact-events.ts';
import { DataTable } from './constructs/data-table.ts';
import { DelayAlerts } from './constructs/delay-alerts.ts';
import { DesktopHosting } from './constructs/desktop-hosting.ts';
import { AgentApi } from './constructs/http-api.ts';
import { IvrHandoff } from './constructs/ivr-handoff.ts';
import { KeylineFunction } from './constructs/keyline-function.ts';
import { OpsAlerts } from './constructs/ops.ts';
import { OutboundDialing } from './constructs/outbound-dialing.ts';
import { applySlaCalendar, parseSlaCalendar } from './constructs/sla-calendar.ts';

export interface KeylineStackProps extends StackProps {
  stage: 'dev' | 'prod';
  /** Extra browser origins allowed to call the API (the hosted desktop is always allowed). */
  allowedOrigins: string[];
  /** Amazon Connect instance ARN; the Connect-facing parts are wired only when it is given. */
  connectInstanceArn?: string;
  /** A sandbox: the stack creates its own Connect instance (dev only) and wires everything to it. */
  createInstance?: boolean;
  /** The CCP URL of the instance (https://<alias>.my.connect.aws/ccp-v2/), for the desktop. */
  ccpUrl?: string;
  /** Queue for callers Keyline does not know. */
  defaultQueue?: string;
  /**
   * Queue name → queue ARN, added to (or overriding) the queues the stack makes from the teams
   * registry, so contact flows can "Set working queue" dynamically by ARN.
   */
  queueArns?: Record<string, string>;
  /** SES identity and sender address of delay alerts; SNS SMS sender id where countries allow one. */
  sesIdentity?: string;
  sesFrom?: string;
  smsSenderId?: string;
  /** Where alert digests link to (default: the hosted desktop); `{accountId}` is replaced. */
  alertLinkBase?: string;
  /** A phone number claimed to the instance (its ARN): the stack points it at the inbound hotline. */
  phoneNumberArn?: string;
  /** Where agents open the desktop, if not the hosting's own CloudFront URL (a custom domain). */
  desktopUrl?: string;
  /**
   * More URLs the sign-in may return to (Cognito callback and logout URLs). Dev adds the local
   * desktop (http://127.0.0.1:4310/) unless set; prod takes https URLs only, never a loopback one.
   */
  signInUrls?: string[];
  /**
   * Holidays and extra working days for the SLA business clock, by time zone (JSON, see
   * constructs/sla-calendar.ts): a year the built-in China calendar does not know yet, or
   * another country's.
   */
  slaCalendar?: string;
  /**
   * Outbound campaigns: the contact flow outbound calls run (the stack's own outbound flow unless
   * given), and the queue (the default queue unless given) or caller id.
   */
  outbound?: {
    contactFlowId?: string;
    queueId?: string;
    sourcePhoneNumber?: string;
    quotaPerSecond?: number;
  };
}

/** A context value missing or wrong: the synth says which, without a stack trace (app.ts). */
export class ConfigError extends Error {}

/** The local desktop (npm start), a sign-in return URL in dev only. */
export const LOCAL_DESKTOP = 'http://127.0.0.1:4310/';

const placeholder = (v: string) => /(^|[.@])example\.(com|org|net)$|^example\./i.test(v);
const loopbackOrPlain = (u: string) =>
  !u.startsWith('https://') || /^https:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/i.test(u);

/**
 * A prod stack only with what prod needs: a real SES identity and sender inside it, and no
 * loopback or plain-http URL to sign in to or call the API from. Fails the synth with every
 * missing piece named.
 */
export function assertProdReady(props: KeylineStackProps): void {
  const problems: string[] = [];
  if (!props.sesIdentity || placeholder(props.sesIdentity))
    problems.push('-c sesIdentity=<your verified SES domain or address> (alerts are sent from it)');
  if (!props.sesFrom || placeholder(props.sesFrom))
    problems.push('-c sesFrom=<sender address> (an address of the SES identity)');
  else if (
    props.sesIdentity &&
    props.sesFrom !== props.sesIdentity &&
    !props.sesFrom.toLowerCase().endsWith(`@${props.sesIdentity.toLowerCase()}`)
  )
    problems.push(`-c sesFrom=${props.sesFrom} is not an address of the SES identity ${props.sesIdentity}`);
  for (const u of [...(props.signInUrls ?? []), ...(props.desktopUrl ? [props.desktopUrl] : [])])
    if (loopbackOrPlain(u)) problems.push(`${u}: prod signs in over https to a real host only`);
  for (const o of props.allowedOrigins)
    if (loopbackOrPlain(o)) problems.push(`-c allowedOrigins: ${o} is loopback or plain http`);
  if (problems.length) throw new ConfigError(`A prod stack needs:\n  - ${problems.join('\n  - ')}`);
}

/** Keyline in one stack: one construct per capability, sharing the table and the function defaults. */
export class KeylineStack extends Stack {
  constructor(scope: Construct, id: string, props: KeylineStackProps) {
    super(scope, id, props);
    const prod = props.stage === 'prod';
    if (prod) assertProdReady(props);
    if (prod && props.createInstance)
      throw new ConfigError('createInstance is for a dev sandbox; a prod stack takes -c connectInstanceArn');
    // Connect places no outbound call without a caller id: the stack's queues get the hotline's
    // number as theirs (-c phoneNumberArn), or the dialer is given a number or a queue of its own.
    if (
      props.outbound &&
      !props.outbound.queueId &&
      !props.outbound.sourcePhoneNumber &&
      !props.phoneNumberArn
    )
      throw new ConfigError(
        'Outbound dialing needs a caller id: -c phoneNumberArn=<the hotline number claimed to the instance> (the queues show it), or -c outboundSourcePhoneNumber=<E.164 number of the instance>, or -c outboundQueueId=<a queue with an outbound caller id>',
      );
    // The instance: given, or (a sandbox) created here with inbound and outbound calling on.
    const sandbox = props.createInstance
      ? new CfnInstance(this, 'ConnectInstance', {
          identityManagementType: 'CONNECT_MANAGED',
          instanceAlias: `keyline-sandbox-${this.node.addr.slice(0, 8)}`,
          attributes: { inboundCalls: true, outboundCalls: true, contactflowLogs: true },
        })
      : undefined;
    const instanceArn = sandbox?.attrArn ?? props.connectInstanceArn;
    const ccpUrl =
      props.ccpUrl ?? (sandbox ? `https://${sandbox.instanceAlias}.my.connect.aws/ccp-v2/` : undefined);
    // Every alarm below notifies the operators' topic (output OpsTopicArn).
    new OpsAlerts(this, { prod });
    const { table } = new DataTable(this, 'Data', { prod });
    const hosting = new DesktopHosting(this, 'Desktop', { prod });
    const desktop = { url: props.desktopUrl?.replace(/\/+$/, '') ?? hosting.url };
    const api = new AgentApi(this, 'AgentApi', {
      prod,
      allowedOrigins: [...new Set([hosting.url, desktop.url, ...props.allowedOrigins])],
      desktopUrl: desktop.url,
      signInUrls: props.signInUrls ?? (prod ? [] : [LOCAL_DESKTOP]),
    });

    for (const f of HTTP_FUNCTIONS) {
      const fn = new KeylineFunction(this, pascal(f.name), {
        entry: f.entry,
        description: `Keyline HTTP API: ${f.name}`,
        prod,
      }).bindTable(table, f.access);
      api.addRoutes(f.routes, fn.fn, pascal(f.name));
    }

    // Contact-flow Lambdas: lean, more memory for a faster cold start, a timeout under the
    // flow's 8 s ceiling. Each reads its own time budget from LOOKUP_BUDGET_MS.
    const handoff = new IvrHandoff(this, 'IvrHandoff', {
      table,
      prod,
      ...(props.smsSenderId ? { smsSenderId: props.smsSenderId } : {}),
    });
    // With an instance, its queues, hours and routing profiles come from the teams registry, and
    // the screen pop answers their ARNs (-c queueArns only adds to or overrides them).
    const routing = instanceArn
      ? new ConnectRouting(this, 'ConnectRouting', {
          instanceArn,
          teams: TEAMS,
          defaultQueue: props.defaultQueue ?? 'general-service',
          ...(props.phoneNumberArn ? { outboundCallerIdNumberArn: props.phoneNumberArn } : {}),
        })
      : undefined;
    const queueArns = { ...routing?.queueArns, ...props.queueArns };
    const connectFns: Record<string, IFunction> = {};
    for (const f of CONNECT_FUNCTIONS) {
      const writes = 'handoff' in f && f.handoff;
      connectFns[pascal(f.name)] = new KeylineFunction(this, pascal(f.name), {
        entry: f.entry,
        description: f.description,
        prod,
        memorySize: 1024,
        timeout: Duration.seconds(5),
        environment: {
          LOOKUP_BUDGET_MS: '1500',
          // Two attempts at most: the time budget, not the SDK's retry policy, bounds the caller's wait.
          AWS_MAX_ATTEMPTS: '2',
          DEFAULT_QUEUE: props.defaultQueue ?? 'general-service',
          QUEUE_ARNS: this.toJsonString(queueArns),
          DESKTOP_URL: `${desktop.url}/`,
          // The IVR writes: finding the caller, the write, the hand-off; all inside the flow's 3 s.
          ...(writes
            ? {
                IVR_LOOKUP_BUDGET_MS: '900',
                IVR_WRITE_BUDGET_MS: '1100',
                IVR_HANDOFF_BUDGET_MS: '500',
                IVR_HANDOFF_QUEUE_URL: handoff.queue.queueUrl,
              }
            : {}),
        },
      }).bindTable(table, f.access).fn;
      if (writes) handoff.allowSend(connectFns[pascal(f.name)] as IFunction);
    }
    for (const [name, fn] of Object.entries(connectFns)) {
      new CfnOutput(this, `${name}FunctionArn`, { value: fn.functionArn });
    }
    if (instanceArn) {
      new ConnectWiring(this, 'Connect', { instanceArn, functions: connectFns });
      const flows = new ConnectFlows(this, 'ConnectFlows', {
        instanceArn,
        functions: connectFns,
        defaultQueueArn: queueArns[props.defaultQueue ?? 'general-service'] ?? '',
        ...(props.phoneNumberArn ? { phoneNumberArn: props.phoneNumberArn } : {}),
      });
      new ContactEvents(this, 'ContactEvents', { table, prod, instanceArn });
      if (props.outbound) {
        // A flow or queue ARN ends …/contact-flow/<id> or …/queue/<id>: StartOutboundVoiceContact takes the id.
        const idOf = (arn: string) => Fn.select(3, Fn.split('/', arn));
        const defaultQueueArn = queueArns[props.defaultQueue ?? 'general-service'];
        const queueId =
          props.outbound.queueId ??
          (props.outbound.sourcePhoneNumber || !defaultQueueArn ? undefined : idOf(defaultQueueArn));
        new OutboundDialing(this, 'Outbound', {
          table,
          prod,
          instanceArn,
          contactFlowId: props.outbound.contactFlowId ?? idOf(flows.outbound.attrContactFlowArn),
          ...(queueId ? { queueId } : {}),
          ...(props.outbound.sourcePhoneNumber
            ? { sourcePhoneNumber: props.outbound.sourcePhoneNumber }
            : {}),
          quotaPerSecond: props.outbound.quotaPerSecond ?? 2,
        });
      }
    }

    const delays = new DelayAlerts(this, 'Delays', {
      table,
      prod,
      // Dev may send from a placeholder (SES refuses it: alerts fail visibly, nothing leaks);
      // prod cannot synthesize without a real identity (assertProdReady).
      sesFrom: props.sesFrom ?? 'alerts@example.com',
      sesIdentity: props.sesIdentity ?? 'example.com',
      ...(props.smsSenderId ? { smsSenderId: props.smsSenderId } : {}),
      alertLinkBase: props.alertLinkBase ?? `${desktop.url}/`,
    });

    new CfnOutput(this, 'DelayTopicArn', { value: delays.topic.topicArn });
    new CfnOutput(this, 'TrackingFeedQueueUrl', { value: delays.trackingFeed.queueUrl });

    const escalation = new ComplaintEscalation(this, 'Escalation', { table, prod, environment: {} });
    new KeyAccountAnalytics(this, 'Analytics', {
      table,
      prod,
      userPool: api.userPool,
      sesFrom: props.sesFrom ?? 'alerts@example.com',
      sesIdentity: props.sesIdentity ?? 'example.com',
      cockpitUrl: `${desktop.url}/#cockpit`,
    });
    new CfnOutput(this, 'EscalationTopicArn', { value: escalation.topic.topicArn });

    if (props.slaCalendar !== undefined) {
      const calendar = parseSlaCalendar(props.slaCalendar);
      if ('problem' in calendar) throw new ConfigError(calendar.problem);
      applySlaCalendar(this, calendar.json);
    }

    hosting.deploy({
      mode: instanceArn ? 'connect' : 'hosted',
      apiBase: api.api.apiEndpoint,
      auth: api.auth,
      ...(ccpUrl ? { ccpUrl } : {}),
      callers: [],
      teams: teamNames(),
    });
    new CfnOutput(this, 'DesktopUrl', { value: desktop.url });
  }
}

const pascal = (s: string) => s.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
