import * as fc from 'fast-check';
import { DEFAULT_POLICY, ResolvedGovernancePolicy } from '../../../lib/core/policy';
import { actionsOf } from '../../../lib/core/private/iam-catalog';
import { analyzeAwsScope, isToken, isWildcardResource, PRIVILEGED_AWS_ACTIONS, wildcardMatch } from '../../../lib/core/rules/aws-scope';
import { lookupAction } from '../../../lib/core/private/iam-catalog';

const policy = (p: Partial<ResolvedGovernancePolicy> = {}): ResolvedGovernancePolicy => ({ ...DEFAULT_POLICY, ...p });
const BUCKET_OBJECTS = 'arn:aws:s3:::my-bucket/*';
const ROLE = 'arn:aws:iam::123456789012:role/app';
const analyze = (scope: unknown, p = policy()) => analyzeAwsScope(scope, p);
const codes = (scope: unknown, p = policy()) => analyze(scope, p).violations.map((v) => [v.code, v.field]);

describe('analyzeAwsScope: least-privilege grants of real actions on named resources', () => {
  test('Compliance: named actions on named resources, canonicalised with access levels', () => {
    const a = analyze([
      { actions: ['s3:getobject', 'S3:ListBucket'], resources: [BUCKET_OBJECTS, 'arn:aws:s3:::my-bucket'] },
      { actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'] },
    ]);
    expect(a.violations).toEqual([]);
    expect(a.grants).toEqual([
      {
        actions: [
          { action: 's3:GetObject', accessLevel: 'Read', privileged: false },
          { action: 's3:ListBucket', accessLevel: 'List', privileged: false },
        ],
        resources: [BUCKET_OBJECTS, 'arn:aws:s3:::my-bucket'],
      },
      { actions: [{ action: 'dynamodb:GetItem', accessLevel: 'Read', privileged: false }], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'] },
    ]);
  });

  test('Compliance: a wildcard that only narrows inside a named resource (arn:aws:s3:::my-bucket/*)', () => {
    expect(codes([{ actions: ['s3:GetObject', 's3:PutObject'], resources: [BUCKET_OBJECTS, 'arn:aws:s3:::my-bucket/reports/*'] }])).toEqual([]);
  });

  test("Compliance: '*' for actions that support no resource types (sts:GetCallerIdentity, s3:ListAllMyBuckets)", () => {
    expect(codes([{ actions: ['sts:GetCallerIdentity', 's3:ListAllMyBuckets'], resources: ['*'] }])).toEqual([]);
  });

  test('Compliance: unresolved tokens as resources are not judged as wildcards', () => {
    expect(codes([{ actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.reports.arn}/*', '${Token[TOKEN.7]}/*'] }])).toEqual([]);
  });

  test('Noncompliance: a list token as the resources (cdktf, AWS CDK): its ARNs exist only at apply', () => {
    for (const list of [['#{TfToken[TOKEN.4]}'], ['#{Token[TOKEN.9]}'], ['arn:aws:s3:::b/*', '#{TfToken[TOKEN.4]}']]) {
      const vs = analyze([{ actions: ['s3:GetObject'], resources: list }]).violations;
      expect(vs.map((v) => [v.code, v.field])).toEqual([['NHI_SCOPE_RESOURCE_INVALID', `scope[0].resources[${list.length - 1}]`]]);
      expect(vs[0].message).toMatch(/list known only at deploy/);
    }
  });

  describe('NHI_SCOPE_EMPTY', () => {
    test.each([[undefined], [null], [[]], [{}], ['s3:GetObject']])('Noncompliance 1: scope %p', (scope) => {
      const vs = analyze(scope).violations;
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_EMPTY', field: 'scope', risks: ['NHI5'] })]);
      expect(vs[0].message).toMatch(/at least one least-privilege grant/);
      expect(vs[0].fix).toContain("actions: ['s3:GetObject']");
    });

    test('Noncompliance 2: a grant with missing or empty actions/resources', () => {
      expect(codes([{}])).toEqual([['NHI_SCOPE_EMPTY', 'scope[0].actions'], ['NHI_SCOPE_EMPTY', 'scope[0].resources']]);
      expect(codes([null, { actions: [], resources: [BUCKET_OBJECTS] }])).toEqual([
        ['NHI_SCOPE_EMPTY', 'scope[0].actions'], ['NHI_SCOPE_EMPTY', 'scope[0].resources'], ['NHI_SCOPE_EMPTY', 'scope[1].actions'],
      ]);
      const [v] = analyze([{ actions: ['s3:GetObject'] }]).violations;
      expect(v).toMatchObject({ field: 'scope[0].resources', message: 'a grant needs at least one resource' });
      expect(v.fix).toContain('resources:');
    });

    test('Noncompliance 3: a resource that is not a string or is blank', () => {
      expect(codes([{ actions: ['s3:GetObject'], resources: [BUCKET_OBJECTS, '', null, 42] }])).toEqual([
        ['NHI_SCOPE_EMPTY', 'scope[0].resources[1]'], ['NHI_SCOPE_EMPTY', 'scope[0].resources[2]'], ['NHI_SCOPE_EMPTY', 'scope[0].resources[3]'],
      ]);
    });
  });

  describe('NHI_SCOPE_WILDCARD', () => {
    test('Noncompliance 1: an action wildcard (s3:Get*) names how many actions it expands to', () => {
      const vs = analyze([{ actions: ['s3:Get*'], resources: [BUCKET_OBJECTS] }]).violations;
      const matched = actionsOf('s3').filter((a) => a.startsWith('s3:Get'));
      expect(matched.length).toBeGreaterThan(6);
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_WILDCARD', field: 'scope[0].actions[0]', given: '"s3:Get*"' })]);
      expect(vs[0].message).toMatch(/every current and future matching action/);
      expect(vs[0].fix).toContain(`it matches ${matched.length} actions (e.g. ${matched.slice(0, 3).join(', ')}); list only those it needs`);
    });

    test('Noncompliance 2: a narrow action wildcard lists the actions it expands to', () => {
      const vs = analyze([{ actions: ['s3:GetObjectA*'], resources: [BUCKET_OBJECTS] }]).violations;
      expect(vs[0].code).toBe('NHI_SCOPE_WILDCARD');
      expect(vs[0].fix).toMatch(/^list the actions it needs from: .*s3:GetObjectAcl/);
      expect(vs[0].fix).toContain('s3:GetObjectAttributes');
    });

    test("Noncompliance 3: '*', '*:*' and '?' wildcards in actions", () => {
      expect(codes([{ actions: ['*', 's3:GetObjec?'], resources: [BUCKET_OBJECTS] }])).toEqual([
        ['NHI_SCOPE_WILDCARD', 'scope[0].actions[0]'], ['NHI_SCOPE_WILDCARD', 'scope[0].actions[1]'],
      ]);
      expect(analyze([{ actions: ['*:*'], resources: [BUCKET_OBJECTS] }]).violations[0].fix).toBe('list each action by name');
    });

    test("Noncompliance 4: '*' as the resource of an action that has resource types", () => {
      const vs = analyze([{ actions: ['s3:GetObject'], resources: ['*'] }]).violations;
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_WILDCARD', field: 'scope[0].resources[0]', given: '"*"' })]);
      expect(vs[0].message).toBe("'*' grants s3:GetObject on every resource in the account");
      expect(vs[0].fix).toBe("name the resources' ARNs");
    });

    test("Noncompliance 5: '*' shared by actions with and without resource types says to split the grant", () => {
      const vs = analyze([{ actions: ['s3:GetObject', 'sts:GetCallerIdentity'], resources: ['*'] }]).violations;
      expect(vs).toHaveLength(1);
      expect(vs[0].fix).toContain("keep '*' only in a separate grant for actions without resource types (sts:GetCallerIdentity)");
    });

    test.each([
      ['s3:GetObject', 'arn:aws:s3:::*'],
      ['s3:ListBucket', 'arn:aws:s3:::*'],
      ['dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:123456789012:table/*'],
      ['dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:123456789012:*'],
      ['s3:GetObject', 'arn:aws:*:::my-bucket/x'],
      ['s3:GetObject', 'arn:*:s3:::my-bucket/*'],
    ])('Noncompliance 6: %s on %s covers every resource of its type', (action, resource) => {
      const vs = analyze([{ actions: [action], resources: [resource] }]).violations;
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_WILDCARD', field: 'scope[0].resources[0]', given: JSON.stringify(resource) })]);
      expect(vs[0].message).toBe('the wildcard covers every resource of its type');
      expect(vs[0].fix).toContain('arn:aws:s3:::my-bucket/reports/*');
    });

    test("Noncompliance 7: '*' with only unknown or wildcard actions is still a wildcard resource", () => {
      expect(codes([{ actions: ['s3:Get*'], resources: ['*'] }])).toEqual([
        ['NHI_SCOPE_WILDCARD', 'scope[0].actions[0]'], ['NHI_SCOPE_WILDCARD', 'scope[0].resources[0]'],
      ]);
    });
  });

  describe('NHI_SCOPE_UNKNOWN_ACTION', () => {
    test('Noncompliance 1: s3:GetObjects suggests s3:GetObject', () => {
      const vs = analyze([{ actions: ['s3:GetObjects'], resources: [BUCKET_OBJECTS] }]).violations;
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_UNKNOWN_ACTION', field: 'scope[0].actions[0]', given: '"s3:GetObjects"' })]);
      expect(vs[0].message).toBe('is not an AWS IAM action');
      expect(vs[0].fix).toMatch(/^did you mean 's3:GetObject'/);
    });

    test('Noncompliance 2: an unknown service suggests a close service prefix', () => {
      const vs = analyze([{ actions: ['s4:GetObject'], resources: [BUCKET_OBJECTS] }]).violations;
      expect(vs[0]).toMatchObject({ code: 'NHI_SCOPE_UNKNOWN_ACTION', field: 'scope[0].actions[0]' });
      expect(vs[0].fix).toMatch(/^'s4' is not an AWS service prefix; did you mean 's3'/);
      expect(analyze([{ actions: ['dynamdb:GetItem'], resources: ['x'] }]).violations[0].fix).toContain("'dynamodb'");
    });

    test('Noncompliance 3: a name without a service, and non-strings', () => {
      expect(analyze([{ actions: ['GetObject'], resources: [BUCKET_OBJECTS] }]).violations[0].fix).toMatch(/is not an AWS service prefix/);
      expect(codes([{ actions: [null, 7, ' '], resources: [BUCKET_OBJECTS] }])).toEqual([
        ['NHI_SCOPE_UNKNOWN_ACTION', 'scope[0].actions[0]'], ['NHI_SCOPE_UNKNOWN_ACTION', 'scope[0].actions[1]'], ['NHI_SCOPE_UNKNOWN_ACTION', 'scope[0].actions[2]'],
      ]);
      expect(analyze([{ actions: [7], resources: [BUCKET_OBJECTS] }]).violations[0].fix).toContain("'service:Action'");
    });

    test('Noncompliance 4: Object.prototype member names are not actions (s3:constructor, s3:__proto__)', () => {
      expect(codes([{ actions: ['s3:constructor', 's3:__proto__'], resources: [BUCKET_OBJECTS] }])).toEqual([
        ['NHI_SCOPE_UNKNOWN_ACTION', 'scope[0].actions[0]'], ['NHI_SCOPE_UNKNOWN_ACTION', 'scope[0].actions[1]'],
      ]);
    });

    test('Noncompliance 5: an unresolved token as an action', () => {
      expect(codes([{ actions: ['${var.action}'], resources: [BUCKET_OBJECTS] }])).toEqual([['NHI_SCOPE_UNKNOWN_ACTION', 'scope[0].actions[0]']]);
    });
  });

  describe('NHI_SCOPE_PRIVILEGED', () => {
    test('Noncompliance 1: iam:PassRole is access level Write but privileged', () => {
      expect(lookupAction('iam:PassRole')!.accessLevel).toBe('Write');
      const vs = analyze([{ actions: ['iam:PassRole'], resources: [ROLE] }]).violations;
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_PRIVILEGED', field: 'scope[0].actions[0]', given: '"iam:PassRole"', risks: ['NHI5', 'NHI10'] })]);
      expect(vs[0].message).toBe('can escalate privilege or expose credentials (privileged action)');
      expect(vs[0].fix).toMatch(/justification of at least three words/);
    });

    test('Noncompliance 2: a "Permissions management" action (iam:PutRolePolicy)', () => {
      expect(lookupAction('iam:PutRolePolicy')!.accessLevel).toContain('Permissions management');
      const vs = analyze([{ actions: ['iam:PutRolePolicy'], resources: [ROLE] }]).violations;
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_PRIVILEGED', field: 'scope[0].actions[0]' })]);
      expect(vs[0].message).toContain('(permissions management)');
    });

    test.each(['', 'tbd', 'needed', 'deploy needs', 'todo todo todo'])('Noncompliance 3: a vague justification %j does not count', (justification) => {
      expect(codes([{ actions: ['iam:PassRole'], resources: [ROLE], justification }])).toEqual([['NHI_SCOPE_PRIVILEGED', 'scope[0].actions[0]']]);
    });

    test('Noncompliance 4: every listed privileged action is a real catalogue action and is flagged', () => {
      for (const action of PRIVILEGED_AWS_ACTIONS) {
        const info = lookupAction(action);
        expect(info?.name.toLowerCase()).toBe(action.toLowerCase());
        expect(analyze([{ actions: [action], resources: [info!.resourceTypes.length ? ROLE : '*'] }]).violations.map((v) => v.code))
          .toContain('NHI_SCOPE_PRIVILEGED');
      }
    });

    test('Compliance: accepted with a justification of at least three words, kept in the analysed grant', () => {
      const justification = 'Deploys Lambda functions with their execution role';
      const a = analyze([{ actions: ['iam:PassRole', 'iam:PutRolePolicy'], resources: [ROLE], justification }]);
      expect(a.violations).toEqual([]);
      expect(a.grants[0]).toEqual({
        actions: [
          { action: 'iam:PassRole', accessLevel: 'Write', privileged: true },
          { action: 'iam:PutRolePolicy', accessLevel: expect.stringContaining('Permissions management'), privileged: true },
        ],
        resources: [ROLE],
        justification,
      });
    });
  });

  describe('NHI_SCOPE_FORBIDDEN', () => {
    test('Noncompliance 1: an action in policy.forbiddenActions, matched case-insensitively', () => {
      const p = policy({ forbiddenActions: ['S3:DELETEOBJECT', 'iam:CreateUser'] });
      const vs = analyze([{ actions: ['s3:deleteObject', 's3:GetObject'], resources: [BUCKET_OBJECTS] }], p).violations;
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_FORBIDDEN', field: 'scope[0].actions[0]', given: '"s3:deleteObject"' })]);
      expect(vs[0].message).toBe('is forbidden by the governance policy');
      expect(vs[0].fix).toMatch(/ask the platform team/);
    });

    test('Noncompliance 2: a justification does not lift a forbidden privileged action', () => {
      const p = policy({ forbiddenActions: ['iam:passrole'] });
      expect(codes([{ actions: ['iam:PassRole'], resources: [ROLE], justification: 'Deploys Lambda functions with roles' }], p))
        .toEqual([['NHI_SCOPE_FORBIDDEN', 'scope[0].actions[0]']]);
    });
  });

  test('every problem in every grant is reported at once', () => {
    expect(codes([
      { actions: ['s3:Get*', 's3:GetObjects'], resources: ['*'] },
      { actions: ['iam:PassRole'], resources: ['arn:aws:iam::123456789012:role/*'] },
    ], policy()).map(([c]) => c)).toEqual(['NHI_SCOPE_WILDCARD', 'NHI_SCOPE_UNKNOWN_ACTION', 'NHI_SCOPE_WILDCARD', 'NHI_SCOPE_PRIVILEGED', 'NHI_SCOPE_WILDCARD']);
  });

  test('the field name is the caller\'s', () => {
    expect(codes(undefined).concat(analyzeAwsScope([{}], policy(), 'grants').violations.map((v) => [v.code, v.field])))
      .toEqual([['NHI_SCOPE_EMPTY', 'scope'], ['NHI_SCOPE_EMPTY', 'grants[0].actions'], ['NHI_SCOPE_EMPTY', 'grants[0].resources']]);
  });
});

describe('analyzeAwsScope: properties', () => {
  const action = fc.oneof(
    fc.constantFrom('s3:GetObject', 'sts:GetCallerIdentity', 'iam:PassRole', 's3:constructor', 's3:__proto__', 'toString:x', '__proto__:x', '*', 's3:*', '${var.a}'),
    fc.string({ maxLength: 30 }),
    fc.anything(),
  );
  const grant = fc.record({ actions: fc.oneof(fc.array(action, { maxLength: 4 }), fc.anything()), resources: fc.oneof(fc.array(fc.oneof(fc.constantFrom('*', 'arn:aws:s3:::*', BUCKET_OBJECTS), fc.string(), fc.anything()), { maxLength: 3 }), fc.anything()), justification: fc.anything() }, { requiredKeys: [] });

  test('property: never throws on arbitrary input; every violation is well formed', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.array(fc.oneof(grant, fc.anything()), { maxLength: 4 })), (scope) => {
      const a = analyzeAwsScope(scope, DEFAULT_POLICY);
      for (const v of a.violations) {
        expect(v.code).toMatch(/^NHI_SCOPE_[A-Z_]+$/);
        expect(typeof v.field).toBe('string');
        expect(v.message.length).toBeGreaterThan(0);
        expect(v.fix.length).toBeGreaterThan(0);
        expect(v.risks.length).toBeGreaterThan(0);
      }
    }), { numRuns: 200 });
  });

  test('property: an action containing * or ? is always NHI_SCOPE_WILDCARD on that action', () => {
    const wild = fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom('*', '?'), fc.string({ maxLength: 12 })).map(([a, w, b]) => a + w + b);
    fc.assert(fc.property(wild, fc.constantFrom('', 's3:', 'iam:', 'ec2:'), (a, svc) => {
      const act = svc + a;
      const vs = analyzeAwsScope([{ actions: ['s3:GetObject', act], resources: [BUCKET_OBJECTS] }], DEFAULT_POLICY).violations;
      expect(vs).toContainEqual(expect.objectContaining({ code: 'NHI_SCOPE_WILDCARD', field: 'scope[0].actions[1]' }));
    }), { numRuns: 200 });
  });

  test('property: every real s3 action matches its own wildcard expansion', () => {
    const s3 = actionsOf('s3');
    fc.assert(fc.property(fc.constantFrom(...s3), fc.nat(), (a, i) => {
      const cut = 3 + (i % (a.length - 3));
      expect(wildcardMatch(`${a.slice(0, cut)}*`, a)).toBe(true);
      expect(wildcardMatch(a.toUpperCase(), a)).toBe(true);
    }), { numRuns: 200 });
  });
});

describe('helpers: isToken, isWildcardResource, wildcardMatch', () => {
  test('isToken recognises cdktf and AWS CDK tokens', () => {
    expect(isToken('${aws_s3_bucket.b.arn}')).toBe(true);
    expect(isToken('${Token[TOKEN.12]}')).toBe(true);
    expect(isToken('#{Token}')).toBe(true);
    expect(isToken('arn:aws:s3:::my-bucket')).toBe(false);
  });

  test('wildcardMatch escapes regex characters', () => {
    expect(wildcardMatch('a.b', 'axb')).toBe(false);
    expect(wildcardMatch('a(b', 'a(b')).toBe(true);
    expect(wildcardMatch('s3:Get?bject', 's3:GetObject')).toBe(true);
  });

  test('isWildcardResource: a region/account wildcard alone is not a type-wide wildcard', () => {
    const info = lookupAction('dynamodb:GetItem')!;
    expect(isWildcardResource('arn:aws:dynamodb:*:*:table/orders', [info])).toBe(false);
    expect(isWildcardResource('arn:aws:dynamodb:*:*:table/*', [info])).toBe(true);
  });

  test('isWildcardResource: `?` wildcards over a whole type are type-wide too (what `nhi diff` calls out)', () => {
    const table = [lookupAction('dynamodb:GetItem')!];
    const object = [lookupAction('s3:GetObject')!];
    for (const r of ['arn:aws:dynamodb:eu-west-1:123456789012:table/?*', 'arn:aws:dynamodb:eu-west-1:123456789012:table/??????', 'arn:aws:dynamodb:eu-west-1:123456789012:?able/orders']) {
      expect([r, isWildcardResource(r, table)]).toEqual([r, true]);
    }
    expect(isWildcardResource('arn:aws:s3:::?*/*', object)).toBe(true);
    expect(isWildcardResource('arn:?ws:s3:::b/*', object)).toBe(true);
    expect(isWildcardResource('arn:aws:s?:::b/*', object)).toBe(true);
    // Not type-wide: inside a named resource, a prefix, the six random characters of a secret.
    expect(isWildcardResource('arn:aws:s3:::b/??.csv', object)).toBe(false);
    expect(isWildcardResource('arn:aws:dynamodb:eu-west-1:123456789012:table/ord?rs', table)).toBe(false);
    expect(isWildcardResource('arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-??????', [lookupAction('secretsmanager:GetSecretValue')!])).toBe(false);
  });

  test('isWildcardResource: reads the formats as the scope rule does (a collection\'s own ARN, recovery points of any service)', () => {
    expect(isWildcardResource('arn:aws:connect:eu-west-1:123456789012:phone-number/*', [lookupAction('connect:ListPhoneNumbersV2')!])).toBe(false);
    expect(isWildcardResource('arn:aws:connect:eu-west-1:123456789012:phone-number/*', [lookupAction('connect:ReleasePhoneNumber')!])).toBe(true);
    const del = [lookupAction('backup:DeleteRecoveryPoint')!];
    expect(isWildcardResource('arn:aws:rds:eu-west-1:123456789012:snapshot:*', del)).toBe(true);
    expect(isWildcardResource('arn:aws:rds:eu-west-1:123456789012:snapshot:awsbackup:*', del)).toBe(false);
    // A format without variables: any wildcard covers its one resource (the trailing `*` matches nothing).
    expect(isWildcardResource('arn:aws:account::123456789012:acc*', [lookupAction('account:CloseAccount')!])).toBe(true);
  });

  test('isWildcardResource agrees with the scope rule on ARNs the action applies to: type-wide exactly when the rule says the wildcard covers every resource of its type', () => {
    const grants: [string, string][] = [
      ['dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:123456789012:table/'],
      ['s3:GetObject', 'arn:aws:s3:::'],
      ['sqs:SendMessage', 'arn:aws:sqs:eu-west-1:123456789012:'],
      ['backup:DeleteRecoveryPoint', 'arn:aws:rds:eu-west-1:123456789012:'],
      ['connect:ListPhoneNumbersV2', 'arn:aws:connect:eu-west-1:123456789012:'],
    ];
    fc.assert(fc.property(fc.constantFrom(...grants), fc.stringMatching(/^[a-z*?:/-]{0,12}$/), ([action, prefix], tail) => {
      const resource = prefix + tail;
      const vs = analyzeAwsScope([{ actions: [action], resources: [resource], justification: 'reads every matching resource for the nightly audit' }], DEFAULT_POLICY).violations;
      // Only where the ARN is one the action applies to (else it grants nothing, and the register has no such grant).
      if (vs.some((v) => v.code === 'NHI_SCOPE_RESOURCE_MISMATCH' || v.code === 'NHI_SCOPE_RESOURCE_INVALID')) return;
      const typeWide = vs.some((v) => v.code === 'NHI_SCOPE_WILDCARD' && v.message.includes('every resource of its type'));
      expect([resource, isWildcardResource(resource, [lookupAction(action)!])]).toEqual([resource, typeWide]);
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) });
  });
});
