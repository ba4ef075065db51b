// Deploy test, cdktf AWS target: two apps whose stacks have the same name, deployed by two teams
// into one account and region (two Terraform states). Each must keep its own alarm plumbing: a
// name derived from the stack alone would be the same in both, and AWS does not refuse it:
// CreateTopic returns the existing topic (both states would manage one topic, and destroying
// either app deletes the other's) and PutRule replaces the existing rule (the second app would
// silently take over the first one's CloudTrail alarms). Needs what cdktf-aws.test.ts needs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GovernedServiceAccount } from '../../lib/cdktf-aws';
import { clientConfig, Credentials, credentialsFor, freshAccount, Moto, startMoto } from './moto';
import { TerraformDeployment } from './terraform';

const TODAY = '2026-11-30';

/** An app with one stack named `billing` holding one governed role `role`. */
function app(outdir: string, role: string): string {
  const a = new App({ outdir, context: { 'nhi:today': TODAY } });
  const stack = new TerraformStack(a, 'billing');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new GovernedServiceAccount(stack, 'Reader', {
    owner: { team: 'billing', contact: 'billing@example.com' },
    purpose: 'Reads nightly billing exports for the reporting job',
    expires: '2027-03-01',
    name: role,
    assumedBy: { service: 'lambda.amazonaws.com' },
    scope: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${role}-exports/*`] }],
  });
  a.synth();
  return path.join(outdir, 'stacks', 'billing');
}

interface Plumbing {
  /** The library's EventBridge rules: name → the role names their pattern lists. */
  readonly rules: Record<string, string[]>;
  /** The library's SNS topic ARNs. */
  readonly topics: string[];
}

async function plumbing(moto: Moto, creds: Credentials): Promise<Plumbing> {
  const events = new EventBridgeClient(clientConfig(moto, creds));
  const sns = new SNSClient(clientConfig(moto, creds));
  try {
    const rules: Record<string, string[]> = {};
    for (const r of (await events.send(new ListRulesCommand({ NamePrefix: 'nhi-' }))).Rules ?? []) {
      const text = r.EventPattern ?? '';
      rules[r.Name!] = ['svc-first', 'svc-second'].filter((n) => text.includes(`"${n}"`));
    }
    const topics = ((await sns.send(new ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn!).filter((a) => /:nhi-billing-/.test(a));
    return { rules, topics: topics.sort() };
  } finally {
    events.destroy();
    sns.destroy();
  }
}

const watching = (p: Plumbing, role: string) => Object.values(p.rules).filter((roles) => roles.includes(role)).length;

const SKIP = process.env.NHI_DEPLOY_TESTS === 'skip';
const d = SKIP ? describe.skip : describe;

d('deploy: two apps with a stack of the same name in one account keep their own alarm rules and topics', () => {
  let moto: Moto;
  afterAll(async () => moto?.stop());

  test('both are watched after both apply; destroying one leaves the other watched and notified', async () => {
    moto = await startMoto();
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-deploy-two-apps-'));
    const creds = await credentialsFor(moto, freshAccount());
    const deploy = (name: string, role: string) => {
      const work = path.join(base, `tf-${name}`);
      fs.mkdirSync(work);
      return new TerraformDeployment({ [name]: app(path.join(base, name), role) }, work, moto, creds);
    };
    const first = deploy('first', 'svc-first');
    const second = deploy('second', 'svc-second');
    await first.init();
    await first.apply();
    const one = await plumbing(moto, creds);
    await second.init();
    await second.apply();
    const both = await plumbing(moto, creds);
    await first.destroy();
    const after = await plumbing(moto, creds);
    await second.destroy();
    const none = await plumbing(moto, creds);

    // One app: its policy-changed and access-denied rules watch its role, one topic.
    expect(watching(one, 'svc-first')).toBe(2);
    expect(one.topics).toHaveLength(1);
    // Both: the first app's rules still watch its role (not replaced by the second's), two topics.
    expect({ first: watching(both, 'svc-first'), second: watching(both, 'svc-second'), rules: Object.keys(both.rules).length, topics: both.topics.length })
      .toEqual({ first: 2, second: 2, rules: 4, topics: 2 });
    // The first destroyed: the second keeps its rules and its topic.
    expect({ first: watching(after, 'svc-first'), second: watching(after, 'svc-second'), topics: after.topics })
      .toEqual({ first: 0, second: 2, topics: both.topics.filter((t) => !one.topics.includes(t)) });
    expect(none).toEqual({ rules: {}, topics: [] });
  }, 15 * 60_000);
});
