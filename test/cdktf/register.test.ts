import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { NhiRegister } from '../../lib/cdktf';
import { GovernedApiKey, GovernedServiceAccount } from '../../lib/cdktf-aws';
import { GOVERNANCE, TODAY } from '../helpers/cdktf';
import { readRegister, RegisterEntry } from '../../lib/core/register';

function app(outdir: string): App {
  const a = new App({ outdir, context: { 'nhi:today': TODAY } });
  for (const id of ['zeta', 'alpha']) {
    const stack = new TerraformStack(a, id);
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new GovernedServiceAccount(stack, 'Worker', {
      ...GOVERNANCE, name: `${id}-worker`, assumedBy: { service: 'ecs-tasks.amazonaws.com' },
      scope: [{ actions: ['sqs:ReceiveMessage'], resources: [`arn:aws:sqs:eu-west-1:123456789012:${id}`] }],
    });
    new GovernedApiKey(stack, 'Api', {
      ...GOVERNANCE, name: `${id}-key`, scope: [{ restApiId: 'abc', stage: 'prod' }], throttle: { rateLimit: 1, burstLimit: 1 },
    });
  }
  return a;
}

describe('NhiRegister (cdktf)', () => {
  test('app.synth() writes nhi-register.json beside each stack\'s cdk.tf.json, sorted by path', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-reg-'));
    app(outdir).synth();
    for (const id of ['alpha', 'zeta']) {
      const dir = path.join(outdir, 'stacks', id);
      expect(fs.readdirSync(dir).sort()).toEqual(['assets', 'cdk.tf.json', 'nhi-register.json']); // assets: the rotation function's zip
      const reg = readRegister(fs.readFileSync(path.join(dir, 'nhi-register.json'), 'utf8'));
      expect(reg.version).toBe(2);
      expect(reg.identities.map((i: any) => i.path)).toEqual([`${id}/Api`, `${id}/Worker`]);
      expect(Object.keys(reg.identities[0])).toEqual(['path', 'kind', 'cloud', 'name', 'owner', 'system', 'environment', 'purpose', 'expires', 'approval', 'vendor', 'credentials', 'rotation', 'scope', 'alarms', 'controls', 'details']);
    }
  });

  test('byte-identical across synths, no timestamps, no secrets', () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-reg-'));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-reg-'));
    app(a).synth();
    app(b).synth();
    for (const f of ['stacks/alpha/nhi-register.json', 'stacks/alpha/cdk.tf.json', 'stacks/zeta/nhi-register.json']) {
      expect(fs.readFileSync(path.join(a, f), 'utf8')).toEqual(fs.readFileSync(path.join(b, f), 'utf8'));
    }
    const text = fs.readFileSync(path.join(a, 'stacks/alpha/nhi-register.json'), 'utf8');
    expect(text).not.toMatch(/T\d\d:\d\d:\d\d/);
    expect(text).not.toMatch(/secret/i);
  });

  test('Testing.fullSynth writes it too; NhiRegister.of(stack).render() gives the same content', () => {
    const a = app(fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-reg-')));
    const stack = a.node.findChild('alpha') as TerraformStack;
    const dir = Testing.fullSynth(stack);
    expect(fs.readFileSync(path.join(dir, 'stacks', 'alpha', 'nhi-register.json'), 'utf8')).toEqual(NhiRegister.of(stack).render());
  });

  test('tokens in an entry resolve to Terraform references', () => {
    const a = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-reg-')), context: { 'nhi:today': TODAY } });
    const stack = new TerraformStack(a, 's');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const { SqsQueue } = require('@cdktf/provider-aws/lib/sqs-queue');
    const queue = new SqsQueue(stack, 'Queue', { name: 'jobs' });
    new GovernedServiceAccount(stack, 'Worker', {
      ...GOVERNANCE, name: 'w', assumedBy: { service: 'ecs-tasks.amazonaws.com' },
      scope: [{ actions: ['sqs:ReceiveMessage'], resources: [queue.arn] }],
    });
    const reg = JSON.parse(NhiRegister.of(stack).render());
    expect(reg.identities[0].scope[0].resources).toEqual(['${aws_sqs_queue.Queue.arn}']);
  });

  test('a frozen part of an entry found without tokens is searched again unless nothing in it can change', () => {
    const a = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-reg-')), context: { 'nhi:today': TODAY } });
    const stack = new TerraformStack(a, 's');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const { SqsQueue } = require('@cdktf/provider-aws/lib/sqs-queue');
    const queue = new SqsQueue(stack, 'Queue', { name: 'jobs' });
    // Frozen, but holding a mutable object; frozen, but with a getter; frozen plain data (not searched again).
    const inner = { topic: 'none yet' };
    let later = 'none yet';
    const holder = Object.freeze({ kind: 'expired', description: 'on expiry', notifies: 'ops@example.com', route: inner });
    const getter = Object.freeze(Object.defineProperty({ kind: 'access-denied', description: 'on denial' }, 'notifies', { get: () => later, enumerable: true }));
    const plain = Object.freeze({ kind: 'policy-changed', description: 'on change', notifies: 'ops@example.com' });
    // One identity per case: a token found anywhere in an entry resolves the whole entry.
    class Custom extends Construct {
      constructor(scope: Construct, id: string, private readonly alarm: object) {
        super(scope, id);
      }
      public get registerEntry(): RegisterEntry {
        return {
          path: this.node.path, kind: 'service-account', cloud: 'aws', name: 'custom', owner: { team: 'ops', contact: 'ops@example.com' },
          purpose: 'Reads the jobs queue for the nightly run', expires: '2027-06-30', scope: [], credentials: 'none',
          alarms: [this.alarm] as any, controls: ['NHI1'],
        };
      }
    }
    for (const [id, alarm] of [['A', holder], ['B', getter], ['C', plain]] as const) NhiRegister.of(stack).add(new Custom(stack, id, alarm));
    expect(NhiRegister.of(stack).entries().map((e) => e.alarms[0])).toEqual([holder, getter, plain]); // no token yet
    inner.topic = queue.arn;
    later = queue.url;
    const alarms: any[] = NhiRegister.of(stack).entries().map((e) => e.alarms[0]);
    expect(alarms[0].route.topic).toBe('${aws_sqs_queue.Queue.arn}');
    expect(alarms[1].notifies).toBe('${aws_sqs_queue.Queue.url}');
    expect(alarms[2]).toEqual(plain);
  });
});
