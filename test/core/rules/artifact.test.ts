import { IdentityDeclaration } from '../../../lib/core/artifact/model';
import { declarationFromRegister } from '../../../lib/core/artifact/register';
import { artifactFromPlan, artifactFromTerraformJson, extractTerraformView } from '../../../lib/core/artifact/terraform';
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

describe('checkArtifact: Google custom roles defined in the artifact are judged by their permissions', () => {
  const COND = 'request.time < timestamp("2027-03-01T00:00:00Z")';
  const G: IdentityDeclaration = {
    path: 'app/Sa', cloud: 'google', addresses: ['google_service_account.sa'], names: ['sa@acme-billing-prod.iam.gserviceaccount.com'],
    owned: ['google_service_account.sa', 'google_project_iam_member.m'], expiresAt: EXPIRES, googleCondition: COND,
    googleGrants: [{ role: '${google_project_iam_custom_role.r.name}', target: 'project', resource: 'acme-billing-prod', roleFromToken: true }],
  };
  const json = (permissions: unknown, role = '${google_project_iam_custom_role.r.name}') => ({
    resource: {
      google_service_account: { sa: { account_id: 'sa', project: 'acme-billing-prod' } },
      google_project_iam_custom_role: { r: { project: 'acme-billing-prod', role_id: 'reader', title: 'Reader', permissions } },
      google_project_iam_member: { m: { project: 'acme-billing-prod', role, member: 'serviceAccount:${google_service_account.sa.email}', condition: { expression: COND, title: 't' } } },
    },
  });
  const found = (j: unknown, d: IdentityDeclaration = G) => checkArtifact([d], extractTerraformView(artifactFromTerraformJson(j), [d]))
    .map((f) => `${f.violation.code} ${f.source.address}${f.waiverPaths ? ` ${f.waiverPaths.join(',')}` : ''}`);

  test('Noncompliance 1: privileged permissions, unjustified; a justification accepts them', () => {
    expect(found(json(['iam.serviceAccounts.getAccessToken']))).toEqual(['NHI_SCOPE_PRIVILEGED google_project_iam_member.m app/Sa']);
    const justified = { ...G, googleGrants: [{ ...G.googleGrants![0], justification: 'Mints tokens for the batch runner' }] };
    expect(found(json(['iam.serviceAccounts.getAccessToken']), justified)).toEqual([]);
    // A vague justification is none.
    const vague = { ...G, googleGrants: [{ ...G.googleGrants![0], justification: 'needed' }] };
    expect(found(json(['iam.serviceAccounts.getAccessToken']), vague)).toEqual(['NHI_SCOPE_PRIVILEGED google_project_iam_member.m app/Sa']);
  });

  test('Noncompliance 2: a permission matching the policy\'s forbiddenActions (IAM wildcards)', () => {
    expect(found(json(['resourcemanager.projects.get', 'compute.instances.delete']), { ...G, forbiddenActions: ['compute.instances.*'] }))
      .toEqual(['NHI_SCOPE_FORBIDDEN google_project_iam_member.m app/Sa']);
  });

  test('Noncompliance 3: data access on the whole project; permissions of a variable are unverifiable', () => {
    expect(found(json(['storage.objects.get']))).toEqual(['NHI_SCOPE_PROJECT_WIDE google_project_iam_member.m app/Sa']);
    expect(found(json('${var.permissions}'))).toEqual(['NHI_SCOPE_UNVERIFIABLE google_project_iam_custom_role.r']);
  });

  test('Noncompliance 4: by its literal name, and in a plan where the role name is unknown until apply', () => {
    const literal = { ...G, googleGrants: [{ role: 'projects/acme-billing-prod/roles/reader', target: 'project', resource: 'acme-billing-prod' }] };
    expect(found(json(['iam.serviceAccountKeys.create'], 'projects/acme-billing-prod/roles/reader'), literal)).toEqual(['NHI_SCOPE_PRIVILEGED google_project_iam_member.m app/Sa']);
    const plan = {
      planned_values: {
        root_module: {
          resources: [
            { address: 'google_project_iam_custom_role.r', mode: 'managed', type: 'google_project_iam_custom_role', values: { project: 'acme-billing-prod', role_id: 'reader', permissions: ['iam.serviceAccountKeys.create'] } },
            { address: 'google_service_account.sa', mode: 'managed', type: 'google_service_account', values: { account_id: 'sa', project: 'acme-billing-prod' } },
            { address: 'google_project_iam_member.m', mode: 'managed', type: 'google_project_iam_member', values: { project: 'acme-billing-prod', condition: [{ expression: COND, title: 't' }] } },
          ],
        },
      },
      resource_changes: [{ address: 'google_project_iam_member.m', change: { after_unknown: { role: true, member: true } } }],
      configuration: {
        root_module: {
          resources: [{
            address: 'google_project_iam_member.m',
            expressions: { role: { references: ['google_project_iam_custom_role.r.name', 'google_project_iam_custom_role.r'] }, member: { references: ['google_service_account.sa.email', 'google_service_account.sa'] } },
          }],
        },
      },
    };
    // `nhi verify`: the declaration is the register entry, with the justification it records.
    const entry = (justification?: string) => declarationFromRegister({
      path: 'app/Sa', kind: 'service-account', cloud: 'google', name: 'sa@acme-billing-prod.iam.gserviceaccount.com', expires: '2027-03-01', credentials: 'none',
      scope: [{ role: '${google_project_iam_custom_role.r.name}', on: 'project', resource: 'acme-billing-prod', privileged: false, ...(justification ? { justification } : {}) }],
      details: { condition: COND },
    });
    const verify = (d: IdentityDeclaration) => checkArtifact([d], extractTerraformView(artifactFromPlan(plan), [d])).map((f) => f.violation.code);
    expect(verify(entry())).toEqual(['NHI_SCOPE_PRIVILEGED']);
    expect(verify(entry('Creates keys for the legacy appliance'))).toEqual([]);
  });

  test('Noncompliance 5 (nhi verify): the role holds permissions the register does not list for it', () => {
    // The register lists what the synthesised JSON gave the role; a plan giving it more is not what was reviewed.
    const listed = (permissions: unknown) => declarationFromRegister({
      path: 'app/Sa', kind: 'service-account', cloud: 'google', name: 'sa@acme-billing-prod.iam.gserviceaccount.com', expires: '2027-03-01', credentials: 'none',
      scope: [{ role: '${google_project_iam_custom_role.r.name}', on: 'project', resource: 'acme-billing-prod', custom: true, permissions, justification: 'Reads the project metadata for the inventory' }],
      details: { condition: COND },
    });
    const d = listed(['resourcemanager.projects.get']);
    expect(d.googleGrants![0].permissions).toEqual(['resourcemanager.projects.get']);
    const widened = checkArtifact([d], extractTerraformView(artifactFromTerraformJson(json(['resourcemanager.projects.get', 'compute.instances.delete', 'compute.disks.delete'])), [d]));
    expect(widened.map((f) => `${f.violation.code} ${f.source.address} ${f.waiverPaths?.join(',')}`)).toEqual(['NHI_SCOPE_WIDENED google_project_iam_member.m app/Sa']);
    expect(widened[0].violation.message).toContain('compute.disks.delete, compute.instances.delete, which the register does not list');
    expect(widened[0].violation.fix).toContain('nhi diff');
    // Exactly what it lists (in any order), or fewer: nothing to report.
    expect(found(json(['resourcemanager.projects.get']), d)).toEqual([]);
    expect(found(json([]), listed(['resourcemanager.projects.get', 'resourcemanager.projects.list']))).toEqual([]);
    // A register that lists none (written before registers did) or lists something else than strings: not compared.
    expect(found(json(['resourcemanager.projects.get', 'compute.instances.delete']), listed(undefined))).toEqual([]);
    expect(listed('resourcemanager.projects.get').googleGrants![0].permissions).toBeUndefined();
    expect(listed([7, null]).googleGrants![0].permissions).toEqual(['7', 'null']);
  });

  test('Compliance: a narrow custom role; a role another binding names but the artifact does not define', () => {
    expect(found(json(['resourcemanager.projects.get']))).toEqual([]);
    const elsewhere = { ...G, googleGrants: [{ role: 'projects/acme-billing-prod/roles/other', target: 'project', resource: 'acme-billing-prod' }] };
    expect(found(json(['iam.serviceAccountKeys.create'], 'projects/acme-billing-prod/roles/other'), elsewhere)).toEqual([]);
  });
});
