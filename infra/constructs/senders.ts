import { Stack } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * The grants of the senders in shared/notify/senders.ts, by kind: a function that builds a sender
 * gets every action that sender calls, from here and nowhere else, so it cannot get one without
 * the other (test/infra/stack.test.ts reads the senders' code and holds each function to it).
 * Each returns the actions it granted on every resource, for the function's IAM5 acknowledgement.
 */

/**
 * SnsSmsSender: CheckIfPhoneNumberIsOptedOut (account-wide, no resource), then Publish to the
 * phone number. sns:Publish does take resource ARNs (topics, platform endpoints); a direct SMS has
 * none, so Publish is allowed on everything but an SNS ARN: phone numbers only, no topic.
 */
export function grantSmsSend(role: IRole): string[] {
  const stack = Stack.of(role);
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sns:Publish'], notResources: [`arn:${stack.partition}:sns:*:*:*`] }),
  );
  const unscoped = ['sns:CheckIfPhoneNumberIsOptedOut'];
  role.addToPrincipalPolicy(new PolicyStatement({ actions: unscoped, resources: ['*'] }));
  return unscoped;
}

/** SesEmailSender: GetSuppressedDestination, then SendEmail from the one verified identity. */
export function grantEmailSend(role: IRole, sesIdentity: string): string[] {
  const stack = Stack.of(role);
  const unscoped = ['ses:GetSuppressedDestination'];
  role.addToPrincipalPolicy(new PolicyStatement({ actions: unscoped, resources: ['*'] }));
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [`arn:${stack.partition}:ses:${stack.region}:${stack.account}:identity/${sesIdentity}`],
    }),
  );
  return unscoped;
}
