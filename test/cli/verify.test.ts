// `nhi verify` on real Terraform plans: test/cli/plans/<fixture>/plan.json was produced by
// `terraform plan` + `terraform show -json` (Terraform 1.11, AWS provider 5.100 from a local
// mirror, fake credentials; the oidc fixture's data source read from moto_server) from the synthesised cdk.tf.json beside it; regenerate with
// `NHI_TF_MIRROR=/opt/tf-plugins npx tsx test/cli/plans/generate.ts` (regenerated 2026-12-01,
// after cloud rotation). Exception: google-synthetic-*/plan.json are SYNTHETIC (no Google
// provider plugin here), derived from their cdk.tf.json by the same script.
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../lib/cli/program';
import { artifactFromPlan } from '../../lib/core/artifact/terraform';
import { tmpDir } from './fixtures';

const PLANS = path.join(__dirname, 'plans');
const TODAY = '2026-11-23';

function nhi(...args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = run(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: { NHI_TODAY: TODAY } });
  return { code, stdout, stderr };
}

describe('nhi verify <plan.json>: the artifact check on a real Terraform plan', () => {
  test('Compliance: the plan of governed identities as declared verifies (exit 0)', () => {
    const r = nhi('verify', path.join(PLANS, 'compliant', 'plan.json'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('2 governed identities, 0 findings');
    expect(r.code).toBe(0);
  });

  describe('every bypass in the plan is found (exit 1)', () => {
    let out = '';
    let code = -1;
    beforeAll(() => {
      const r = nhi('verify', path.join(PLANS, 'bypasses', 'plan.json'));
      out = r.stdout;
      code = r.code;
    });
    test('exit code 1', () => expect(code).toBe(1));
    test.each([
      ['an override of the governed policy (s3:* on *)', '[NHI_SCOPE_WIDENED] aws_iam_role_policy at bypasses/Reader/Policy'],
      ['... which also lost its expiry condition', '[NHI_EXPIRY_CONDITION_MISSING] aws_iam_role_policy at bypasses/Reader/Policy'],
      ['an AdministratorAccess attachment to a role named by Fn.join', '[NHI_SCOPE_WIDENED] aws_iam_role_policy_attachment at bypasses/Joined'],
      ['a bucket policy naming the role\'s ARN (unknown until apply)', '[NHI_SCOPE_WIDENED] aws_s3_bucket_policy at bypasses/BucketPolicy'],
      ['an access key of the governed user (Terraform manages none: its rotation function creates them)', '[NHI_CREDENTIAL_UNDECLARED] aws_iam_access_key at bypasses/Uploader/SecondKey'],
      ['an SSH key of the governed user', '[NHI_CREDENTIAL_UNDECLARED] aws_iam_user_ssh_key at bypasses/Ssh'],
      ['an output of the access key secret', '[NHI_SECRET_EXPOSED] output at'],
    ])('%s', (_what, line) => {
      expect(out).toContain(line);
    });
  });

  describe('credentials are identified by address, not counted', () => {
    test('Compliance: the register lists the credential resources Terraform manages (none for an AWS user: cloud rotation)', () => {
      const reg = JSON.parse(fs.readFileSync(path.join(PLANS, 'bypasses', 'nhi-register.json'), 'utf8'));
      expect(reg.identities.find((i: any) => i.path === 'bypasses/Uploader').details.credentialResources).toEqual([]);
    });

    test('Noncompliance: the one access key in the plan is not "the declared one" (an older register that only counts would accept it)', () => {
      const dir = tmpDir('nhi-verify-');
      for (const f of ['plan.json', 'cdk.tf.json']) fs.copyFileSync(path.join(PLANS, 'bypasses', f), path.join(dir, f));
      const reg = JSON.parse(fs.readFileSync(path.join(PLANS, 'bypasses', 'nhi-register.json'), 'utf8'));
      const count = (r: any) => {
        fs.writeFileSync(path.join(dir, 'nhi-register.json'), JSON.stringify(r));
        return nhi('verify', path.join(dir, 'plan.json')).stdout.split('\n').filter((l) => l.includes('aws_iam_access_key at')).length;
      };
      expect(count(reg)).toBe(1);
      for (const i of reg.identities) delete i.details?.credentialResources;
      expect(count(reg)).toBe(0); // counted: one key declared, one in the plan
    });
  });

  describe('an OIDC trust is compared exactly (the register records the provider ARN)', () => {
    let out = '';
    let code = -1;
    beforeAll(() => {
      const r = nhi('verify', path.join(PLANS, 'oidc', 'plan.json'));
      out = r.stdout;
      code = r.code;
    });

    test('Compliance: the register holds the provider ARN as given: a reference to a resource or a variable, or a literal', () => {
      const reg = JSON.parse(fs.readFileSync(path.join(PLANS, 'oidc', 'nhi-register.json'), 'utf8'));
      const arn = (p: string) => reg.identities.find((i: any) => i.path === p).details.trust.oidc.providerArn;
      expect(arn('oidc/Deployer')).toBe('${aws_iam_openid_connect_provider.GitHub.arn}');
      expect(arn('oidc/Publisher')).toBe('${var.oidc_provider_arn}');
      expect(arn('oidc/Builder')).toBe('${data.aws_iam_openid_connect_provider.GitLab.arn}');
      expect(arn('oidc/Auditor')).toBe('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com');
    });

    test('Compliance: a provider created in the plan (unknown until apply), from a variable or a data source (both resolved in the plan) verify', () => {
      expect(out).not.toMatch(/oidc\/(Deployer|Publisher|Builder)/);
      expect(out).toContain('4 governed identities, 1 finding');
    });

    test('Compliance: the data source\'s value comes from the plan (its prior state); without it the reference cannot match the resolved trust', () => {
      const dir = tmpDir('nhi-verify-');
      for (const f of ['nhi-register.json', 'cdk.tf.json']) fs.copyFileSync(path.join(PLANS, 'oidc', f), path.join(dir, f));
      const plan = JSON.parse(fs.readFileSync(path.join(PLANS, 'oidc', 'plan.json'), 'utf8'));
      delete plan.prior_state;
      fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan));
      expect(nhi('verify', path.join(dir, 'plan.json')).stdout).toContain('[NHI_TRUST_CHANGED] aws_iam_role at oidc/Builder/Role');
    });

    test('Noncompliance: an override of the trust that keeps the expiry but admits another repository is NHI_TRUST_CHANGED', () => {
      expect(out).toMatch(/^\[NHI_TRUST_CHANGED\] aws_iam_role at oidc\/Auditor\/Role: .*repo:mallory\/audit/m);
      expect(code).toBe(1);
    });

    test('Compliance: an older register without the provider ARN checks the OIDC trust for its expiry only', () => {
      const dir = tmpDir('nhi-verify-');
      for (const f of ['plan.json', 'cdk.tf.json']) fs.copyFileSync(path.join(PLANS, 'oidc', f), path.join(dir, f));
      const reg = JSON.parse(fs.readFileSync(path.join(PLANS, 'oidc', 'nhi-register.json'), 'utf8'));
      for (const i of reg.identities) delete i.details.trust.oidc.providerArn;
      fs.writeFileSync(path.join(dir, 'nhi-register.json'), JSON.stringify(reg));
      expect(nhi('verify', path.join(dir, 'plan.json')).stdout).toContain('4 governed identities, 0 findings');
    });
  });

  describe('API keys (cdktf AWS): the usage plan admits the declared stages and no key Terraform manages', () => {
    let out = '';
    beforeAll(() => {
      out = nhi('verify', path.join(PLANS, 'apikey', 'plan.json')).stdout;
    });

    test('Noncompliance: a usage plan key on the governed plan is NHI_CREDENTIAL_UNDECLARED', () => {
      expect(out).toContain('[NHI_CREDENTIAL_UNDECLARED] aws_api_gateway_usage_plan_key at apikey/RawPlanKey');
    });

    test('Noncompliance: a stage added to the governed plan by an override is NHI_SCOPE_WIDENED', () => {
      expect(out).toMatch(/^\[NHI_SCOPE_WIDENED\] aws_api_gateway_usage_plan at apikey\/Globex\/UsagePlan: .*f6g7h8i9j0\/admin/m);
    });

    test('Compliance: the key as declared has no finding', () => {
      expect(out).not.toContain('apikey/Acme');
      expect(out).toContain('2 governed identities, 2 findings');
    });
  });

  // SYNTHETIC plans: no Google provider plugin on this machine, so these plan.json files are
  // derived from the synthesised cdk.tf.json (generate.ts, syntheticPlan: literals known,
  // interpolations unknown with their references, blocks as lists), not produced by Terraform.
  describe('Google, on SYNTHETIC plans (derived from cdk.tf.json in the plan format)', () => {
    test('Compliance (synthetic plan): a governed account with its two key slots verifies', () => {
      const r = nhi('verify', path.join(PLANS, 'google-synthetic-compliant', 'plan.json'));
      expect(r.stdout).toContain('1 governed identity, 0 findings');
      expect(r.code).toBe(0);
    });

    test('Noncompliance (synthetic plan): roles/owner on the project and a third key are NHI_SCOPE_WIDENED and NHI_CREDENTIAL_UNDECLARED', () => {
      const r = nhi('verify', path.join(PLANS, 'google-synthetic-widened', 'plan.json'));
      expect(r.stdout).toMatch(/^\[NHI_SCOPE_WIDENED\] google_project_iam_member at google-synthetic-widened\/Owner: .*grants roles\/owner on project acme-billing-prod/m);
      expect(r.stdout).toContain('[NHI_CREDENTIAL_UNDECLARED] google_service_account_key at google-synthetic-widened/ThirdKey');
      expect(r.stdout).toContain('1 governed identity, 2 findings');
      expect(r.code).toBe(1);
    });

    test('Compliance (synthetic plan): the key slots are declared by address (counting one key would report the second slot)', () => {
      const reg = JSON.parse(fs.readFileSync(path.join(PLANS, 'google-synthetic-compliant', 'nhi-register.json'), 'utf8'));
      expect(reg.identities[0].details.credentialResources).toEqual([expect.stringMatching(/^google_service_account_key\.Scanner_Key_/), expect.stringMatching(/^google_service_account_key\.Scanner_KeyB_/)]);
      const dir = tmpDir('nhi-verify-');
      fs.copyFileSync(path.join(PLANS, 'google-synthetic-compliant', 'plan.json'), path.join(dir, 'plan.json'));
      delete reg.identities[0].details.credentialResources;
      fs.writeFileSync(path.join(dir, 'nhi-register.json'), JSON.stringify(reg));
      expect(nhi('verify', path.join(dir, 'plan.json')).stdout).toContain('[NHI_CREDENTIAL_UNDECLARED] google_service_account_key at google_service_account_key.Scanner_KeyB_');
    });
  });

  test('Compliance: --format json lists findings with code, address, path and risks', () => {
    const r = nhi('verify', path.join(PLANS, 'bypasses', 'plan.json'), '--format', 'json');
    const json = JSON.parse(r.stdout);
    expect(json.identities).toBe(2);
    expect(json.findings.find((f: any) => f.code === 'NHI_CREDENTIAL_UNDECLARED' && f.type === 'aws_iam_user_ssh_key'))
      .toMatchObject({ address: 'aws_iam_user_ssh_key.Ssh', path: 'bypasses/Ssh', identity: 'bypasses/Uploader', risks: ['NHI2', 'NHI7'] });
  });

  test('Compliance: without the synthesised JSON beside the register, plan values and references still verify', () => {
    const dir = tmpDir('nhi-verify-');
    for (const f of ['plan.json', 'nhi-register.json']) fs.copyFileSync(path.join(PLANS, 'bypasses', f), path.join(dir, f));
    const r = nhi('verify', path.join(dir, 'plan.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[NHI_CREDENTIAL_UNDECLARED] aws_iam_user_ssh_key at aws_iam_user_ssh_key.Ssh');
    expect(r.stdout).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy_attachment at aws_iam_role_policy_attachment.Joined');
  });

  test('Compliance: a waiver in the register (resource type) accepts a finding', () => {
    const dir = tmpDir('nhi-verify-');
    fs.copyFileSync(path.join(PLANS, 'bypasses', 'plan.json'), path.join(dir, 'plan.json'));
    const reg = JSON.parse(fs.readFileSync(path.join(PLANS, 'bypasses', 'nhi-register.json'), 'utf8'));
    reg.waivers = [{ code: 'NHI_CREDENTIAL_UNDECLARED', resourceType: 'aws_iam_user_ssh_key', owner: { team: 'platform', contact: 'platform@example.com' }, reason: 'Legacy SFTP upload until the cutover', expires: '2027-01-31' }];
    fs.writeFileSync(path.join(dir, 'nhi-register.json'), JSON.stringify(reg));
    const r = nhi('verify', path.join(dir, 'plan.json'));
    expect(r.stdout).not.toContain('aws_iam_user_ssh_key at');
    expect(r.stdout).toMatch(/\d+ findings, 1 waived/);
  });

  test.each([
    ['a missing file', ['verify', 'no/such/plan.json'], /^nhi: error: no\/such\/plan\.json: cannot read the plan \(no such file\)\.\n$/],
    ['not JSON', ['verify', '__corrupt__'], /^nhi: error: .*: the plan is not valid JSON \(.*\)\.\n$/],
    ['JSON that is not a plan', ['verify', '__notplan__'], /^nhi: error: .*: not a Terraform plan: no planned_values \(use `terraform show -json plan.out`\)\.\n$/],
    ['no register', ['verify', '__noreg__'], /^nhi: error: .*: no nhi-register.json beside the plan; .*\n$/],
  ])('Noncompliance: %s is a one-line error with exit code 2', (_what, args, expected) => {
    const dir = tmpDir('nhi-verify-');
    fs.writeFileSync(path.join(dir, 'nhi-register.json'), fs.readFileSync(path.join(PLANS, 'compliant', 'nhi-register.json')));
    fs.writeFileSync(path.join(dir, 'corrupt.json'), '{"planned_values": ');
    fs.writeFileSync(path.join(dir, 'notplan.json'), '{"format_version": "1.2"}');
    const noreg = tmpDir('nhi-verify-');
    fs.copyFileSync(path.join(PLANS, 'compliant', 'plan.json'), path.join(noreg, 'plan.json'));
    const real = args.map((a) => (a === '__corrupt__' ? path.join(dir, 'corrupt.json') : a === '__notplan__' ? path.join(dir, 'notplan.json') : a === '__noreg__' ? path.join(noreg, 'plan.json') : a));
    const r = nhi(...real);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(expected);
  });

  test('Compliance: every value unknown at plan time becomes a reference (what the synth check sees)', () => {
    const plan = JSON.parse(fs.readFileSync(path.join(PLANS, 'bypasses', 'plan.json'), 'utf8'));
    const a = artifactFromPlan(plan);
    const bp = a.resources.find((r) => r.address === 'aws_s3_bucket_policy.BucketPolicy')!;
    expect(bp.values.policy).toMatch(/^\$\{/);
    const role = a.resources.find((r) => r.address === 'aws_iam_role.Reader_Role_0E4DB476')!;
    expect(role.values.managed_policy_arns).toBeUndefined(); // computed, not configured
  });
});
