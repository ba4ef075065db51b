import { IdentityDeclaration } from '../../../lib/core/artifact/model';
import { artifactFromTerraformJson, extractTerraformView } from '../../../lib/core/artifact/terraform';
import { checkArtifact } from '../../../lib/core/rules/artifact';

const EXPIRES = '2027-03-01T00:00:00Z';
const SCOPE = { Version: '2012-10-17', Statement: [{ Sid: 'Scope0', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'], Condition: { DateLessThan: { 'aws:CurrentTime': EXPIRES } } }] };
const TRUST = { Version: '2012-10-17', Statement: [{ Sid: 'Workload', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { DateLessThan: { 'aws:CurrentTime': EXPIRES } } }] };

const DECL: IdentityDeclaration = {
  path: 'app/Reader', cloud: 'aws', addresses: ['aws_iam_role.r'], names: ['reader'], owned: ['aws_iam_role.r', 'aws_iam_role_policy.p'],
  expiresAt: EXPIRES, awsGrants: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }], awsTrustPolicy: JSON.stringify(TRUST),
};

function codes(extra: Record<string, Record<string, unknown>> = {}, output?: Record<string, unknown>): string[] {
  const json = {
    resource: {
      aws_iam_role: { r: { name: 'reader', assume_role_policy: JSON.stringify(TRUST) } },
      aws_iam_role_policy: { p: { role: '${aws_iam_role.r.name}', policy: JSON.stringify(SCOPE) } },
      ...extra,
    },
    ...(output ? { output } : {}),
  };
  const view = extractTerraformView(artifactFromTerraformJson(json), [DECL]);
  return checkArtifact([DECL], view).map((f) => `${f.violation.code} ${f.source.address}`);
}

describe('checkArtifact: the artifact grants, trusts and hands out exactly what the declaration says', () => {
  test('Compliance: the declared role and policy', () => {
    expect(codes()).toEqual([]);
  });

  test('Noncompliance 1: a policy attachment by name', () => {
    expect(codes({ aws_iam_role_policy_attachment: { a: { role: 'reader', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } } }))
      .toEqual(['NHI_SCOPE_WIDENED aws_iam_role_policy_attachment.a']);
  });

  test('Noncompliance 2: a managed policy of the same artifact is read: covered actions pass, others widen', () => {
    const doc = (action: string) => JSON.stringify({ Statement: [{ Effect: 'Allow', Action: action, Resource: 'arn:aws:s3:::b/*', Condition: { DateLessThan: { 'aws:CurrentTime': EXPIRES } } }] });
    expect(codes({
      aws_iam_policy: { ok: { policy: doc('s3:GetObject') }, wide: { policy: doc('s3:PutObject') } },
      aws_iam_role_policy_attachment: { a: { role: '${aws_iam_role.r.name}', policy_arn: '${aws_iam_policy.ok.arn}' }, b: { role: '${aws_iam_role.r.id}', policy_arn: '${aws_iam_policy.wide.arn}' } },
    })).toEqual(['NHI_SCOPE_WIDENED aws_iam_role_policy_attachment.b']);
  });

  test('Noncompliance 3: an undeclared credential and an output of a secret', () => {
    expect(codes({ aws_iam_user: { u: { name: 'other' } }, aws_iam_access_key: { k: { user: 'other' } } }, { leak: { value: '${aws_iam_access_key.k.secret}' } }))
      .toEqual(['NHI_SECRET_EXPOSED output.leak']);
  });

  test('Noncompliance 4: an unresolvable role name', () => {
    expect(codes({ aws_iam_role_policy_attachment: { a: { role: '${var.role}', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } } }))
      .toEqual(['NHI_SCOPE_UNVERIFIABLE aws_iam_role_policy_attachment.a']);
  });

  test('Noncompliance 5: another role trusting the governed role lets it assume that role', () => {
    const trust = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '${aws_iam_role.r.arn}' }, Action: 'sts:AssumeRole' }] });
    expect(codes({ aws_iam_role: { r: { name: 'reader', assume_role_policy: JSON.stringify(TRUST) }, admin: { name: 'admin', assume_role_policy: trust } } }))
      .toEqual(['NHI_SCOPE_WIDENED aws_iam_role.admin', 'NHI_EXPIRY_CONDITION_MISSING aws_iam_role.admin']);
  });

  test('Noncompliance 6: a malformed artifact is a one-line error', () => {
    expect(() => artifactFromTerraformJson([])).toThrow(/^not a Terraform JSON configuration/);
  });
});
