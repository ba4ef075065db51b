import { expiresIn, scopeSummary } from '../../lib/cli/register-view';
import { grant, identity } from './fixtures';

describe('nhi register: columns', () => {
  test('expires in N days', () => {
    expect([expiresIn('2026-11-24', '2026-11-23'), expiresIn('2026-12-23', '2026-11-23'), expiresIn('2026-11-23', '2026-11-23'), expiresIn('2026-11-20', '2026-11-23')])
      .toEqual(['in 1 day', 'in 30 days', 'expired today', 'expired 3 days ago']);
  });

  test('scope summary by access level (AWS), role family (Google), stages, unknown shapes', () => {
    expect(scopeSummary(identity({ scope: [grant(['s3:GetObject', 's3:ListBucket'], ['arn:aws:s3:::b', 'arn:aws:s3:::b/*']), grant(['iam:PassRole'], ['arn:aws:iam::1:role/x'], 'Starts the job as its role')] })))
      .toBe('Write 1, Read 1, List 1 (1 privileged) on 3 resources');
    expect(scopeSummary(identity({ scope: [grant(['s3:*'], ['arn:aws:s3:::b/*'])] }))).toMatch(/^Permissions management \d+, Write \d+, Tagging \d+, Read \d+, List \d+ \(\d+ privileged\) on 1 resource$/);
    expect(scopeSummary(identity({ cloud: 'google', scope: [
      { role: 'roles/storage.objectViewer', on: 'bucket', resource: 'b', privileged: false },
      { role: 'roles/iam.serviceAccountUser', on: 'project', resource: 'p', privileged: true },
    ] }))).toBe('iam.serviceAccountUser, storage.objectViewer (1 privileged) on 2 bindings');
    expect(scopeSummary(identity({ kind: 'api-key', scope: [{ service: 'geo.googleapis.com', methods: null }] }))).toBe('1 API: geo.googleapis.com');
    expect(scopeSummary(identity({ scope: [{ something: 'else' }] }))).toBe('1 scope entry');
    expect(scopeSummary(identity({ scope: [] }))).toBe('(none)');
  });
});

describe('nhi register: third parties', () => {
  test('vendor identities are marked in the table and the markdown', () => {
    const { renderRegisterMarkdown, renderRegisterTable } = require('../../lib/cli/register-view');
    const vendor = identity({ path: 'app/PartnerKey', kind: 'api-key', vendor: { name: 'Globex', contact: 'api@globex.example' } });
    const synth = { dir: 'cdktf.out', registers: [{}], identities: [identity(), vendor], waivers: [] };
    const table: string = renderRegisterTable(synth, '2026-11-23');
    expect(table).toMatch(/app\/PartnerKey\s+api-key, third party Globex\s+aws/);
    expect(table).toMatch(/app\/Reader\s+service-account\s+aws/);
    expect(table).toContain('2 identities in 1 stack (cdktf.out), 1 used by a third party, expiries as of 2026-11-23.');
    expect(renderRegisterMarkdown(synth, '2026-11-23')).toContain('| `app/PartnerKey` | api-key, third party Globex |');
  });
});

describe('nhi register: what waivers accept', () => {
  test('an identity shows what the artifact holds beyond its declaration; the waivers in force are listed under the table', () => {
    const { renderRegisterMarkdown, renderRegisterTable } = require('../../lib/cli/register-view');
    const widened = identity({
      path: 'audit/ReportReader',
      accepted: [{
        code: 'NHI_SCOPE_WIDENED', source: 'audit/AuditReadOnly', resourceType: 'aws_iam_role_policy_attachment', attribute: 'policy_arn',
        message: 'attaches the managed policy arn:aws:iam::aws:policy/ReadOnlyAccess',
        waiver: { reason: 'The audit migration reads every service until the cutover', expires: '2027-01-31', owner: 'platform' },
      }],
    });
    const waiver = { code: 'NHI_SCOPE_WIDENED', path: 'audit/AuditReadOnly', owner: { team: 'platform', contact: 'platform@example.com' },
      reason: 'The audit migration reads every service until the cutover', expires: '2027-01-31', stack: 'audit' };
    const legacy = { code: 'NHI_UNGOVERNED_IDENTITY', resourceType: 'aws_iam_user', owner: { team: 'platform', contact: 'platform@example.com' },
      reason: 'Batch host migrates to roles in Q1', expires: '2027-02-28', stack: 'audit' };
    const synth = { dir: 'cdktf.out', registers: [{}], identities: [identity(), widened], waivers: [legacy, waiver] };
    const table: string = renderRegisterTable(synth, '2026-11-23');
    expect(table).toMatch(/audit\/ReportReader .* on 1 resource; and 1 accepted by waiver \(NHI_SCOPE_WIDENED\)/);
    expect(table).toContain('Waivers in force (2):\n' +
      '  NHI_SCOPE_WIDENED on audit/AuditReadOnly, owner platform, until 2027-01-31 (in 69 days): The audit migration reads every service until the cutover\n' +
      '  NHI_UNGOVERNED_IDENTITY on every aws_iam_user, owner platform, until 2027-02-28 (in 97 days): Batch host migrates to roles in Q1\n');
    const md: string = renderRegisterMarkdown(synth, '2026-11-23');
    expect(md).toContain('Waivers in force (2):\n\n- NHI\\_SCOPE\\_WIDENED on audit/AuditReadOnly');
    expect(renderRegisterTable({ ...synth, waivers: [] }, '2026-11-23')).not.toContain('Waivers in force');
  });
});
