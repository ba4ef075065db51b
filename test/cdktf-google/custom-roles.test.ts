import { OrganizationIamCustomRole } from '@cdktf/provider-google/lib/organization-iam-custom-role';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { Governance, NhiRegister } from '../../lib/cdktf';
import { GovernedServiceAccount, GovernedServiceAccountProps } from '../../lib/cdktf-google';
import { GovernancePolicy } from '../../lib/core';
import { googleStack, GOVERNANCE, PROJECT } from './helpers';
import { diffRegisters } from '../../lib/cli/diff';
import { parseRegister } from '../../lib/cli/load';
import { TODAY, validationErrors } from '../helpers/cdktf';

const SA = {
  ...GOVERNANCE,
  project: PROJECT,
  accountId: 'billing-report-reader',
};
const WAIVER_OWNER = { team: 'platform', contact: 'platform@example.com' };

function customRole(stack: TerraformStack, permissions: string[], roleId = 'reader'): ProjectIamCustomRole {
  return new ProjectIamCustomRole(stack, 'ReaderRole', { project: PROJECT, roleId, title: 'Reader', permissions });
}

function account(stack: TerraformStack, scope: GovernedServiceAccountProps['scope']): GovernedServiceAccount {
  return new GovernedServiceAccount(stack, 'Reader', { ...SA, scope });
}

