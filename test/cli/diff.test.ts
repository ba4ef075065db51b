import { diffRegisters, trippedGates } from '../../lib/cli/diff';
import { Change, RegisterDiff, Severity } from '../../lib/cli/model';
import { renderDiffMarkdown } from '../../lib/cli/render-diff';
import { prose } from '../../lib/cli/util';
import * as fc from 'fast-check';
import { checkScopeWidening, resourceCovers } from '../../lib/core/rules/aws-widening';
import { covers, diffAwsScope, diffScope, googleRoleFamily, scopeDiffPaths } from '../../lib/cli/scope-diff';
import { synthOf, parseRegister } from '../../lib/cli/load';
import { alarm } from '../../lib/core/alarms';
import { addDays } from '../../lib/core/dates';
import { googleAlarm } from '../../lib/core/google-alarms';
import { RegisterEntry, renderRegister, renderRegisterV1 } from '../../lib/core/register';
import { accepted, grant, identity, TODAY } from './fixtures';
import { artifactFromTerraformJson, extractTerraformView } from '../../lib/core/artifact/terraform';
import { checkArtifact } from '../../lib/core/rules/artifact';

/** The NHI_TRUST_CHANGED finding of a governed AWS role whose synthesised trust policy is `doc`. */
function checkArtifactTrust(doc: unknown) {
  const d = {
    path: 'app/Reader', cloud: 'aws', addresses: ['aws_iam_role.r'], names: ['reader'], owned: ['aws_iam_role.r'], expiresAt: '2027-06-30T00:00:00Z',
    awsTrustPolicy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
  };
  const json = { resource: { aws_iam_role: { r: { name: 'reader', assume_role_policy: JSON.stringify(doc) } } } };
  return checkArtifact([d], extractTerraformView(artifactFromTerraformJson(json), [d])).map((f) => f.violation).filter((v) => v.code === 'NHI_TRUST_CHANGED');
}


const options = { today: TODAY };

function changes(base: any, head: any): Change[] {
  const d = diffRegisters({ identities: [base] }, { identities: [head] }, options);
  return d.identities.flatMap((i) => i.changes);
}

function kinds(cs: Change[]): string[] {
  return cs.map((c) => c.kind);
}

