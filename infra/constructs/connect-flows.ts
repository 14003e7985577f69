import { CfnOutput, Stack } from 'aws-cdk-lib';
import { CfnContactFlow } from 'aws-cdk-lib/aws-connect';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { FlowDocument } from '../connect/flow.ts';
import { customerQueue, inboundHotline, outboundCampaign, outboundWhisper } from '../connect/flows.ts';

export interface ConnectFlowsProps {
  instanceArn: string;
  /** The contact-flow Lambdas by name (ScreenPop, IvrTracking, IvrComplaint, IvrCallback). */
  functions: Record<string, IFunction>;
  /** The queue the hotline falls back to when the lookup fails. */
  defaultQueueArn: string;
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
    new CfnOutput(this, 'InboundFlowArn', { value: this.inbound.attrContactFlowArn });
    new CfnOutput(this, 'OutboundFlowArn', { value: this.outbound.attrContactFlowArn });
  }
}