describe('Custom roles defined in the stack (cdktf Google): judged by the permissions in the synthesised JSON', () => {
  test('Noncompliance 1: a custom role named innocently that creates service account keys, granted as customRole.name', () => {
    const { stack } = googleStack();
    const role = customRole(stack, ['storage.objects.get', 'iam.serviceAccountKeys.create']);
    account(stack, [{ role: role.name, bucket: 'acme-billing-exports' }]);
    const msg = validationErrors(stack);
    expect(msg).toContain('[NHI_SCOPE_PRIVILEGED] google_storage_bucket_iam_member at stack/Reader/');
    expect(msg).toContain('iam.serviceAccountKeys.create');
    expect(msg).toContain('google_project_iam_custom_role.ReaderRole');
    expect(msg).toContain('stack/ReaderRole');
    // The fix says how to get out of it: remove the permission, justify, or waive.
    expect(msg).toMatch(/remove .*iam\.serviceAccountKeys\.create.*justification.*waive NHI_SCOPE_PRIVILEGED/);
  });

  test('Noncompliance 2: the permission added by an escape hatch after construction (addOverride) is caught', () => {
    const { stack } = googleStack();
    const role = customRole(stack, ['storage.objects.get']);
    account(stack, [{ role: role.name, bucket: 'acme-billing-exports' }]);
    expect(validationErrors(stack)).toBe('');
    role.addOverride('permissions', ['storage.objects.get', 'resourcemanager.projects.setIamPolicy']);
    const msg = validationErrors(stack);
    expect(msg).toContain('[NHI_SCOPE_PRIVILEGED]');
    expect(msg).toContain('resourcemanager.projects.setIamPolicy');
    expect(msg).toContain('changes IAM policies');
  });

  test('Noncompliance 3: the same role named by its literal full name (projects/<p>/roles/<id>)', () => {
    const { stack } = googleStack();
    customRole(stack, ['iam.serviceAccountKeys.create']);
    account(stack, [{ role: `projects/${PROJECT}/roles/reader` }]);
    const msg = validationErrors(stack);
    expect(msg).toContain('[NHI_SCOPE_PRIVILEGED] google_project_iam_member at stack/Reader/');
    expect(msg).toContain(`projects/${PROJECT}/roles/reader`);
    expect(msg).toContain('on a project this covers every service account of the project');
  });

  test('Noncompliance 4: a permission the policy forbids, even with a justification', () => {
    const { app, stack } = googleStack();
    GovernancePolicy.of(app).apply({ forbiddenActions: ['storage.objects.delete'] });
    const role = customRole(stack, ['storage.objects.get', 'storage.objects.delete']);
    account(stack, [{ role: role.name, bucket: 'acme-billing-exports', justification: 'The reporting job prunes old exports' }]);
    const msg = validationErrors(stack);
    expect(msg).toContain('[NHI_SCOPE_FORBIDDEN]');
    expect(msg).toContain("storage.objects.delete, which the governance policy forbids ('storage.objects.delete')");
  });

  test('Noncompliance 5: a data-access custom role on a whole project, unjustified (and forbidden by forbidProjectWideDataAccess)', () => {
    const { app, stack } = googleStack();
    const role = customRole(stack, ['secretmanager.versions.access']);
    account(stack, [{ role: role.id }]);
    expect(validationErrors(stack)).toContain('[NHI_SCOPE_PROJECT_WIDE]');

    const other = googleStack('other');
    GovernancePolicy.of(other.app).apply({ forbidProjectWideDataAccess: true });
    const r2 = customRole(other.stack, ['secretmanager.versions.access']);
    new GovernedServiceAccount(other.stack, 'Reader', { ...SA, scope: [{ role: r2.id, justification: 'The job reads every tenant secret' }] });
    const msg = validationErrors(other.stack);
    expect(msg).toContain('[NHI_SCOPE_FORBIDDEN]');
    expect(msg).toContain('forbidProjectWideDataAccess');
    void app;
  });

  test('Noncompliance 6: an organisation custom role granted as customRole.id', () => {
    const { stack } = googleStack();
    const role = new OrganizationIamCustomRole(stack, 'OrgRole', { orgId: '123456789012', roleId: 'auditViewer', title: 'Audit', permissions: ['iam.serviceAccounts.actAs'] });
    account(stack, [{ role: role.id, bucket: 'acme-billing-exports' }]);
    const msg = validationErrors(stack);
    expect(msg).toContain('[NHI_SCOPE_PRIVILEGED]');
    expect(msg).toContain('iam.serviceAccounts.actAs');
    expect(msg).toContain('google_organization_iam_custom_role.OrgRole');
  });

  test('Noncompliance 7: permissions that cannot be read at synth (a variable) are unverifiable', () => {
    const { stack } = googleStack();
    const perms = new TerraformVariable(stack, 'perms', { type: 'list(string)' });
    const role = new ProjectIamCustomRole(stack, 'ReaderRole', { project: PROJECT, roleId: 'reader', title: 'Reader', permissions: perms.listValue });
    account(stack, [{ role: role.name, bucket: 'acme-billing-exports' }]);
    expect(validationErrors(stack)).toContain('[NHI_SCOPE_UNVERIFIABLE]');
  });

  test('Noncompliance 8: a second definition of the same role name, holding what the first does not', () => {
    const { stack } = googleStack();
    new ProjectIamCustomRole(stack, 'Twin', { project: PROJECT, roleId: 'reader', title: 'Reader', permissions: ['iam.serviceAccountKeys.create'] });
    customRole(stack, ['storage.objects.get']);
    account(stack, [{ role: `projects/${PROJECT}/roles/reader`, bucket: 'acme-billing-exports' }]);
    expect(validationErrors(stack)).toContain('iam.serviceAccountKeys.create');
  });

  test("Noncompliance 9: a role defined without project (the provider's project) is found by its literal full name; another provider's project is another role", () => {
    const { stack } = googleStack();
    new ProjectIamCustomRole(stack, 'ReaderRole', { roleId: 'reader', title: 'Reader', permissions: ['iam.serviceAccountKeys.create'] });
    account(stack, [{ role: `projects/${PROJECT}/roles/reader`, bucket: 'acme-billing-exports' }]);
    expect(validationErrors(stack)).toContain('[NHI_SCOPE_PRIVILEGED]');

    const other = googleStack('other');
    const elsewhere = new GoogleProvider(other.stack, 'elsewhere', { alias: 'elsewhere', project: 'acme-sandbox' });
    new ProjectIamCustomRole(other.stack, 'ReaderRole', { provider: elsewhere, roleId: 'reader', title: 'Reader', permissions: ['iam.serviceAccountKeys.create'] });
    account(other.stack, [{ role: `projects/${PROJECT}/roles/reader`, bucket: 'acme-billing-exports' }]);
    expect(validationErrors(other.stack)).toBe('');
    const third = googleStack('third');
    const sandbox = new GoogleProvider(third.stack, 'sandbox', { alias: 'sandbox', project: 'acme-sandbox' });
    new ProjectIamCustomRole(third.stack, 'ReaderRole', { provider: sandbox, roleId: 'reader', title: 'Reader', permissions: ['iam.serviceAccountKeys.create'] });
    account(third.stack, [{ role: 'projects/acme-sandbox/roles/reader', bucket: 'acme-billing-exports' }]);
    expect(validationErrors(third.stack)).toContain('[NHI_SCOPE_PRIVILEGED]');
  });

  test('Compliance: a custom role with only storage.objects.get on one bucket', () => {
    const { stack } = googleStack();
    const role = customRole(stack, ['storage.objects.get']);
    account(stack, [{ role: role.name, bucket: 'acme-billing-exports' }]);
    expect(validationErrors(stack)).toBe('');
  });

  test('Compliance: a privileged custom role with a justification', () => {
    const { stack } = googleStack();
    const role = customRole(stack, ['iam.serviceAccounts.actAs', 'run.services.update']);
    account(stack, [{ role: role.name, justification: 'Deploys Cloud Run services that run as the runtime account' }]);
    expect(validationErrors(stack)).toBe('');
  });

  test('Compliance: a waiver on the governed account covers the finding, and the register lists it', () => {
    const { app, stack } = googleStack();
    const role = customRole(stack, ['storage.objects.get', 'iam.serviceAccountKeys.create']);
    account(stack, [{ role: role.name, bucket: 'acme-billing-exports' }]);
    Governance.of(app).waive({ code: 'NHI_SCOPE_PRIVILEGED', path: 'stack/Reader', owner: WAIVER_OWNER, reason: 'Key creation moves to the vault in January', expires: '2027-01-31' });
    expect(validationErrors(stack)).toBe('');
    const entry = JSON.parse(NhiRegister.of(stack).render()).identities.find((i: any) => i.path === 'stack/Reader');
    expect(entry.accepted.map((a: any) => a.code)).toEqual(['NHI_SCOPE_PRIVILEGED']);
  });

  test('nhi diff: a privileged custom role accepted by a waiver is critical and privileged; a forbidden or project-wide one widens', () => {
    const register = (o: { permissions?: string[]; code?: string; wholeProject?: boolean; forbid?: string[] } = {}) => {
      const { app, stack } = googleStack();
      if (o.forbid) GovernancePolicy.of(app).apply({ forbiddenActions: o.forbid });
      const role = o.permissions ? customRole(stack, o.permissions).name : 'roles/storage.objectViewer';
      account(stack, [o.wholeProject ? { role } : { role, bucket: 'acme-billing-exports' }]);
      if (o.code) Governance.of(app).waive({ code: o.code, path: 'stack/Reader', owner: WAIVER_OWNER, reason: 'Moves to the vault in January', expires: '2027-01-31' });
      expect(validationErrors(stack)).toBe('');
      return parseRegister(NhiRegister.of(stack).render(), 'cdktf.out/stacks/stack/nhi-register.json');
    };
    const base = register();
    const judged = (head: ReturnType<typeof register>) => diffRegisters(base, head, { today: TODAY }).identities[0].changes
      .filter((c) => c.kind === 'accepted-added').map((c) => [c.severity, c.widens ?? false, c.privileged ?? false]);
    expect(judged(register({ permissions: ['storage.objects.get', 'iam.serviceAccountKeys.create'], code: 'NHI_SCOPE_PRIVILEGED' })))
      .toEqual([['critical', true, true]]);
    expect(judged(register({ permissions: ['storage.objects.get', 'storage.objects.delete'], code: 'NHI_SCOPE_FORBIDDEN', forbid: ['storage.objects.delete'] })))
      .toEqual([['high', true, false]]);
    expect(judged(register({ permissions: ['secretmanager.versions.access'], code: 'NHI_SCOPE_PROJECT_WIDE', wholeProject: true })))
      .toEqual([['high', true, false]]);
  });

  test('Register: a grant of a custom role of the stack lists the permissions the synthesised JSON gives it (escape hatches included)', () => {
    const { stack } = googleStack();
    const role = customRole(stack, ['storage.objects.list', 'storage.objects.get']);
    account(stack, [{ role: role.name, bucket: 'acme-billing-exports' }]);
    const scopeOf = () => JSON.parse(NhiRegister.of(stack).render()).identities[0].scope;
    expect(validationErrors(stack)).toBe('');
    expect(scopeOf()).toEqual([{
      role: '${google_project_iam_custom_role.ReaderRole.name}', on: 'bucket', resource: 'acme-billing-exports',
      custom: true, permissions: ['storage.objects.get', 'storage.objects.list'],
    }]);
    // What the register says is what cdk.tf.json holds: a permission added by an override is listed.
    role.addOverride('permissions', ['storage.objects.get', 'storage.objects.list', 'storage.objects.delete']);
    expect(validationErrors(stack)).toBe(''); // synth validates, then writes the register
    expect(scopeOf()[0].permissions).toEqual(['storage.objects.delete', 'storage.objects.get', 'storage.objects.list']);
  });

  test('Register: a privileged custom role is marked privileged; a literal role name and two definitions of one name list every permission', () => {
    const { stack } = googleStack();
    new ProjectIamCustomRole(stack, 'Twin', { project: PROJECT, roleId: 'reader', title: 'Reader', permissions: ['iam.serviceAccounts.actAs'] });
    customRole(stack, ['storage.objects.get']);
    account(stack, [{ role: `projects/${PROJECT}/roles/reader`, bucket: 'acme-billing-exports', justification: 'Deploys jobs that run as the runtime account' }]);
    expect(validationErrors(stack)).toBe('');
    const [grant] = JSON.parse(NhiRegister.of(stack).render()).identities[0].scope;
    expect(grant).toEqual({
      role: `projects/${PROJECT}/roles/reader`, on: 'bucket', resource: 'acme-billing-exports', privileged: true,
      custom: true, permissions: ['iam.serviceAccounts.actAs', 'storage.objects.get'], justification: 'Deploys jobs that run as the runtime account',
    });
  });

  test('nhi diff: a permission added to a custom role of the stack widens the scope (privileged: critical); one removed narrows it', () => {
    const register = (permissions: string[]) => {
      const { stack } = googleStack();
      const role = customRole(stack, permissions);
      account(stack, [{ role: role.name, bucket: 'acme-billing-exports', justification: 'Deploys jobs that run as the runtime account' }]);
      expect(validationErrors(stack)).toBe('');
      return parseRegister(NhiRegister.of(stack).render(), 'cdktf.out/stacks/stack/nhi-register.json');
    };
    const changes = (base: string[], head: string[]) => diffRegisters(register(base), register(head), { today: TODAY }).identities.flatMap((i) => i.changes)
      .map((c) => [c.kind, c.severity, c.widens ?? false, c.privileged ?? false, c.summary]);
    expect(changes(['storage.objects.get'], ['storage.objects.get', 'storage.objects.delete'])).toEqual([
      ['scope-widened', 'high', true, false, expect.stringContaining('`storage.objects.delete`')],
    ]);
    expect(changes(['storage.objects.get'], ['storage.objects.get', 'storage.objects.list'])).toEqual([
      ['scope-widened', 'medium', true, false, expect.stringContaining('`storage.objects.list`')],
    ]);
    const privileged = changes(['storage.objects.get'], ['storage.objects.get', 'iam.serviceAccounts.actAs']);
    expect(privileged.map((c) => c.slice(0, 4))).toEqual([
      ['scope-widened', 'critical', true, true],
      ['privileged-added', 'critical', true, true],
    ]);
    expect(privileged[0][4]).toContain('`iam.serviceAccounts.actAs`');
    expect(changes(['storage.objects.get', 'storage.objects.list'], ['storage.objects.get'])).toEqual([
      ['scope-narrowed', 'info', false, false, expect.stringContaining('`storage.objects.list`')],
    ]);
    expect(changes(['storage.objects.get'], ['storage.objects.get'])).toEqual([]);
  });

  test("nhi diff: a binding outside the declaration to a privileged custom role, accepted by a waiver, is critical and names the permission (the attacker's case)", () => {
    const register = (extra: boolean) => {
      const { app, stack } = googleStack();
      const reader = customRole(stack, ['storage.objects.get']);
      const sa = account(stack, [{ role: reader.name, bucket: 'acme-billing-exports' }]);
      if (extra) {
        const keyMaker = new ProjectIamCustomRole(stack, 'Innocent', { project: PROJECT, roleId: 'viewer2', title: 'Viewer', permissions: ['storage.objects.list', 'iam.serviceAccountKeys.create'] });
        new StorageBucketIamMember(stack, 'Extra', { bucket: 'acme-billing-exports', role: keyMaker.name, member: sa.member, condition: { title: 'expiry', expression: sa.condition.expression } });
        Governance.of(app).waive({ code: 'NHI_SCOPE_WIDENED', path: 'stack/Extra', owner: WAIVER_OWNER, reason: 'Temporary export helper', expires: '2027-01-31' });
      }
      expect(validationErrors(stack)).toBe('');
      return parseRegister(NhiRegister.of(stack).render(), 'cdktf.out/stacks/stack/nhi-register.json');
    };
    const head = register(true);
    const [finding] = (head.identities[0] as any).accepted;
    expect(finding.code).toBe('NHI_SCOPE_WIDENED');
    expect(finding.message).toContain('iam.serviceAccountKeys.create');
    const [c] = diffRegisters(register(false), head, { today: TODAY }).identities[0].changes;
    expect(c).toMatchObject({ kind: 'accepted-added', severity: 'critical', widens: true, privileged: true });
    expect(c.summary).toContain('`iam.serviceAccountKeys.create`');
  });

  test('Compliance: a custom role not defined in the stack keeps being accepted by its name', () => {
    const { stack } = googleStack();
    customRole(stack, ['iam.serviceAccountKeys.create'], 'keyMaker');
    account(stack, [{ role: `projects/${PROJECT}/roles/reader`, bucket: 'acme-billing-exports' }]);
    expect(validationErrors(stack)).toBe('');
  });
});
