import { Stack } from 'aws-cdk-lib';
import { CfnIntegrationAssociation } from 'aws-cdk-lib/aws-connect';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface ConnectWiringProps {
  instanceArn: string;
  functions: Record<string, IFunction>;
}

/**
 * Lets one Amazon Connect instance, and nothing else, invoke Keyline's contact-flow Lambdas, and
 * associates them with the instance so they appear in the flow designer.
 */
export class ConnectWiring extends Construct {
  constructor(scope: Construct, id: string, props: ConnectWiringProps) {
    super(scope, id);
    for (const [name, fn] of Object.entries(props.functions)) {
      fn.addPermission(`${name}ConnectInvoke`, {
        principal: new ServicePrincipal('connect.amazonaws.com'),
        sourceArn: props.instanceArn,
        sourceAccount: Stack.of(this).account,
      });
      new CfnIntegrationAssociation(this, `${name}Association`, {
        instanceId: props.instanceArn,
        integrationType: 'LAMBDA_FUNCTION',
        integrationArn: fn.functionArn,
      });
    }
  }
}