describe('diff: AWS scope, semantically', () => {
  test('s3:GetObject -> s3:Get* is a widening, with the new actions by access level and the wildcard called out', () => {
    const cs = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])], [grant(['s3:Get*'], ['arn:aws:s3:::b/*'])]);
    const widened = cs.find((c) => c.kind === 'scope-widened')!;
    expect(widened.summary).toMatch(/^scope widened \(`s3:GetObject` → `s3:Get\*`\): \+\d+ actions \(Read \d+/);
    expect(widened.widens).toBe(true);
    expect(widened.details!.join('\n')).toMatch(/^on `arn:aws:s3:::b\/\*`: Read: `s3:GetAccelerateConfiguration`, .* and \d+ more/);
    expect(widened.details!.join('\n')).not.toContain('`s3:GetObject`,');
    expect(cs.find((c) => c.kind === 'action-wildcard')!.summary).toMatch(/`s3:Get\*` matches \d+ actions today and any AWS adds later/);
    expect(kinds(cs)).not.toContain('scope-narrowed');
  });

  test('s3:* -> s3:GetObject is a narrowing only (good news)', () => {
    const cs = diffScope([grant(['s3:*'], ['arn:aws:s3:::b/*'])], [grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])]);
    expect(kinds(cs)).toEqual(['scope-narrowed']);
    expect(cs[0].severity).toBe('info');
    expect(cs[0].good).toBe(true);
    expect(cs[0].summary).toMatch(/`s3:\*` → `s3:GetObject`\): −\d+ actions \(Permissions management \d+, Write \d+/);
  });

  test('replacing a wildcard by the actions it covers, or splitting grants, is the same access', () => {
    const all = ['s3:GetObject', 's3:GetObjectAcl'];
    expect(kinds(diffScope([grant(all, ['arn:aws:s3:::b/*'])], [grant(['s3:GetObject'], ['arn:aws:s3:::b/*']), grant(['s3:GetObjectAcl'], ['arn:aws:s3:::b/*'])])))
      .toEqual(['scope-rewritten']);
  });

  test('a new Write action is high; a new Read action medium', () => {
    const w = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])], [grant(['s3:GetObject', 's3:PutObject'], ['arn:aws:s3:::b/*'])]);
    expect(w[0]).toMatchObject({ kind: 'scope-widened', severity: 'high' });
    expect(w[0].summary).toContain('+1 action (Write 1)');
    const r = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])], [grant(['s3:GetObject', 's3:GetObjectTagging'], ['arn:aws:s3:::b/*'])]);
    expect(r[0]).toMatchObject({ kind: 'scope-widened', severity: 'medium' });
  });

  test('newly privileged and credential-exposing actions are called out as critical', () => {
    const cs = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])], [
      grant(['s3:GetObject'], ['arn:aws:s3:::b/*']),
      grant(['iam:PassRole'], ['arn:aws:iam::123456789012:role/job'], 'Starts the job with its role'),
      grant(['secretsmanager:GetSecretValue'], ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf']),
    ]);
    const p = cs.find((c) => c.kind === 'privileged-added')!;
    expect(p.severity).toBe('critical');
    expect(p.summary).toContain('`iam:PassRole` (privilege escalation)');
    expect(p.summary).toContain('`secretsmanager:GetSecretValue` (exposes credentials)');
    expect(p.details!.join('\n')).toContain('justification: “Starts the job with its role”');
    expect(p.details!.join('\n')).toContain('no justification');
  });

  test('permissions management is privileged', () => {
    const cs = diffScope([grant(['iam:GetRole'], ['arn:aws:iam::1:role/x'])], [grant(['iam:GetRole', 'iam:PutRolePolicy'], ['arn:aws:iam::1:role/x'])]);
    expect(cs.find((c) => c.kind === 'privileged-added')!.summary).toContain('`iam:PutRolePolicy` (permissions management)');
  });

  test('a resource wildcard over a whole type is called out; a narrower one inside a bucket widens without the call-out', () => {
    const all = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/reports/*'])], [grant(['s3:GetObject'], ['arn:aws:s3:::*'])]);
    expect(all.find((c) => c.kind === 'resource-wildcard')!.summary).toBe('resource wildcard introduced: `arn:aws:s3:::*` covers every resource of its type');
    const star = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])], [grant(['s3:GetObject'], ['*'])]);
    expect(star.find((c) => c.kind === 'resource-wildcard')!.summary).toContain('in the account');
    const inside = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/reports/*'])], [grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])]);
    expect(kinds(inside)).toEqual(['scope-widened']);
    expect(inside[0].summary).toContain('on `arn:aws:s3:::b/*`');
  });

  test('a resource of `?` wildcards alone is called out like `*` (every table or bucket with a name of that length)', () => {
    const table = diffScope([grant(['dynamodb:GetItem'], ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'])],
      [grant(['dynamodb:GetItem'], ['arn:aws:dynamodb:eu-west-1:123456789012:table/??????'])]);
    expect(table.find((c) => c.kind === 'resource-wildcard')!.summary).toContain('`arn:aws:dynamodb:eu-west-1:123456789012:table/??????` covers every resource of its type');
    const bucket = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])], [grant(['s3:GetObject'], ['arn:aws:s3:::??????/*'])]);
    expect(kinds(bucket)).toContain('resource-wildcard');
    // A `?` inside a named resource narrows, as `*` does there.
    const inside = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/r1'])], [grant(['s3:GetObject'], ['arn:aws:s3:::b/r?'])]);
    expect(kinds(inside)).not.toContain('resource-wildcard');
  });

  test('a prefix wildcard in a resource name is called out: high where names are global (S3), else medium', () => {
    const bucket = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::acme-billing/*'])], [grant(['s3:GetObject'], ['arn:aws:s3:::acme-*/*'])]);
    expect(bucket.filter((c) => c.kind.startsWith('resource-'))).toEqual([expect.objectContaining({ kind: 'resource-prefix-wildcard', severity: 'high', widens: true,
      summary: 'resource prefix wildcard introduced: `arn:aws:s3:::acme-*/*` covers every resource of its type whose name matches, also ones created later — in any account (the names are global)' })]);
    const table = diffScope([grant(['dynamodb:GetItem'], ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'])],
      [grant(['dynamodb:GetItem'], ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders-*'])]);
    expect(table.filter((c) => c.kind.startsWith('resource-'))).toEqual([expect.objectContaining({ kind: 'resource-prefix-wildcard', severity: 'medium', widens: true,
      summary: 'resource prefix wildcard introduced: `arn:aws:dynamodb:eu-west-1:123456789012:table/orders-*` covers every resource of its type whose name matches, also ones created later' })]);
    // Already granted in base: no call-out; inside a named resource, or a secret's random suffix: none either.
    expect(kinds(diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::acme-*/*'])], [grant(['s3:GetObject', 's3:GetObjectTagging'], ['arn:aws:s3:::acme-*/*'])]))).toEqual(['scope-widened']);
    expect(kinds(diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/r1'])], [grant(['s3:GetObject'], ['arn:aws:s3:::b/r*'])]))).toEqual(['scope-widened']);
    expect(kinds(diffScope([grant(['secretsmanager:DescribeSecret'], ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:other-AbCdEf'])],
      [grant(['secretsmanager:DescribeSecret'], ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-??????'])]))).toEqual(['scope-widened', 'scope-narrowed']);
  });

  test('a region or account wildcard is called out: every account high, every region medium', () => {
    const q = (arn: string) => diffScope([grant(['sqs:SendMessage'], ['arn:aws:sqs:eu-west-1:123456789012:jobs'])], [grant(['sqs:SendMessage'], [arn])])
      .filter((c) => c.kind.startsWith('resource-')).map((c) => [c.kind, c.severity, c.summary]);
    expect(q('arn:aws:sqs:*:123456789012:jobs')).toEqual([['resource-location-wildcard', 'medium', 'resource region wildcard introduced: `arn:aws:sqs:*:123456789012:jobs` covers the resource in every region']]);
    expect(q('arn:aws:sqs:eu-west-1:*:jobs')).toEqual([['resource-location-wildcard', 'high', 'resource account wildcard introduced: `arn:aws:sqs:eu-west-1:*:jobs` covers the resource in every account, other organisations\' too']]);
    expect(q('arn:aws:sqs:*:*:jobs')).toEqual([['resource-location-wildcard', 'high', 'resource region and account wildcard introduced: `arn:aws:sqs:*:*:jobs` covers the resource in every region and every account, other organisations\' too']]);
    expect(q('arn:aws:sqs:eu-west-1:12345678901?:jobs')[0]).toEqual(expect.arrayContaining(['resource-location-wildcard', 'high']));
    // With a prefix wildcard too: both said; over a whole type: the resource wildcard alone.
    expect(q('arn:aws:sqs:*:123456789012:jobs-*').map((c) => c[0])).toEqual(['resource-prefix-wildcard', 'resource-location-wildcard']);
    expect(q('arn:aws:sqs:*:*:*').map((c) => c[0])).toEqual(['resource-wildcard']);
  });

  test('`*` for actions without resource types is not a resource wildcard', () => {
    const cs = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])], [grant(['s3:GetObject'], ['arn:aws:s3:::b/*']), grant(['sts:GetCallerIdentity'], ['*'])]);
    expect(kinds(cs)).toEqual(['scope-widened']);
  });

  test('an open-ended action (`*`) is critical', () => {
    const cs = diffScope([grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])], [grant(['*'], ['arn:aws:s3:::b/*'])]);
    expect(cs[0]).toMatchObject({ kind: 'scope-widened', severity: 'critical', privileged: true });
    expect(cs[0].summary).toContain('every action');
    expect(cs.find((c) => c.kind === 'action-wildcard')!.severity).toBe('critical');
  });

  test('a justification rewritten on an existing grant is reported', () => {
    const cs = diffScope([grant(['iam:PassRole'], ['arn:aws:iam::1:role/x'], 'Starts the job with its role')], [grant(['iam:PassRole'], ['arn:aws:iam::1:role/x'], 'Runs the export job as its role')]);
    expect(cs.map((c) => c.summary)).toEqual([
      'grant of `iam:PassRole`: justification now reads “Runs the export job as its role”',
      'grant justification “Starts the job with its role” removed',
    ]);
  });
});

describe('diff: resource patterns', () => {
  test('property: covers (case folded in place for ASCII) agrees with the core resourceCovers, any case, any characters', () => {
    const ch = fc.constantFrom('a', 'B', 'z', 'Z', '*', '?', '/', ':', 'İ', 'ß', 'Σ', 'ς', 'é', 'K');
    const str = fc.array(ch, { maxLength: 8 }).map((xs) => xs.join(''));
    fc.assert(fc.property(str, str, (p, r) => covers(p, r) === resourceCovers(p, r)), { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) });
    expect(covers('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bUCKET/Key')).toBe(true);
    expect(covers('arn:aws:s3:::b/?', 'arn:aws:s3:::b/AB')).toBe(false);
    // Found by CI's 10,000 runs: Σ, σ and ς are one letter to the core's matching.
    expect(covers('*Σ', 'ς')).toBe(resourceCovers('*Σ', 'ς'));
    expect(covers('*Σ', 'ς')).toBe(true);
  });
});

describe('diff: Google roles, API keys and unknown scope shapes', () => {
  test('role families', () => {
    expect(googleRoleFamily('roles/editor')).toMatchObject({ severity: 'critical', privileged: true });
    expect(googleRoleFamily('roles/storage.admin')).toMatchObject({ family: 'administrator role', privileged: true });
    expect(googleRoleFamily('roles/iam.securityAdmin')).toMatchObject({ family: 'administrator role' });
    expect(googleRoleFamily('roles/iam.serviceAccountUser').family).toMatch(/impersonation/);
    expect(googleRoleFamily('roles/secretmanager.secretAccessor').family).toMatch(/secrets/);
    expect(googleRoleFamily('roles/storage.objectViewer')).toMatchObject({ family: 'read', severity: 'medium' });
    expect(googleRoleFamily('roles/storage.objectCreator')).toMatchObject({ family: 'read-write', severity: 'high' });
    expect(googleRoleFamily('projects/acme/roles/custom')).toMatchObject({ severity: 'high' });
  });

  test('a custom role of the stack: a new grant is judged by the permissions listed; a register without them cannot say what changed', () => {
    const role = '${google_project_iam_custom_role.Reader.name}';
    const grant = (permissions?: unknown) => ({ role, on: 'bucket', resource: 'exports', privileged: false, custom: true, ...(permissions !== undefined ? { permissions } : {}) });
    const kinds = (cs: ReturnType<typeof diffScope>) => cs.map((c) => [c.kind, c.severity, c.widens ?? false, c.privileged ?? false]);
    // New grants: read (medium), read-write (high), privileged (critical), not the name's "permissions not in the register".
    expect(kinds(diffScope([], [grant(['storage.objects.get', 'storage.objects.list'])]))).toEqual([['scope-widened', 'medium', true, false]]);
    expect(diffScope([], [grant(['storage.objects.get'])])[0].summary).toContain('custom role: read');
    expect(diffScope([], [grant(['storage.objects.get'])])[0].details).toEqual(['permissions of the custom role: `storage.objects.get`']);
    expect(kinds(diffScope([], [grant(['storage.objects.create'])]))).toEqual([['scope-widened', 'high', true, false]]);
    expect(kinds(diffScope([], [grant(['storage.buckets.setIamPolicy'])]))).toEqual([['scope-widened', 'critical', true, true], ['privileged-added', 'critical', true, true]]);
    // The base register does not list them (an earlier version, or the role was defined elsewhere): information only.
    const first = diffScope([grant()], [grant(['storage.objects.get'])]);
    expect(kinds(first)).toEqual([['scope-rewritten', 'info', false, false]]);
    expect(first[0].summary).toContain('listed for the first time');
    // The head no longer lists them: the reviewer is told the register stopped saying what the role holds.
    const gone = diffScope([grant(['storage.objects.get'])], [grant()]);
    expect(kinds(gone)).toEqual([['scope-rewritten', 'medium', false, false]]);
    expect(gone[0].summary).toContain('no longer in the register');
    // A hand-edited register with permissions of another shape gives a result, not an exception.
    for (const bad of ['storage.objects.get', null, 7, [{ p: 1 }], [null]]) {
      expect(() => diffScope([grant(['storage.objects.get'])], [grant(bad)])).not.toThrow();
    }
  });

  test('a new binding is classified; a binding moved from a bucket to the project is a widening', () => {
    const viewer = { role: 'roles/storage.objectViewer', on: 'bucket', resource: 'exports', privileged: false };
    const cs = diffScope([viewer], [viewer, { role: 'roles/iam.serviceAccountUser', on: 'project', resource: 'acme', justification: 'Deploys Cloud Run as the runtime account' }]);
    expect(cs[0]).toMatchObject({ kind: 'scope-widened', severity: 'critical', privileged: true });
    expect(cs[0].summary).toBe('role `roles/iam.serviceAccountUser` granted on project `acme` (impersonation: acts as or mints credentials of service accounts)');
    expect(cs[1].kind).toBe('privileged-added');
    const moved = diffScope([viewer], [{ ...viewer, on: 'project', resource: 'acme' }]);
    expect(moved.map((c) => [c.kind, c.severity, c.summary])).toEqual([
      ['scope-widened', 'high', 'role `roles/storage.objectViewer` widened from bucket `exports` to the whole project `acme` (read)'],
    ]);
    expect(diffScope([viewer], []).map((c) => c.summary)).toEqual(['role `roles/storage.objectViewer` on bucket `exports` removed']);
  });

  test('API stages and API targets as sets', () => {
    const cs = diffScope([{ restApiId: 'a', stage: 'prod' }], [{ restApiId: 'a', stage: 'prod' }, { restApiId: 'a', stage: 'admin' }]);
    expect(cs.map((c) => c.summary)).toEqual(['can now call 1 API stage: `a/admin`']);
    const t = diffScope([{ service: 'geo.googleapis.com', methods: ['Get'] }], [{ service: 'geo.googleapis.com', methods: null }]);
    expect(t.map((c) => c.summary)).toEqual(['`geo.googleapis.com` widened from 1 method to every method']);
  });

  test('unknown shapes are compared structurally', () => {
    const cs = diffScope([{ thing: 1 }], [{ thing: 1 }, { thing: 2, nested: { a: [1] } }]);
    expect(cs[0].summary).toBe('1 scope entry added (shape not analysed): `{"nested":{"a":[1]},"thing":2}`');
    expect(kinds(diffScope([{ a: 1 }, { b: 2 }], [{ b: 2 }, { a: 1 }]))).toEqual(['scope-rewritten']);
  });
});

describe('diff: identity fields', () => {
  test('expiry extended within and beyond the policy limit; brought forward', () => {
    const within = changes(identity(), identity({ expires: '2027-08-31' }));
    expect(within).toEqual([expect.objectContaining({ kind: 'expiry-extended', severity: 'medium', expiryExtended: true,
      summary: 'expiry extended by 62 days: 2027-06-30 → 2027-08-31 (281 days from today, within the 365-day limit)' })]);
    const beyond = changes(identity(), identity({ expires: '2028-01-31' }));
    expect(beyond[0]).toMatchObject({ severity: 'high', summary: expect.stringContaining('434 days from today, beyond the 365-day policy limit') });
    expect(changes(identity(), identity({ expires: '2027-01-31' }))[0]).toMatchObject({ kind: 'expiry-shortened', good: true });
  });

  test('an expiry extension that keeps the same approval ticket is flagged as not re-attested', () => {
    const approval = { ticket: 'SEC-1', approvedBy: 'lead@example.com' };
    const same = changes(identity({ approval }), identity({ approval, expires: '2027-08-31' }));
    expect(kinds(same)).toEqual(['expiry-extended', 'expiry-not-reattested']);
    expect(same[1]).toMatchObject({ severity: 'high', summary: expect.stringContaining('ticket `SEC-1` is unchanged') });
    const renewed = changes(identity({ approval }), identity({ approval: { ticket: 'SEC-2' }, expires: '2027-08-31' }));
    expect(kinds(renewed)).toEqual(['expiry-extended', 'approval-changed']);
  });

  test('rotation weakened (above the policy maximum), strengthened, removed while a key remains', () => {
    const key = { credentials: 'access-key', rotation: { days: 30 } };
    expect(changes(identity(key), identity({ ...key, rotation: { days: 60 } }))[0]).toMatchObject({ kind: 'rotation-weakened', severity: 'medium' });
    expect(changes(identity(key), identity({ ...key, rotation: { days: 120 } }))[0].summary).toBe('rotation weakened: every 30 days → every 120 days — above the 90-day policy maximum');
    expect(changes(identity(key), identity({ ...key, rotation: { days: 7 } }))[0]).toMatchObject({ kind: 'rotation-strengthened', severity: 'info' });
    expect(changes(identity(key), identity({ ...key, rotation: null }))[0]).toMatchObject({ kind: 'rotation-removed', severity: 'high' });
  });

  test('static credentials introduced and removed', () => {
    const cs = changes(identity(), identity({ credentials: 'access-key', rotation: { days: 30 } }));
    expect(cs[0]).toMatchObject({ kind: 'credentials-added', severity: 'high', widens: true });
    const gone = changes(identity({ credentials: 'access-key', rotation: { days: 30 } }), identity());
    expect(kinds(gone)).toEqual(['credentials-removed', 'rotation-removed']);
    expect(gone.every((c) => c.severity === 'info')).toBe(true);
  });

  test('owner, purpose, alarms, trust and lifecycle fields', () => {
    const base = identity({ details: { trust: { oidc: { subject: 'repo:acme/site:ref:refs/heads/main' } } } });
    const head = identity({
      owner: { team: 'platform', contact: 'platform@example.com' },
      purpose: 'Reads nightly billing exports for the audit',
      alarms: [base.alarms[0]],
      environment: 'prod',
      vendor: { name: 'Globex', contact: 'ops@globex.example' },
      details: { trust: { oidc: { subject: 'repo:acme/site:*' } } },
    });
    expect(changes(base, head).map((c) => [c.kind, c.severity, c.summary])).toEqual([
      ['owner-changed', 'medium', 'owner billing (billing@example.com) → platform (platform@example.com): alarms and reminders now go to the new owner'],
      ['purpose-changed', 'low', 'purpose “Reads nightly billing exports for the report” → “Reads nightly billing exports for the audit”'],
      ['alarm-removed', 'medium', 'alarm `access-denied` removed: the owner is no longer told when CloudTrail records an AccessDenied error for the identity'],
      ['environment-changed', 'medium', 'environment (none) → `prod`'],
      ['vendor-added', 'medium', 'now used by a third party: Globex'],
      ['trust-changed', 'high', 'who can use it: `trust.oidc.subject` `repo:acme/site:ref:refs/heads/main` → `repo:acme/site:*` — wildcard introduced'],
    ]);
  });

  test('a trust value that becomes a `?` pattern is a wildcard introduced', () => {
    const base = identity({ details: { trust: { oidc: { subject: 'repo:acme/site:ref:refs/heads/main' } } } });
    const head = identity({ details: { trust: { oidc: { subject: 'repo:acme/site:ref:refs/heads/ma??' } } } });
    expect(changes(base, head).map((c) => [c.kind, c.severity])).toEqual([['trust-changed', 'high']]);
  });

  test('alarm descriptions that only follow the expiry are not changes', () => {
    const head = identity({ alarms: identity().alarms.map((a: any) => ({ ...a, description: a.description.replace(/2027/g, '2028') })) });
    expect(changes(identity(), head)).toEqual([]);
  });
});

describe('diffRegisters', () => {
  const a = identity({ path: 'app/A', name: 'a' });
  const b = identity({ path: 'app/B', name: 'b', credentials: 'access-key', rotation: { days: 30 } });

  test('added identities widen access; removed ones are offboarding, good news', () => {
    const d = diffRegisters({ identities: [b] }, { identities: [a] }, options);
    expect(d.identities.map((i) => [i.path, i.status, i.severity])).toEqual([['app/A', 'added', 'low'], ['app/B', 'removed', 'info']]);
    expect(d.identities[0].changes[0].summary).toBe('new aws service-account: Read 1 on 1 resource, expires 2027-06-30');
    expect(d.identities[1].changes[0]).toMatchObject({ good: true, summary: expect.stringMatching(/^offboarded \(good news\)/) });
    expect(d.counts).toMatchObject({ added: 1, removed: 1, changed: 0, widened: 1 });
    expect(d.verdict).toBe('Widens access of 1 identity (1 new); offboards 1 identity.');
  });

  test('only good news', () => {
    const d = diffRegisters({ identities: [a, b] }, { identities: [a] }, options);
    expect(d.severity).toBe('info');
    expect(d.verdict).toBe('Good news: offboards 1 identity.');
  });

  test('nothing changed', () => {
    const d = diffRegisters({ identities: [a, b] }, { identities: [b, a] }, options);
    expect(d).toMatchObject({ identities: [], waivers: [], verdict: 'No change to non-human identities.', counts: { unchanged: 2 } });
    expect(d.severity).toBeUndefined();
  });

  test('a construct moved to another path is one identity', () => {
    const moved = { ...a, path: 'app/Nested/A' };
    const d = diffRegisters({ identities: [a] }, { identities: [moved] }, options);
    expect(d.identities).toHaveLength(1);
    expect(d.identities[0]).toMatchObject({ status: 'moved', from: 'app/A', path: 'app/Nested/A' });
  });

  test('waivers added and extended join their identity; others are listed apart', () => {
    const w = { code: 'NHI_SCOPE_PRIVILEGED', path: 'app/A', owner: { team: 'sec', contact: 's@example.com' }, reason: 'Legacy job until migration', expires: '2027-01-31', stack: 'app' };
    const t = { code: 'NHI_UNGOVERNED_IDENTITY', resourceType: 'aws_iam_user', owner: w.owner, reason: 'Legacy users until migration', expires: '2027-01-31', stack: 'app' };
    const d = diffRegisters({ identities: [a], waivers: [t] }, { identities: [a], waivers: [w, { ...t, expires: '2027-03-31' }] }, options);
    expect(d.identities.map((i) => [i.path, i.changes.map((c) => c.kind)])).toEqual([['app/A', ['waiver-added']]]);
    expect(d.waivers).toEqual([expect.objectContaining({ target: 'aws_iam_user', changes: [expect.objectContaining({ kind: 'waiver-extended', expiryExtended: true })] })]);
    expect(d.counts.expiryExtended).toBe(1);
    expect(d.verdict).toBe('Adds or extends 2 waivers.');
  });

  test('the verdict and the counts name every kind of change, each identity counted once', () => {
    const at = (n: number, o: Record<string, unknown> = {}) => identity({ path: `app/I${n}`, name: `i${n}`, ...o });
    const keyed = { credentials: 'access-key', rotation: { days: 30 } };
    const alarms = identity().alarms;
    const base = [
      at(1), at(2), at(3, keyed), at(4, keyed), at(5), at(6), at(7), at(8), at(9),
      at(10, { scope: [grant(['s3:GetObject', 's3:PutObject'], ['arn:aws:s3:::b/*'])] }),
    ];
    const head = [
      // Widened twice over (a new action and a privileged one) and extended within the limit: one identity each way.
      at(1, { expires: '2027-08-31', scope: [grant(['s3:GetObject', 's3:PutObject'], ['arn:aws:s3:::b/*']), grant(['iam:PassRole'], ['arn:aws:iam::1:role/x'], 'Starts the job')] }),
      at(2, { expires: '2028-06-30' }), // extended beyond the 365-day limit
      at(3, { ...keyed, rotation: { days: 60 } }), // rotation weakened
      at(4, { ...keyed, rotation: null }), // rotation removed while the key stays
      at(5, { alarms: alarms.slice(1) }), // alarm removed
      at(6, { owner: { team: 'payments', contact: 'payments@example.com' } }),
      at(7, { expires: '2027-05-31' }), // shortened: good news, not in the verdict
      at(9), // unchanged
      at(10), // narrowed
      at(11), // new
    ]; // app/I8 offboarded
    const waiver = { code: 'NHI_SCOPE_PRIVILEGED', path: 'app/I9', owner: { team: 'sec', contact: 's@example.com' }, reason: 'Legacy job', expires: '2027-01-31', stack: 'app' };
    const d = diffRegisters({ identities: base }, { identities: head, waivers: [waiver] }, options);
    expect(d.counts).toEqual({ added: 1, removed: 1, changed: 9, unchanged: 0, widened: 2, privileged: 1, expiryExtended: 2 });
    expect(d.severity).toBe('critical');
    expect(d.verdict).toBe('Widens access of 2 identities (1 new, 1 privileged); extends 2 expiries (1 beyond the 365-day limit); weakens 2 rotations; ' +
      'removes alarms of 1 identity; changes 1 owner; adds or extends 1 waiver; narrows access of 1 identity; offboards 1 identity.');
    const good = diffRegisters({ identities: [at(7), at(8)] }, { identities: [at(7, { expires: '2027-05-31' })] }, options);
    expect([good.severity, good.verdict, good.counts.changed]).toEqual(['info', 'Good news: offboards 1 identity.', 1]);
  });

  test('--fail-on gates', () => {
    const widened = diffRegisters({ identities: [a] }, { identities: [{ ...a, scope: [grant(['s3:GetObject', 's3:PutObject'], ['arn:aws:s3:::b/*'])] }] }, options);
    expect(trippedGates(widened, ['widened'])).toEqual(['widened: 1 identity gained access']);
    expect(trippedGates(widened, ['privileged', 'expiry-extended', 'none'])).toEqual([]);
    const priv = diffRegisters({ identities: [a] }, { identities: [{ ...a, scope: [grant(['iam:PassRole'], ['arn:aws:iam::1:role/x'], 'Starts the job as its role')] }] }, options);
    expect(trippedGates(priv, ['privileged'])).toHaveLength(1);
    const ext = diffRegisters({ identities: [a] }, { identities: [{ ...a, expires: '2027-07-31' }] }, options);
    expect(trippedGates(ext, ['expiry-extended'])).toEqual(['expiry-extended: 1 expiry extended']);
    expect(trippedGates(ext, ['widened'])).toEqual([]);
  });
});

describe('diff: what a reviewer must see (issue 14)', () => {
  test('a narrowing from incoming/* to incoming/site-a/* shows the old and the new resources, also in JSON', () => {
    const base = identity({ scope: [grant(['s3:PutObject'], ['arn:aws:s3:::drop/incoming/*'])] });
    const head = identity({ scope: [grant(['s3:PutObject'], ['arn:aws:s3:::drop/incoming/site-a/*'])] });
    const d = diffRegisters({ identities: [base] }, { identities: [head] }, options);
    const narrowed = d.identities[0].changes.find((c) => c.kind === 'scope-narrowed')!;
    expect(narrowed.summary).toBe('scope narrowed (resources changed): −1 action (Write 1) on `arn:aws:s3:::drop/incoming/*`; still granted on `arn:aws:s3:::drop/incoming/site-a/*`');
    expect(JSON.parse(JSON.stringify(d)).identities[0].changes[0].resources).toEqual({ before: ['arn:aws:s3:::drop/incoming/*'], after: ['arn:aws:s3:::drop/incoming/site-a/*'] });
    // And back: a widening names where the access was before.
    const back = diffRegisters({ identities: [head] }, { identities: [base] }, options).identities[0].changes.find((c) => c.kind === 'scope-widened')!;
    expect(back.summary).toBe('scope widened (resources changed): +1 action (Write 1) on `arn:aws:s3:::drop/incoming/*`; before only on `arn:aws:s3:::drop/incoming/site-a/*`');
    expect(back.resources).toEqual({ before: ['arn:aws:s3:::drop/incoming/site-a/*'], after: ['arn:aws:s3:::drop/incoming/*'] });
  });

  test('reordering grants, actions or resources with identical access is silent (no change, no comment)', () => {
    const a = grant(['s3:GetObject', 's3:ListBucket'], ['arn:aws:s3:::b', 'arn:aws:s3:::b/*']);
    const b = grant(['sqs:SendMessage'], ['arn:aws:sqs:eu-west-1:1:q']);
    const reordered = { ...a, actions: [...a.actions].reverse(), resources: [...a.resources].reverse() };
    const d = diffRegisters({ identities: [identity({ scope: [a, b] })] }, { identities: [identity({ scope: [b, reordered] })] }, options);
    expect(d.identities).toEqual([]);
    expect(d.counts.unchanged).toBe(1);
    expect(d.verdict).toBe('No change to non-human identities.');
    // A real change in the same reordering is still reported.
    const more = diffRegisters({ identities: [identity({ scope: [a, b] })] }, { identities: [identity({ scope: [b, grant(['s3:GetObject'], ['arn:aws:s3:::b/*'])] })] }, options);
    expect(more.identities[0].changes.map((c) => c.kind)).toEqual(['scope-narrowed']);
  });

  test('the worst cases of the benchmark give the same verdicts as a small diff (s3:Get*, s3:* on every bucket)', () => {
    const base = identity({ scope: [grant(['s3:GetObject', 'dynamodb:GetItem'], ['arn:aws:s3:::b-1/*', 'arn:aws:dynamodb:eu-west-1:1:table/t-1'])] });
    const getStar = identity({ scope: [grant(['s3:Get*', 'dynamodb:GetItem'], ['arn:aws:s3:::b-1/*', 'arn:aws:dynamodb:eu-west-1:1:table/t-1'])] });
    const cs = diffScope(base.scope, getStar.scope);
    expect(cs.map((c) => c.kind)).toEqual(['scope-widened', 'action-wildcard']);
    expect(cs[0].details).toHaveLength(1);
    expect(cs[0].details![0]).toMatch(/^on `arn:aws:dynamodb:eu-west-1:1:table\/t-1`, `arn:aws:s3:::b-1\/\*`: Read: /);
    const all = diffScope(base.scope, [...base.scope, grant(['s3:*'], ['arn:aws:s3:::*'])]);
    expect(all.map((c) => c.kind)).toEqual(['scope-widened', 'privileged-added', 'action-wildcard', 'resource-wildcard']);
    expect(all[0].summary).toMatch(/^scope widened \(added `s3:\*`\): \+\d+ actions \(Permissions management \d+, Write \d+, Tagging \d+, Read \d+, List \d+\) on `arn:aws:s3:::\*`; before only on /);
    // Shared results are not shared state: two identities widened alike get equal, independent answers.
    expect(diffScope(base.scope, [...base.scope, grant(['s3:*'], ['arn:aws:s3:::*'])])).toEqual(all);
  });
});

describe('markdown rows of a large diff', () => {
  test('the first rows, most severe first, by target, identities before waivers: the same whether or not the whole list is sorted', () => {
    const sev: Severity[] = ['info', 'critical', 'medium', 'low', 'high'];
    const change = (n: number): Change => ({ kind: 'k', severity: sev[n % sev.length], summary: `change ${n}` });
    const identities = Array.from({ length: 40 }, (_, i) => ({
      path: `app/I${String(i).padStart(2, '0')}`, status: 'changed' as const, cloud: 'aws', kind: 'service-account',
      owner: { team: `t${i % 3}`, contact: 'c' }, purpose: 'p', changes: [change(i), change(i * 7 + 1), change(i * 3 + 2)], severity: 'critical' as Severity,
    }));
    // Waiver targets between, before, after and equal to identity paths.
    const waivers = ['app/I05x', 'app/I17', 'app/I39z', 'aws_iam_user', 'a'].sort().map((target, i) => ({ target, changes: [change(i), change(i + 2)], severity: 'critical' as Severity }));
    const diff: RegisterDiff = {
      today: TODAY, identities, waivers, verdict: 'v', severity: 'critical',
      counts: { added: 0, removed: 0, changed: 40, unchanged: 0, widened: 0, privileged: 0, expiryExtended: 0 },
    };
    const unsorted: RegisterDiff = { ...diff, identities: [...identities].reverse() };
    for (const maxRows of [1, 3, 10, 50, 131, 200]) {
      const md = renderDiffMarkdown(diff, { maxRows });
      // The reversed list cannot be merged: it is sorted whole (the order of the rows is the same).
      const table = (x: string) => x.split('\n').filter((l) => l.startsWith('| ') || l.startsWith('…and'));
      expect(table(md)).toEqual(table(renderDiffMarkdown(unsorted, { maxRows })));
    }
    const first = renderDiffMarkdown(diff, { maxRows: 4 }).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Severity'));
    // Critical changes: n % 5 === 1 (identity i has changes i, 7i+1, 3i+2; waiver app/I05x has change 1).
    expect(first).toEqual([
      '| 🔴 critical | `app/I00` | t0 | change 1 |',
      '| 🔴 critical | `app/I01` | t1 | change 1 |',
      '| 🔴 critical | `app/I03` | t0 | change 11 |',
      '| 🔴 critical | `app/I05` | t2 | change 36 |',
    ]);
    expect(renderDiffMarkdown(diff, { maxRows: 5 })).toContain('| 🔴 critical | `app/I05x` |  | change 1 |');
  });
});


describe('diff: a grant whose resources did not change (the common case, compared without matching resources)', () => {
  test('property: the same changes as the general comparison, both ways', () => {
    const pattern = fc.constantFrom('s3:GetObject', 's3:Get*', 's3:*', '*', 'nope:Thing', 'nope:*', 'iam:PassRole', 'kms:Decrypt', 'S3:getobject', 's3:NoSuchAction', 'sqs:*', 'ec2:Describe*');
    const resource = fc.constantFrom('arn:aws:s3:::b/*', 'arn:aws:s3:::b', '*', 'arn:aws:s3:::*', 'arn:aws:iam::1:role/x', 'arn:aws:s3:::B/*');
    const actions = fc.array(fc.oneof(pattern, pattern.map((action) => ({ action, accessLevel: 'Read', privileged: false }))), { maxLength: 4 });
    const justification = fc.option(fc.constantFrom('why', 'because'), { nil: undefined });
    fc.assert(fc.property(actions, actions, fc.array(resource, { maxLength: 3 }), justification, justification, (a, b, rs, ja, jb) => {
      const base = [{ actions: a, resources: rs, ...(ja ? { justification: ja } : {}) }];
      const head = [{ actions: b, resources: [...rs], ...(jb ? { justification: jb } : {}) }];
      const both = () => JSON.stringify([diffAwsScope(base, head), diffAwsScope(head, base)]);
      const fast = both();
      scopeDiffPaths.sameResources = false;
      try {
        expect(fast).toBe(both());
      } finally {
        scopeDiffPaths.sameResources = true;
      }
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 300) });
  });
});

describe('diff: version-2 registers compared compactly give what their full expansion gives', () => {
  // `nhi diff` leaves a version-2 entry compact while it can: entries equal but for the owner key
  // are unchanged, entries equal but for the scope differ only in the scope. Checked against the
  // same registers read in full (every identity expanded, then compared field by field).
  const OWNERS = [{ team: 'billing', contact: 'billing@example.com' }, { team: 'billing', contact: 'other@example.com' }, { team: 'ops', contact: 'ops@example.com' }];
  const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:Get*', 'iam:PassRole', 'sqs:*', 'nope:Nothing', 's3:NoSuchAction', 'kms:Decrypt'];
  const RESOURCES = ['arn:aws:s3:::b/*', 'arn:aws:s3:::b', 'arn:aws:s3:::*', '*'];

  /** One identity's facts, from which base and head are drawn. */
  const facts = fc.record({
    google: fc.boolean(), key: fc.boolean(), owner: fc.nat(2), expires: fc.constantFrom('2027-06-30', '2027-09-30'),
    purpose: fc.constantFrom('Reads billing exports', 'Writes billing exports'), notifies: fc.constantFrom('owner', 'topic'),
    actions: fc.uniqueArray(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 }), resources: fc.uniqueArray(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 2 }),
    wrongLevel: fc.boolean(), system: fc.option(fc.constantFrom('billing', 'reports'), { nil: undefined }), controls: fc.boolean(), trust: fc.constantFrom('lambda.amazonaws.com', '*'),
    role: fc.constantFrom('roles/bigquery.dataViewer', 'roles/storage.admin'),
  });
  type Facts = typeof facts extends fc.Arbitrary<infer T> ? T : never;

  function entryOf(path: string, f: Facts): RegisterEntry {
    const owner = OWNERS[f.owner];
    const notifies = f.notifies === 'owner' ? owner.contact : 'arn:aws:sns:eu-west-1:1:t';
    const reminder = addDays(f.expires, -30);
    const common = {
      path, kind: 'service-account', owner, purpose: f.purpose, expires: f.expires, system: f.system,
      credentials: f.key ? (f.google ? 'service-account-key' : 'access-key') : 'none', rotation: f.key ? { days: 30 } : undefined,
    };
    if (f.google) {
      return {
        ...common, cloud: 'google', name: `reader@acme.iam.gserviceaccount.com`,
        scope: [{ role: f.role, on: 'project', resource: 'acme', privileged: f.role.endsWith('.admin') }],
        alarms: (['expiry-reminder', 'expired'] as const).map((k) => googleAlarm(k, reminder, f.expires, notifies)),
        controls: f.controls ? ['NHI1'] : ['NHI1', 'NHI4', 'NHI5', 'NHI7'],
        details: { project: 'acme', accountId: 'reader' },
      };
    }
    return {
      ...common, cloud: 'aws', name: path.toLowerCase(),
      scope: [{ actions: f.actions.map((action) => ({ action, accessLevel: f.wrongLevel ? 'Read' : 'Write', privileged: false })), resources: f.resources }],
      alarms: (['expiry-reminder', 'expired', 'access-denied'] as const).map((k) => alarm(k, reminder, f.expires, notifies)),
      controls: f.controls ? ['NHI1'] : ['NHI1', 'NHI4', 'NHI5', 'NHI7'],
      details: { trust: { service: f.trust } },
    };
  }

  /** How one register is written: its version, owner keys renamed, entries (or scopes) written in full, a newer writer's field. */
  const six = fc.array(fc.boolean(), { minLength: 6, maxLength: 6 });
  const form = fc.record({ version: fc.constantFrom(1, 2, 2), renameOwners: fc.boolean(), full: six, fullScope: six, names: six, extra: six });
  type Form = typeof form extends fc.Arbitrary<infer T> ? T : never;

  function registerText(entries: RegisterEntry[], f: Form): string {
    if (f.version === 1) return renderRegisterV1(entries);
    const json = JSON.parse(renderRegister(entries));
    const key = (k: string) => (f.renameOwners ? `owner ${k}` : k);
    if (f.renameOwners) json.owners = Object.fromEntries(Object.entries(json.owners).map(([k, v]) => [key(k), v]));
    const v1 = JSON.parse(renderRegisterV1(entries)).identities;
    json.identities = json.identities.map((e: any, i: number) => {
      // The writer's fallback: every field written, nulls left out (read back exactly).
      // Or only the scope written in full (each action with its access level, as read back).
      // Or AWS actions by name alone (the reader derives their access level from the catalogue).
      const written = f.full[i % 6] ? Object.fromEntries(Object.entries(v1[i]).filter(([, v]) => v !== null))
        : f.fullScope[i % 6] ? { ...e, scope: v1[i].scope }
          : f.names[i % 6] ? { ...e, scope: e.scope.map((g: any) => (g.actions ? { ...g, actions: g.actions.map((a: any) => a.action ?? a) } : g)) } : e;
      return { ...written, owner: key(e.owner), ...(f.extra[i % 6] ? { newField: { from: 'a newer writer' } } : {}) };
    });
    return JSON.stringify(json);
  }

  /** The diff of two register texts, read compactly (as `nhi diff`) and in full. */
  function bothWays(baseText: string, headText: string): [string, string] {
    const read = (text: string) => synthOf('out', [parseRegister(text, 'out/stacks/s/nhi-register.json')]);
    const show = (d: RegisterDiff) => `${JSON.stringify(d)}\n${renderDiffMarkdown(d)}`;
    const compact = show(diffRegisters(read(baseText), read(headText), options));
    const [b, h] = [read(baseText), read(headText)];
    const full = show(diffRegisters({ identities: [...b.identities], waivers: b.waivers }, { identities: [...h.identities], waivers: h.waivers }, options));
    return [compact, full];
  }

  test('property: mixed versions, owner tables, entries written in full, fields of a newer writer', () => {
    const field = fc.constantFrom<keyof Facts>('system', 'purpose', 'expires', 'key', 'controls', 'notifies', 'trust', 'wrongLevel', 'google');
    const identities = fc.array(fc.tuple(facts, facts, fc.nat(4), field), { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(identities, form, form, (ids, bf, hf) => {
      const base: RegisterEntry[] = [];
      const head: RegisterEntry[] = [];
      ids.forEach(([b, h, how, f], i) => {
        const e = entryOf(`s/I${i}`, b);
        // Head: unchanged, scope only, owner only, one other fact, or anything.
        const changed = how === 0 ? e : how === 1 ? { ...e, scope: entryOf(`s/I${i}`, { ...b, actions: h.actions, resources: h.resources, role: h.role }).scope }
          : how === 2 ? { ...e, owner: OWNERS[h.owner] } : how === 3 ? entryOf(`s/I${i}`, { ...b, [f]: h[f] }) : entryOf(`s/I${i}`, h);
        base.push(e);
        if (i !== 5) head.push(changed);
      });
      const [compact, full] = bothWays(registerText(base, bf), registerText(head, hf));
      expect(compact).toBe(full);
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 300) });
  });

  test.each([
    ['path', 's/Other'], ['kind', 'api-key'], ['cloud', 'google'], ['name', 'renamed'], ['purpose', 'Writes billing exports'], ['expires', '2027-07-31'],
    ['credentials', 'access-key'], ['system', 'billing'], ['environment', 'prod'], ['reuseJustification', 'shares the bucket with the exporter'],
    ['reminder', 'none'], ['notifies', 'arn:aws:sns:eu-west-1:1:t'], ['rotation', { days: 60 }], ['approval', { ticket: 'SEC-1' }],
    ['vendor', { name: 'Acme', contact: 'acme@example.com' }], ['alarms', ['expired']], ['controls', ['NHI1']], ['details', { trust: { service: '*' } }],
    ['accepted', [{ code: 'NHI_SCOPE_WIDENED', source: 's/A/Extra', resourceType: 'aws_iam_role_policy', attribute: 'policy', message: 'grants s3:PutObject', waiver: { reason: 'migration', expires: '2027-01-31', owner: 'billing' } }]],
    ['owner', 'ops'], ['scope', [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::b/*'] }]], ['newField', 1],
  ])('every field of a compact entry counts: %s changed in head', (field, value) => {
    const e = entryOf('s/A', { google: false, key: false, owner: 0, expires: '2027-06-30', purpose: 'Reads billing exports', notifies: 'owner', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'], wrongLevel: false, system: undefined, controls: false, trust: 'lambda.amazonaws.com', role: 'roles/bigquery.dataViewer' });
    const text = renderRegister([e, { ...e, path: 's/B', owner: OWNERS[2] }]);
    const head = JSON.parse(text);
    head.identities[0][field] = value;
    const [compact, full] = bothWays(text, JSON.stringify(head));
    expect(compact).toBe(full);
    // What the diff shows (every field but unknown ones: a reminder's date and accepted findings too).
    if (field !== 'newField') expect(compact).not.toBe(bothWays(text, text)[0]);
  });

  test('an identity whose compact entry is unchanged needs no expansion; one changed in scope only, none', () => {
    const e = entryOf('s/A', { google: false, key: false, owner: 0, expires: '2027-06-30', purpose: 'Reads billing exports', notifies: 'owner', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'], wrongLevel: false, system: undefined, controls: false, trust: 'lambda.amazonaws.com', role: 'roles/bigquery.dataViewer' });
    const widened = { ...e, scope: [{ actions: [{ action: 's3:Get*', accessLevel: 'Wildcard', privileged: false }], resources: ['arn:aws:s3:::b/*'] }] };
    const base = synthOf('out', [parseRegister(renderRegister([e, { ...e, path: 's/B' }]), 'out/stacks/s/nhi-register.json')]);
    const head = synthOf('out', [parseRegister(renderRegister([e, { ...widened, path: 's/B' }]), 'out/stacks/s/nhi-register.json')]);
    const d = diffRegisters(base, head, options);
    expect(d.counts).toMatchObject({ unchanged: 1, changed: 1 });
    expect(d.identities[0]).toMatchObject({ path: 's/B', cloud: 'aws', kind: 'service-account', owner: OWNERS[0], purpose: 'Reads billing exports' });
    expect(d.identities[0].changes.map((c) => c.kind)).toEqual(['scope-widened', 'action-wildcard']);
    // Neither register was expanded: `identities` is still to be computed.
    for (const s of [base, head]) expect(Object.getOwnPropertyDescriptor(s.registers[0], 'identities')!.get).toBeDefined();
    // Read afterwards, the identities are the full ones.
    expect(head.identities[1].scope[0].actions[0]).toEqual({ action: 's3:Get*', accessLevel: 'Wildcard', privileged: expect.any(Boolean) });
    // Identities read (and changed) before the diff are diffed as they are then.
    const again = synthOf('out', [parseRegister(renderRegister([e, { ...e, path: 's/B' }]), 'out/stacks/s/nhi-register.json')]);
    (again.registers[0].identities[0] as any).purpose = 'Changed by the caller';
    expect(diffRegisters(base, again, options).identities.map((i) => [i.path, i.changes.map((c) => c.kind)])).toEqual([['s/A', ['purpose-changed']]]);
    // A synth diffed, then read and changed, is diffed as it is then.
    const later = synthOf('out', [parseRegister(renderRegister([e, { ...e, path: 's/B' }]), 'out/stacks/s/nhi-register.json')]);
    expect(diffRegisters(base, later, options).identities).toEqual([]);
    (later.identities[1] as any).purpose = 'Changed later';
    expect(diffRegisters(base, later, options).identities.map((i) => [i.path, i.changes.map((c) => c.kind)])).toEqual([['s/B', ['purpose-changed']]]);
  });
});

describe('diff: what the artifact holds beyond the declaration, accepted by a waiver (accepted findings)', () => {
  const widened = accepted();
  const reminderAlarm = (description: string) => ({ kind: 'expiry-reminder', description, notifies: 'billing@example.com' });

  test('an accepted widening added with everything else unchanged is high and widens (the attacker\'s case)', () => {
    const cs = changes(identity(), identity({ accepted: [widened] }));
    expect(cs).toEqual([expect.objectContaining({ kind: 'accepted-added', severity: 'high', widens: true })]);
    expect(cs[0].summary).toBe('the artifact holds more than declared, accepted by a waiver: `NHI_SCOPE_WIDENED` from `app/Reader/Extra` (`aws_iam_role_policy`.`policy`), ' +
      'waived until 2027-01-31 (owner billing)');
    expect(cs[0].details).toEqual([`what: ${prose(widened.message)}`, 'waiver: “Legacy uploader until the migration”']);
    const d = diffRegisters({ identities: [identity()] }, { identities: [identity({ accepted: [widened] })] }, options);
    expect(d.counts).toMatchObject({ changed: 1, widened: 1, unchanged: 0 });
    expect(d.severity).toBe('high');
    expect(d.verdict).toBe('Widens access of 1 identity; accepts more than declared by waiver for 1 identity.');
    expect(trippedGates(d, ['widened'])).toEqual(['widened: 1 identity gained access']);
    expect(renderDiffMarkdown(d)).toContain('accepted by a waiver: `NHI_SCOPE_WIDENED`');
  });

  test('an accepted finding removed is good news; the same findings in another order are no change', () => {
    const other = accepted({ code: 'NHI_EXPIRY_CONDITION_MISSING', attribute: 'expires', message: 'has an Allow statement that does not stop at the identity\'s expiry (2027-06-30)' });
    const cs = changes(identity({ accepted: [widened, other] }), identity({ accepted: [other] }));
    expect(cs).toEqual([expect.objectContaining({ kind: 'accepted-removed', severity: 'info', good: true })]);
    expect(cs[0].summary).toBe('the artifact no longer holds `NHI_SCOPE_WIDENED` from `app/Reader/Extra` (`aws_iam_role_policy`.`policy`) beyond the declaration (was accepted by a waiver)');
    expect(changes(identity({ accepted: [widened, other] }), identity({ accepted: [other, widened] }))).toEqual([]);
    expect(changes(identity({ accepted: [] }), identity())).toEqual([]);
    const d = diffRegisters({ identities: [identity({ accepted: [widened] })] }, { identities: [identity()] }, options);
    expect([d.severity, d.verdict, d.counts.widened]).toEqual(['info', 'Good news: changes 1 identity.', 0]);
  });

  test('severity by what the finding is', () => {
    const judged = (code: string) => {
      const c = changes(identity(), identity({ accepted: [accepted({ code })] }))[0];
      return [c.kind, c.severity, c.widens ?? false, c.expiryExtended ?? false];
    };
    expect(judged('NHI_SCOPE_WIDENED')).toEqual(['accepted-added', 'high', true, false]);
    expect(judged('NHI_TRUST_CHANGED')).toEqual(['accepted-added', 'high', true, false]);
    expect(judged('NHI_CREDENTIAL_UNDECLARED')).toEqual(['accepted-added', 'high', true, false]);
    expect(judged('NHI_SCOPE_UNVERIFIABLE')).toEqual(['accepted-added', 'high', true, false]);
    // A Google custom role of the stack: privileged permissions, forbidden ones, data on a whole project.
    expect(judged('NHI_SCOPE_PRIVILEGED')).toEqual(['accepted-added', 'critical', true, false]);
    expect(changes(identity(), identity({ accepted: [accepted({ code: 'NHI_SCOPE_PRIVILEGED' })] }))[0].privileged).toBe(true);
    expect(judged('NHI_SCOPE_FORBIDDEN')).toEqual(['accepted-added', 'high', true, false]);
    expect(judged('NHI_SCOPE_PROJECT_WIDE')).toEqual(['accepted-added', 'high', true, false]);
    expect(judged('NHI_EXPIRY_CONDITION_MISSING')).toEqual(['accepted-added', 'high', false, true]);
    expect(judged('NHI_SOMETHING_NEW')).toEqual(['accepted-added', 'high', false, false]);
    const d = diffRegisters({ identities: [identity()] }, { identities: [identity({ accepted: [accepted({ code: 'NHI_EXPIRY_CONDITION_MISSING' })] })] }, options);
    expect(trippedGates(d, ['expiry-extended'])).toEqual(['expiry-extended: 1 expiry extended']);
  });

  test('a privileged or credential-exposing action the accepted finding names is critical and privileged', () => {
    const message = 'an escape hatch (aws_iam_role_policy app/Reader/Extra) of app/Reader grants more than the declared scope (and the register) says: iam:PassRole, s3:PutObject on *';
    const c = changes(identity(), identity({ accepted: [accepted({ message })] }))[0];
    expect(c).toMatchObject({ kind: 'accepted-added', severity: 'critical', widens: true, privileged: true });
    expect(c.summary).toContain('— names `iam:PassRole` (privilege escalation)');
    const d = diffRegisters({ identities: [identity()] }, { identities: [identity({ accepted: [accepted({ message })] })] }, options);
    expect(trippedGates(d, ['privileged'])).toHaveLength(1);
    // Not for a trust or an expiry finding, whatever its message quotes.
    expect(changes(identity(), identity({ accepted: [accepted({ code: 'NHI_EXPIRY_CONDITION_MISSING', message })] }))[0].privileged).toBeUndefined();
  });

  test("the attacker's case: a privileged action past the message's first eight actions of a resource is still named, so still critical", () => {
    // Nine benign actions sort before these on the same resource: the list shows eight.
    const statement = { Effect: 'Allow', Action: ['athena:*', 'secretsmanager:GetSecretValue', 'sts:AssumeRole'], Resource: '*' };
    const [v] = checkScopeWidening([statement], [], 'an escape hatch (aws_iam_role_policy app/Reader/Extra) of app/Reader');
    expect(v.message).toContain('more)');
    const c = changes(identity(), identity({ accepted: [accepted({ message: v.message })] }))[0];
    expect(c).toMatchObject({ kind: 'accepted-added', severity: 'critical', widens: true, privileged: true });
    expect(c.summary).toContain('`secretsmanager:GetSecretValue` (exposes credentials), `sts:AssumeRole` (privilege escalation)');
  });

  test('an AWS managed policy known to administer the account, attached and waived, is critical and privileged', () => {
    const judged = (arn: string) => {
      const message = `managed_policy_arns of the role (aws_iam_role app/Reader/Role) of app/Reader attaches the managed policy ${arn}: its permissions are not in the declared scope (or the register) and do not stop at expiry`;
      const c = changes(identity(), identity({ accepted: [accepted({ message })] }))[0];
      return [c.severity, c.privileged ?? false];
    };
    expect(judged('arn:aws:iam::aws:policy/AdministratorAccess')).toEqual(['critical', true]);
    expect(judged('arn:aws-us-gov:iam::aws:policy/IAMFullAccess')).toEqual(['critical', true]);
    expect(judged('arn:aws:iam::aws:policy/PowerUserAccess')).toEqual(['critical', true]);
    expect(judged('arn:aws:iam::aws:policy/job-function/SystemAdministrator')).toEqual(['critical', true]);
    expect(judged('arn:aws:iam::aws:policy/SecretsManagerReadWrite')).toEqual(['critical', true]);
    // Unknown content (a customer policy, a narrower AWS one): high, as any widening.
    expect(judged('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')).toEqual(['high', false]);
    expect(judged('arn:aws:iam::123456789012:policy/AdministratorAccess-copy')).toEqual(['high', false]);
  });

  test('a privileged Google role the accepted widening binds is critical and privileged', () => {
    const message = (role: string) => `google_project_iam_member binding (google_project_iam_member.extra at app/Extra) of app/Reader grants ${role} on project acme-billing-prod, which the declared scope (and the register) does not say`;
    const judged = (role: string) => {
      const c = changes(identity(), identity({ accepted: [accepted({ message: message(role) })] }))[0];
      return [c.severity, c.privileged ?? false, c.summary.includes(`names \`${role}\``)];
    };
    expect(judged('roles/owner')).toEqual(['critical', true, true]);
    expect(judged('roles/iam.serviceAccountTokenCreator')).toEqual(['critical', true, true]);
    expect(judged('roles/secretmanager.secretAccessor')).toEqual(['critical', true, true]);
    expect(judged('roles/storage.objectViewer')).toEqual(['high', false, false]);
    expect(judged('projects/acme-billing-prod/roles/reader')).toEqual(['high', false, false]);
  });

  test('an accepted trust change that lets everyone use the identity is critical and privileged; one named member stays high', () => {
    const judged = (message: string) => {
      const c = changes(identity(), identity({ accepted: [accepted({ code: 'NHI_TRUST_CHANGED', attribute: 'assume_role_policy', message })] }))[0];
      return [c.severity, c.widens ?? false, c.privileged ?? false];
    };
    const [v] = checkArtifactTrust({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '1'.repeat(12), 'sts:ExternalId': 'x'.repeat(300) } } }, { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::123456789012:root', '*'] }, Action: 'sts:AssumeRole' }] });
    expect(v.message).toContain('* (every AWS principal)');
    expect(judged(v.message)).toEqual(['critical', true, true]);
    expect(judged('google_service_account_iam_member (google_service_account_iam_member.x at app/X) lets allUsers use app/Reader with roles/iam.serviceAccountTokenCreator, which its declaration (usedBy) does not say'))
      .toEqual(['critical', true, true]);
    expect(judged('google_service_account_iam_member (google_service_account_iam_member.x at app/X) lets allAuthenticatedUsers use app/Reader with roles/iam.serviceAccountUser, which its declaration (usedBy) does not say'))
      .toEqual(['critical', true, true]);
    expect(judged('google_service_account_iam_member (google_service_account_iam_member.x at app/X) lets user:mallory@example.com use app/Reader with roles/iam.serviceAccountTokenCreator, which its declaration (usedBy) does not say'))
      .toEqual(['high', true, false]);
    const [one] = checkArtifactTrust({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'sts:AssumeRole' }] });
    expect(one.message).toContain('who may assume it: arn:aws:iam::210987654321:root');
    expect(judged(one.message)).toEqual(['high', true, false]);
  });

  test('the same finding (code, source, resource type, attribute) with another message: what it holds changed', () => {
    const more = accepted({ message: widened.message.replace('s3:PutObject on arn:aws:s3:::b/*', 's3:PutObject on arn:aws:s3:::b/*; s3:DeleteObject on arn:aws:s3:::b/*') });
    const cs = changes(identity({ accepted: [widened] }), identity({ accepted: [more] }));
    expect(cs).toEqual([expect.objectContaining({ kind: 'accepted-changed', severity: 'high', widens: true })]);
    expect(cs[0].summary).toBe('what the artifact holds beyond the declaration changed, still accepted by a waiver: `NHI_SCOPE_WIDENED` from `app/Reader/Extra` (`aws_iam_role_policy`.`policy`)');
    expect(cs[0].details).toEqual([`was: ${prose(widened.message)}`, `now: ${prose(more.message)}`]);
    // A second finding of the same key is one more, not a change of the first.
    const two = changes(identity({ accepted: [widened] }), identity({ accepted: [more, widened] }));
    expect(kinds(two)).toEqual(['accepted-added']);
    expect(two[0].details![0]).toBe(`what: ${prose(more.message)}`);
    expect(kinds(changes(identity({ accepted: [more, widened] }), identity({ accepted: [widened] })))).toEqual(['accepted-removed']);
  });

  test('the waiver of the same finding: extended (within and beyond the limit), brought forward, reason or owner changed', () => {
    const waiver = (w: Record<string, string>) => accepted({ waiver: { ...widened.waiver, ...w } });
    const later = changes(identity({ accepted: [widened] }), identity({ accepted: [waiver({ expires: '2027-03-31' })] }));
    expect(later).toEqual([expect.objectContaining({ kind: 'accepted-waiver-extended', severity: 'medium', expiryExtended: true,
      summary: 'waiver accepting `NHI_SCOPE_WIDENED` from `app/Reader/Extra` (`aws_iam_role_policy`.`policy`) extended by 59 days: 2027-01-31 → 2027-03-31 (owner billing) — “Legacy uploader until the migration”' })]);
    expect(changes(identity({ accepted: [widened] }), identity({ accepted: [waiver({ expires: '2028-03-31' })] }))[0]).toMatchObject({ kind: 'accepted-waiver-extended', severity: 'high' });
    expect(changes(identity({ accepted: [widened] }), identity({ accepted: [waiver({ expires: '2026-12-31' })] }))).toEqual([
      expect.objectContaining({ kind: 'accepted-waiver-shortened', severity: 'info', good: true }),
    ]);
    expect(changes(identity({ accepted: [widened] }), identity({ accepted: [waiver({ reason: 'Another reason', owner: 'platform' })] }))).toEqual([
      expect.objectContaining({ kind: 'accepted-waiver-changed', severity: 'low', summary: expect.stringContaining('owner billing → platform') }),
    ]);
    const d = diffRegisters({ identities: [identity({ accepted: [widened] })] }, { identities: [identity({ accepted: [waiver({ expires: '2027-03-31' })] })] }, options);
    expect(trippedGates(d, ['expiry-extended'])).toHaveLength(1);
    expect(d.verdict).toBe('Extends 1 waiver accepting more than declared.');
    // The message and the waiver changed together: both are said.
    const both = changes(identity({ accepted: [widened] }), identity({ accepted: [accepted({ message: 'grants s3:*', waiver: { ...widened.waiver, expires: '2027-03-31' } })] }));
    expect(kinds(both)).toEqual(['accepted-changed', 'accepted-waiver-extended']);
  });

  test('a new identity and a moved one show what their artifact holds beyond the declaration', () => {
    const d = diffRegisters({ identities: [] }, { identities: [identity({ accepted: [widened] })] }, options);
    expect(d.identities[0].changes.map((c) => [c.kind, c.severity])).toEqual([['identity-added', 'low'], ['accepted-added', 'high']]);
    expect(d.identities[0].severity).toBe('high');
    const moved = diffRegisters({ identities: [identity()] }, { identities: [identity({ path: 'app/Nested/Reader', accepted: [widened] })] }, options);
    expect(moved.identities[0].changes.map((c) => c.kind)).toEqual(['identity-moved', 'accepted-added']);
  });

  test('the reminder moved: later (less notice) low, or medium under two weeks; earlier good news; none medium', () => {
    const withReminder = (description: string) => identity({ alarms: [reminderAlarm(description), identity().alarms[1]] });
    const on = (date: string) => withReminder(`on ${date}, before the identity expires on 2027-06-30`);
    const none = withReminder('not sent: the identity was declared the day before it expires (2027-06-30), no day is left for a reminder; the expiry notice is sent');
    expect(changes(on('2027-05-31'), on('2027-06-10'))).toEqual([expect.objectContaining({ kind: 'reminder-changed', severity: 'low',
      summary: 'owner reminder later, less notice: 30 → 20 days before expiry (2027-05-31 → 2027-06-10)' })]);
    expect(changes(on('2027-05-31'), on('2027-06-20'))[0]).toMatchObject({ kind: 'reminder-changed', severity: 'medium' });
    expect(changes(on('2027-06-10'), on('2027-05-31'))).toEqual([expect.objectContaining({ kind: 'reminder-changed', severity: 'info', good: true,
      summary: 'owner reminder earlier, more notice: 20 → 30 days before expiry (2027-06-10 → 2027-05-31)' })]);
    expect(changes(on('2027-05-31'), none)).toEqual([expect.objectContaining({ kind: 'reminder-changed', severity: 'medium',
      summary: 'owner reminder removed: the owner is no longer reminded before expiry (was 2027-05-31, 30 days before)' })]);
    expect(changes(none, on('2027-05-31'))).toEqual([expect.objectContaining({ kind: 'reminder-changed', severity: 'info', good: true })]);
    // The reminder following a moved expiry keeps the notice: only the expiry changed.
    expect(kinds(changes(on('2027-05-31'), identity({ expires: '2027-08-31', alarms: [reminderAlarm('on 2027-08-01, before the identity expires on 2027-08-31'), identity().alarms[1]] }))))
      .toEqual(['expiry-extended']);
    // An expiry extended under a reminder that stays put: more notice, said.
    expect(kinds(changes(on('2027-05-31'), identity({ expires: '2027-08-31', alarms: [reminderAlarm('on 2027-05-31, before the identity expires on 2027-08-31'), identity().alarms[1]] }))))
      .toEqual(['expiry-extended', 'reminder-changed']);
    // A reminder alarm removed or added is an alarm change; a text the diff cannot read is not a reminder change.
    expect(kinds(changes(on('2027-05-31'), identity({ alarms: [identity().alarms[1]] })))).toEqual(['alarm-removed']);
    expect(changes(on('2027-05-31'), withReminder('every Monday'))).toEqual([]);
  });
});

describe('diff: accepted findings and the reminder in registers of version 1, 2 and mixed, both ways', () => {
  const owner = { team: 'billing', contact: 'billing@example.com' };
  function entry(path: string, o: { accepted?: any[]; reminder?: string | null } = {}): RegisterEntry {
    const expires = '2027-06-30';
    const reminder = o.reminder === undefined ? addDays(expires, -30) : o.reminder ?? undefined;
    return {
      path, kind: 'service-account', cloud: 'aws', name: path.toLowerCase(), owner, purpose: 'Reads billing exports', expires, credentials: 'none',
      scope: [{ actions: [{ action: 's3:GetObject', accessLevel: 'Read', privileged: false }], resources: ['arn:aws:s3:::b/*'] }],
      alarms: (['expiry-reminder', 'expired', 'access-denied'] as const).map((k) => alarm(k, reminder, expires, owner.contact)),
      controls: ['NHI1', 'NHI4', 'NHI5', 'NHI7'],
      details: { trust: { service: 'lambda.amazonaws.com' } },
      ...(o.accepted ? { accepted: o.accepted } : {}),
    };
  }
  const read = (entries: RegisterEntry[], version: 1 | 2) =>
    synthOf('out', [parseRegister(version === 1 ? renderRegisterV1(entries) : renderRegister(entries), 'out/stacks/s/nhi-register.json')]);
  /** What the diff says of s/A (s/B is unchanged, so compact and expanded paths both run). */
  function said(base: RegisterEntry, head: RegisterEntry, bv: 1 | 2, hv: 1 | 2): [string, string, boolean?][] {
    const d = diffRegisters(read([base, entry('s/B')], bv), read([head, entry('s/B')], hv), options);
    expect([d.counts.unchanged, d.counts.changed]).toEqual(d.identities.length === 0 ? [2, 0] : [1, 1]);
    return d.identities.flatMap((i) => i.changes.map((c): [string, string, boolean?] => [c.kind, c.severity, c.widens ?? c.good]));
  }
  const pairs: [1 | 2, 1 | 2][] = [[1, 1], [2, 2], [1, 2], [2, 1]];

  test.each(pairs)('version %d -> %d: an accepted widening added alone is high and widens; removed, good news', (bv, hv) => {
    const plain = entry('s/A');
    const hatched = entry('s/A', { accepted: [accepted({ source: 's/A/Extra' })] });
    expect(said(plain, hatched, bv, hv)).toEqual([['accepted-added', 'high', true]]);
    expect(said(hatched, plain, bv, hv)).toEqual([['accepted-removed', 'info', true]]);
    expect(said(hatched, hatched, bv, hv)).toEqual([]);
    const extended = entry('s/A', { accepted: [accepted({ source: 's/A/Extra', waiver: { reason: 'r', expires: '2027-03-31', owner: 'billing' } })] });
    expect(said(hatched, extended, bv, hv)).toEqual([['accepted-waiver-extended', 'medium', undefined], ['accepted-waiver-changed', 'low', undefined]]);
  });

  test.each(pairs)('version %d -> %d: the reminder moved alone, removed, back', (bv, hv) => {
    const usual = entry('s/A');
    expect(said(usual, entry('s/A', { reminder: '2027-06-20' }), bv, hv)).toEqual([['reminder-changed', 'medium', undefined]]);
    expect(said(entry('s/A', { reminder: '2027-06-20' }), usual, bv, hv)).toEqual([['reminder-changed', 'info', true]]);
    expect(said(usual, entry('s/A', { reminder: null }), bv, hv)).toEqual([['reminder-changed', 'medium', undefined]]);
    expect(said(entry('s/A', { reminder: null }), usual, bv, hv)).toEqual([['reminder-changed', 'info', true]]);
    expect(said(usual, entry('s/A', { reminder: '2027-05-31' }), bv, hv)).toEqual([]);
  });

  test('an accepted finding with only what the schema requires (code and waiver) is read and compared without failing', () => {
    const bare = { code: 'NHI_SCOPE_WIDENED', waiver: { reason: 'r' } };
    const text = (accepted: any[] | undefined, version: 1 | 2) => {
      const json = JSON.parse(version === 1 ? renderRegisterV1([entry('s/A')]) : renderRegister([entry('s/A')]));
      if (accepted) json.identities[0].accepted = accepted;
      return JSON.stringify(json);
    };
    for (const v of [1, 2] as const) {
      const load = (accepted?: any[]) => synthOf('out', [parseRegister(text(accepted, v), 'out/stacks/s/nhi-register.json')]);
      const added = diffRegisters(load(), load([bare]), options).identities[0].changes;
      expect(added.map((c) => [c.kind, c.severity])).toEqual([['accepted-added', 'high']]);
      expect(added[0].summary).toBe('the artifact holds more than declared, accepted by a waiver: `NHI_SCOPE_WIDENED` from `?` (`?`.`?`), waived without an expiry');
      const dated = { ...bare, waiver: { reason: 'r', expires: '2027-01-31' } };
      expect(diffRegisters(load([dated]), load([bare]), options).identities[0].changes.map((c) => [c.kind, c.severity, c.expiryExtended])).toEqual([['accepted-waiver-extended', 'high', true]]);
      expect(diffRegisters(load([bare]), load([dated]), options).identities[0].changes.map((c) => [c.kind, c.good])).toEqual([['accepted-waiver-shortened', true]]);
    }
  });

  test('a version-2 register writes the moved reminder and the accepted finding in the compact entry (the compact comparison sees them)', () => {
    const head = JSON.parse(renderRegister([entry('s/A', { reminder: '2027-06-20', accepted: [accepted({ source: 's/A/Extra' })] })]));
    expect(head.identities[0]).toMatchObject({ reminder: '2027-06-20', accepted: [expect.objectContaining({ code: 'NHI_SCOPE_WIDENED' })] });
    expect(said(entry('s/A'), entry('s/A', { reminder: '2027-06-20', accepted: [accepted({ source: 's/A/Extra' })] }), 2, 2).map((c) => c[0]))
      .toEqual(['accepted-added', 'reminder-changed']);
  });
});
