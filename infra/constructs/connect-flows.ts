import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import { CfnContactFlow } from 'aws-cdk-lib/aws-connect';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { FlowDocument } from '../connect/flow.ts';
import { customerQueue, inboundHotline, outboundCampaign, outboundWhisper } from '../connect/flows.ts';
import { acknowledge } from '../nag.ts';

export interface ConnectFlowsProps {
  instanceArn: string;
  /** The contact-flow Lambdas by name (ScreenPop, IvrTracking, IvrComplaint, IvrCallback). */
  functions: Record<string, IFunction>;
  /** The queue the hotline falls back to when the lookup fails. */
  defaultQueueArn: string;
  /** A number claimed to the instance (its ARN): it rings the inbound hotline. */
  phoneNumberArn?: string;
}

/**
 * Keyline's contact flows on the instance, from code (infra/connect/flows.ts) with the Lambda and
 * queue ARNs resolved at deploy: the inbound hotline, its customer queue flow (callback offer), the
 * outbound campaign flow and the agent's whisper.
 */
export class ConnectFlows extends Construct {
  readonly inbound: CfnContactFlow;
  readonly outbound: CfnContactFlow;

  constructor(scope: Construct, id: string, props: ConnectFlowsProps) {
    super(scope, id);
    const fn = (name: string) => {
      const f = props.functions[name];
      if (!f) throw new Error(`no contact-flow Lambda ${name}`);
      return f.functionArn;
    };
    const make = (name: string, type: string, description: string, doc: FlowDocument) =>
      new CfnContactFlow(this, name, {
        instanceArn: props.instanceArn,
        name: `Keyline ${name}`,
        type,
        description,
        content: Stack.of(this).toJsonString(doc),
      });
    const refs = {
      screenPop: fn('ScreenPop'),
      ivrTracking: fn('IvrTracking'),
      ivrComplaint: fn('IvrComplaint'),
      ivrCallback: fn('IvrCallback'),
      defaultQueue: props.defaultQueueArn,
    };
    const queue = make(
      'CustomerQueue',
      'CUSTOMER_QUEUE',
      'Hold, then offer a Keyline callback',
      customerQueue(refs),
    );
    this.inbound = make(
      'InboundHotline',
      'CONTACT_FLOW',
      'Screen pop, routing by tier and team, bilingual self-service menu',
      inboundHotline({ ...refs, queueFlow: queue.attrContactFlowArn }),
    );
    const whisper = make(
      'OutboundWhisper',
      'AGENT_WHISPER',
      'Tells the agent who is called and why',
      outboundWhisper(),
    );
    this.outbound = make(
      'OutboundCampaign',
      'CONTACT_FLOW',
      'Keyline outbound calls: the whisper, then the queue',
      outboundCampaign(whisper.attrContactFlowArn),
    );
    new CfnOutput(Stack.of(this), 'InboundFlowArn', { value: this.inbound.attrContactFlowArn });
    if (props.phoneNumberArn) this.ringHotline(props.instanceArn, props.phoneNumberArn);
    new CfnOutput(Stack.of(this), 'OutboundFlowArn', { value: this.outbound.attrContactFlowArn });
  }

  /**
   * CloudFormation cannot point a number at a flow; a custom resource calls Connect's
   * AssociatePhoneNumberContactFlow (and Disassociate… on delete), allowed on this number only.
   */
  private ringHotline(instanceArn: string, phoneNumberArn: string) {
    const id = (arn: string) => Fn.select(1, Fn.split('/', arn));
    const call = (action: string, extra: Record<string, unknown> = {}) => ({
      service: 'Connect',
      action,
      parameters: { PhoneNumberId: phoneNumberArn, InstanceId: id(instanceArn), ...extra },
      physicalResourceId: PhysicalResourceId.of(`hotline-${phoneNumberArn}`),
    });
    const flowId = Fn.select(3, Fn.split('/', this.inbound.attrContactFlowArn));
    new AwsCustomResource(this, 'HotlineNumber', {
      onCreate: call('AssociatePhoneNumberContactFlow', { ContactFlowId: flowId }),
      onUpdate: call('AssociatePhoneNumberContactFlow', { ContactFlowId: flowId }),
      onDelete: call('DisassociatePhoneNumberContactFlow'),
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['connect:AssociatePhoneNumberContactFlow', 'connect:DisassociatePhoneNumberContactFlow'],
          resources: [phoneNumberArn, this.inbound.attrContactFlowArn],
        }),
      ]),
      installLatestAwsSdk: false,
    });
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) =>
      c.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'),
    );
    for (const [rule, reason] of [
      [
        'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'CDK’s AwsCustomResource handler writes only its own logs with the basic execution role.',
      ],
      ['L1', 'The runtime of CDK’s AwsCustomResource handler is chosen by aws-cdk-lib.'],
    ] as const)
      if (handler) acknowledge(handler, `AwsSolutions::AwsSolutions-${rule}`, reason);
  }
}
