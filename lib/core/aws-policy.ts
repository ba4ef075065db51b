import { AnalysedAwsGrant } from './rules/aws-scope';

/** An IAM policy statement as JSON. */
export interface AwsPolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: any;
  readonly Condition?: any;
}

/** The condition every governed statement carries: the cloud stops honouring it at expiry. */
export function expiryCondition(expiresAt: string): Record<string, Record<string, string>> {
  return { DateLessThan: { 'aws:CurrentTime': expiresAt } };
}

/**
 * The identity policy of a governed AWS identity: one Allow statement per grant (actions in
 * canonical case, sorted; resources in the given order), each with the expiry condition.
 */
export function awsScopePolicy(grants: AnalysedAwsGrant[], expiresAt: string): { Version: string; Statement: AwsPolicyStatementJson[] } {
  return {
    Version: '2012-10-17',
    Statement: grants.map((g, i) => ({
      Sid: `Scope${i}`,
      Effect: 'Allow',
      Action: [...new Set(g.actions.map((a) => a.action))].sort(),
      Resource: [...g.resources],
      Condition: expiryCondition(expiresAt),
    })),
  };
}

/** Renders a policy document as a compact literal JSON string (actions sorted), so a word diff of the synth shows exactly what changed. */
export function renderPolicyJson(doc: unknown): string {
  return JSON.stringify(doc);
}
