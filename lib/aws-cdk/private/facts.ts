import { CfnResource, Stack } from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';
import { ResolvedGovernancePolicy } from '../../core/policy';
import { AwsPrincipalContext } from '../../core/rules/aws-principal';
import { AnalysedAwsGrant } from '../../core/rules/aws-scope';

/** What the validation plugin needs to know about a governed construct (internal). */
export interface GovernedFacts {
  readonly path: string;
  readonly stack: Stack;
  /** The governed role or user (service accounts only). */
  readonly identity?: CfnResource;
  readonly identityKind?: 'role' | 'user';
  /** Declared grants, references flattened (service accounts only). */
  readonly grants?: () => AnalysedAwsGrant[];
  readonly expiresAt: string;
  /** What the trust rules need besides the trust policy (vendor, justification). Roles only. */
  readonly trustContext?: AwsPrincipalContext;
  /** The identity's environment, and the policy in force (environment isolation of the trust). */
  readonly environment?: string;
  readonly policy?: ResolvedGovernancePolicy;
}

export const FACTS = Symbol.for('nhi-constructs.aws-cdk.GovernedFacts');

export function setFacts(c: IConstruct, facts: GovernedFacts): void {
  Object.defineProperty(c, FACTS, { value: facts, enumerable: false });
}

export function factsOf(c: IConstruct): GovernedFacts | undefined {
  return (c as any)[FACTS] as GovernedFacts | undefined;
}
