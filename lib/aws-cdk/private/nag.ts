import { Stack, Token, Validations } from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';
import { flattenCfn } from './cfn';

/**
 * Acknowledges a cdk-nag (v3) finding on `scope` with a reason, through the AWS CDK's own
 * acknowledgement mechanism (`Validations.of(scope).acknowledge`), which cdk-nag reads. Every
 * acknowledgement this library makes is listed, with its reason, in docs/aws-cdk.md.
 */
export function acknowledgeNag(scope: IConstruct, id: string, reason: string): void {
  // The metadata `Validations.of(scope).acknowledge({ id, reason })` records for an id without a
  // namespace, which is what cdk-nag and the CDK's validation report read; written directly to
  // skip the stack trace the CDK captures per acknowledgement (~0.3 ms each, one per identity).
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`Annotation::${id}`]: reason }, { stackTrace: false });
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for each resource that contains a wildcard,
 * one finding at a time (`AwsSolutions-IAM5[Resource::<flattened ARN>]`), never the whole rule:
 * only wildcards the core scope analysis accepted (a wildcard narrowing inside a named resource,
 * or `*` for actions that support no resource type) are acknowledged.
 */
export function acknowledgeWildcardResources(scope: IConstruct, resources: string[], reason: string): void {
  const stack = Stack.of(scope);
  const seen = new Set<string>();
  for (const r of resources) {
    const flat = Token.isUnresolved(r) ? flattenCfn(stack.resolve(r), 'nag') : r;
    if (!flat.includes('*') || seen.has(flat)) continue;
    seen.add(flat);
    acknowledgeNag(scope, `AwsSolutions-IAM5[Resource::${flat}]`, reason);
  }
}
