import * as fs from 'fs';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib/core';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { GovernedApiKey, GovernedServiceAccount, NhiRegister } from '../../lib/aws-cdk';
import { apiKeyProps, restApi, saProps, testApp, testStack } from './util';
import { readRegister } from '../../lib/core/register';

function build(app = testApp()) {
  const stack = testStack(app);
  const bucket = new s3.Bucket(stack, 'Exports');
  new GovernedServiceAccount(stack, 'Reader', saProps({ scope: [{ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }] }));
  new GovernedServiceAccount(stack, 'Legacy', saProps({ name: 'legacy-batch', assumedBy: undefined, staticCredentials: { justification: 'On-premises batch host cannot assume roles' } }));
  new GovernedApiKey(stack, 'Acme', apiKeyProps(restApi(stack)));
  return { app, stack };
}

describe('NHI register in the cloud assembly', () => {
  test('<stack artifact id>.nhi-register.json beside the template, same format (cloud: aws), sorted by path', () => {
    const { app, stack } = build();
    const asm = app.synth();
    expect(NhiRegister.fileName(stack)).toBe('Billing.nhi-register.json');
    const file = path.join(asm.directory, 'Billing.nhi-register.json');
    expect(fs.existsSync(path.join(asm.directory, 'Billing.template.json'))).toBe(true);
    const register = readRegister(fs.readFileSync(file, 'utf8'));
    expect(register.version).toBe(2);
    expect(register.identities.map((i: any) => [i.path, i.kind, i.cloud, i.credentials])).toEqual([
      ['Billing/Acme', 'api-key', 'aws', 'api-key'],
      ['Billing/Legacy', 'service-account', 'aws', 'access-key'],
      ['Billing/Reader', 'service-account', 'aws', 'none'],
    ]);
    const reader = register.identities[2];
    expect(reader.scope).toEqual([{ actions: [{ action: 's3:GetObject', accessLevel: 'Read', privileged: false }], resources: [expect.stringMatching(/^\$\{Exports[0-9A-F]+\.Arn\}\/\*$/)] }]);
    expect(reader.details).toEqual({ trust: { service: 'lambda.amazonaws.com' } });
    expect(reader.controls).toEqual(['NHI1', 'NHI4', 'NHI5', 'NHI7']);
    expect(register.identities[0].scope).toEqual([{ restApiId: expect.stringMatching(/^\$\{Api[0-9A-F]+\}$/), stage: expect.stringMatching(/^\$\{ApiDeploymentStageprod/) }]);
  });

  test('byte-identical across synths, and no secret, key value or timestamp in it', () => {
    const a = build().app.synth();
    const b = build().app.synth();
    const ra = fs.readFileSync(path.join(a.directory, 'Billing.nhi-register.json'));
    const rb = fs.readFileSync(path.join(b.directory, 'Billing.nhi-register.json'));
    expect(ra.equals(rb)).toBe(true);
    const text = ra.toString();
    expect(text).not.toMatch(/SecretAccessKey|resolve:secretsmanager|T\d\d:\d\d:\d\d\.\d+Z/);
    expect(text.endsWith('}\n')).toBe(true);
  });

  test('stacks in a Stage write into the nested assembly', () => {
    const app = testApp();
    const stage = new Stage(app, 'Prod');
    build(stage as any);
    const asm = app.synth();
    const nested = asm.getNestedAssembly('assembly-Prod');
    const files = fs.readdirSync(nested.directory).filter((f) => f.endsWith('.nhi-register.json'));
    expect(files).toEqual([expect.stringMatching(/^ProdBilling[0-9A-F]+\.nhi-register\.json$/)]);
  });

  test('a stack without governed identities has no register', () => {
    const app = testApp();
    testStack(app);
    const asm = app.synth();
    expect(fs.readdirSync(asm.directory).filter((f) => f.endsWith('.nhi-register.json'))).toEqual([]);
  });
});
