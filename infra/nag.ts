import { Validations } from 'aws-cdk-lib';
// cdk-nag ships CommonJS whose re-exports Node's ESM loader cannot name, so it is loaded here once.
import nag from 'cdk-nag';
import type { IConstruct } from 'constructs';

export const { AwsSolutionsChecks } = nag;

/**
 * Acknowledges one cdk-nag finding on a construct (and its children), with the reason it is
 * acceptable. Every suppression in Keyline goes through here, so each one carries a reason.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string) {
  Validations.of(scope).acknowledge({ id, reason });
}
