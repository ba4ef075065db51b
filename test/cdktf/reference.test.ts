import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TerraformStack, Testing, Tokenization } from 'cdktf';
import { attributeReference } from '../../lib/cdktf/private/reference';
import { awsStack, synth } from '../helpers/cdktf';

describe('attributeReference: an attribute reference without cdktf\'s per-reference stack trace', () => {
  function roleAndPolicies(stack: TerraformStack): { role: IamRole; cheap: IamRolePolicy; cdktf: IamRolePolicy } {
    const role = new IamRole(stack, 'Role', { name: 'r', assumeRolePolicy: '{}' });
    const cheap = new IamRolePolicy(stack, 'Cheap', { role: attributeReference(role, 'name'), policy: '{}' });
    const cdktf = new IamRolePolicy(stack, 'Cdktf', { role: role.name, policy: '{}' });
    return { role, cheap, cdktf };
  }

  test('synthesises what cdktf\'s own reference does, as a value and inside a string', () => {
    const { stack } = awsStack();
    const { role } = roleAndPolicies(stack);
    new IamRolePolicy(stack, 'Inside', { role: `x-${attributeReference(role, 'arn')}-y`, policy: JSON.stringify({ r: attributeReference(role, 'arn') }) });
    const policies = synth(stack).resource.aws_iam_role_policy;
    const roleId = Object.keys(synth(stack).resource.aws_iam_role)[0];
    expect(policies[Object.keys(policies).find((k) => k.startsWith('Cheap'))!].role).toBe(`\${aws_iam_role.${roleId}.name}`);
    expect(policies[Object.keys(policies).find((k) => k.startsWith('Cdktf'))!].role).toBe(`\${aws_iam_role.${roleId}.name}`);
    const inside = policies[Object.keys(policies).find((k) => k.startsWith('Inside'))!];
    expect(inside.role).toBe(`x-\${aws_iam_role.${roleId}.arn}-y`);
    expect(JSON.parse(inside.policy)).toEqual({ r: `\${aws_iam_role.${roleId}.arn}` });
  });

  test('captures no stack trace, and reads the logical id at synth (an override made later is honoured)', () => {
    const { stack } = awsStack();
    const role = new IamRole(stack, 'Role', { name: 'r', assumeRolePolicy: '{}' });
    const token = attributeReference(role, 'name');
    new IamRolePolicy(stack, 'Cheap', { role: token, policy: '{}' });
    expect(Tokenization.reverseString(token).firstToken!.creationStack).toEqual([]);
    role.overrideLogicalId('renamed');
    const json = synth(stack);
    expect(Object.keys(json.resource.aws_iam_role)).toEqual(['renamed']);
    expect((Object.values(json.resource.aws_iam_role_policy)[0] as any).role).toBe('${aws_iam_role.renamed.name}');
  });

  test('a reference used in another stack becomes a cross-stack output, as cdktf\'s own', () => {
    const { app, stack } = awsStack('one');
    const role = new IamRole(stack, 'Role', { name: 'r', assumeRolePolicy: '{}' });
    const other = new TerraformStack(app, 'two');
    const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
    new AwsProvider(other, 'aws', { region: 'eu-west-1' });
    new IamRolePolicy(other, 'Policy', { role: attributeReference(role, 'name'), policy: '{}' });
    app.synth();
    const two = JSON.parse(Testing.synth(other));
    const one = JSON.parse(Testing.synth(stack));
    expect(Object.values(one.output ?? {}).map((o: any) => o.value)).toContain(`\${aws_iam_role.${Object.keys(one.resource.aws_iam_role)[0]}.name}`);
    expect((Object.values(two.resource.aws_iam_role_policy)[0] as any).role).toMatch(/^\$\{data\.terraform_remote_state\./);
  });
});
