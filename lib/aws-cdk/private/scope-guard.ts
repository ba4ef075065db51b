import { Stack } from 'aws-cdk-lib/core';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { flattenCfn, flattenDeep } from './cfn';
import { AnalysedAwsGrant } from '../../core/rules/aws-scope';
import { AwsGrantedStatement, checkGrantCoverage, checkScopeWidening, checkStatementExpiry } from '../../core/rules/aws-widening';
import { NhiRisk, Violation, violation } from '../../core/violation';

/**
 * Collects everything that tries to add permissions to a governed role or user after it was
 * declared: grants (`bucket.grantRead(identity)` -> addToPrincipalPolicy), attached inline
 * policies and managed policies. Allow statements of grants are never added to the identity:
 * if the declared scope already covers their intent (core `checkGrantCoverage`: on each resource,
 * at least one of the grant's reading / changing actions is declared) they are redundant (the
 * scope policy grants what was reviewed), otherwise synthesis fails with NHI_SCOPE_WIDENED naming
 * only what is missing. Attached policies are added, so they are checked strictly (every action).
 * Deny statements pass through (they narrow).
 */
export class ScopeGuard {
  private readonly statements: iam.PolicyStatement[] = [];
  private readonly policies: iam.Policy[] = [];
  private readonly managed: iam.IManagedPolicy[] = [];

  public constructor(private readonly grants: AnalysedAwsGrant[], private readonly expiresAt: string) {}

  public recordStatement(s: iam.PolicyStatement): void { this.statements.push(s); }
  public recordPolicy(p: iam.Policy): void { this.policies.push(p); }
  public recordManaged(p: iam.IManagedPolicy): void { this.managed.push(p); }

  /** The declared grants with references flattened the way templates are. */
  public declaredFlat(scope: IConstruct): AnalysedAwsGrant[] {
    const stack = Stack.of(scope);
    return this.grants.map((g) => ({ ...g, resources: g.resources.map((r) => flattenCfn(stack.resolve(r))) }));
  }

  /** Violations of everything recorded so far (call at validation time, when tokens resolve). */
  public check(scope: IConstruct): Violation[] {
    if (this.statements.length + this.policies.length + this.managed.length === 0) return [];
    const stack = Stack.of(scope);
    const declared = this.declaredFlat(scope);
    const out: Violation[] = [];
    for (const s of this.statements) {
      const json = flattenDeep(stack.resolve(s.toStatementJson())) as AwsGrantedStatement;
      out.push(...checkGrantCoverage([json], declared, 'a grant to this identity (e.g. bucket.grantRead(identity))'));
    }
    for (const p of this.policies) {
      const doc = flattenDeep(stack.resolve(p.document)) as { Statement?: AwsGrantedStatement[] };
      const sts = doc?.Statement ?? [];
      out.push(...checkScopeWidening(sts, declared, `policy ${p.node.path} attached to this identity`));
      out.push(...checkStatementExpiry(sts, this.expiresAt, `policy ${p.node.path} attached to this identity`));
    }
    for (const m of this.managed) {
      const arn = flattenCfn(stack.resolve(m.managedPolicyArn));
      out.push(violation('NHI_SCOPE_WIDENED', 'scope', `managed policy ${arn} is attached to this identity: its permissions are not in the declared scope (or the register) and do not expire`,
        'detach it and declare the actions the workload needs in scope', arn, [NhiRisk.NHI5]));
    }
    return out;
  }
}

/** An iam.Role whose later permission changes go through a ScopeGuard. */
export class GuardedRole extends iam.Role {
  public guard?: ScopeGuard;

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.guard || statement.effect === iam.Effect.DENY) return super.addToPrincipalPolicy(statement);
    this.guard.recordStatement(statement);
    return { statementAdded: true, policyDependable: this };
  }

  public attachInlinePolicy(policy: iam.Policy): void {
    this.guard?.recordPolicy(policy);
    super.attachInlinePolicy(policy);
  }

  public addManagedPolicy(policy: iam.IManagedPolicy): void {
    this.guard?.recordManaged(policy);
    super.addManagedPolicy(policy);
  }
}

/** An iam.User whose later permission changes go through a ScopeGuard. */
export class GuardedUser extends iam.User {
  public guard?: ScopeGuard;

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.guard || statement.effect === iam.Effect.DENY) return super.addToPrincipalPolicy(statement);
    this.guard.recordStatement(statement);
    return { statementAdded: true, policyDependable: this };
  }

  public attachInlinePolicy(policy: iam.Policy): void {
    this.guard?.recordPolicy(policy);
    super.attachInlinePolicy(policy);
  }

  public addManagedPolicy(policy: iam.IManagedPolicy): void {
    this.guard?.recordManaged(policy);
    super.addManagedPolicy(policy);
  }
}
