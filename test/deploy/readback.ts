// Reads back from the emulator, through the AWS SDK, what a deployment created, and compares it
// with what the stack's NHI register says: policies, trust, tags, secrets, schedules, alarms.
// And, after `terraform destroy`, that nothing the library creates is left in the account.
import { APIGatewayClient, GetApiKeysCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand } from '@aws-sdk/client-api-gateway';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetRoleCommand, GetRolePolicyCommand, GetUserCommand, GetUserPolicyCommand, IAMClient, ListAccessKeysCommand,
  ListRolePoliciesCommand, ListRolesCommand, ListUserPoliciesCommand, ListUsersCommand, ListRoleTagsCommand, ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { clientConfig, Credentials, Moto } from './moto';

/** What the account holds, read through the SDK: one object per thing the library creates. */
export interface Deployed {
  readonly roles: Record<string, { tags: Record<string, string>; trust: any; policies: Record<string, any> }>;
  readonly users: Record<string, { tags: Record<string, string>; policies: Record<string, any>; accessKeys: { id: string; status: string }[] }>;
  readonly secrets: Record<string, { tags: Record<string, string>; value: string; rotation: { enabled: boolean; lambdaArn: string; days?: number } }>;
  readonly apiKeys: Record<string, { id: string; enabled: boolean; value: string; tags: Record<string, string>; usagePlans: any[] }>;
  readonly usagePlans: Record<string, any>;
  readonly schedules: { name: string; expression: string; description: string; targetArn: string; input: string; roleArn: string }[];
  readonly topics: Record<string, string[]>;
  readonly alarms: { name: string; actions: string[]; metric: string }[];
  readonly metricFilters: Record<string, { name: string; pattern: string; metric: string }[]>;
}

const tagMap = (tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key!, t.Value!]));

const decodePolicy = (doc: string | undefined): any => JSON.parse(decodeURIComponent(doc ?? '{}'));

/** Everything the library may have created in `account`; `logGroups` are the CloudTrail log groups to read metric filters from. */
export async function readDeployed(moto: Moto, credentials: Credentials, logGroups: string[] = []): Promise<Deployed> {
  const cfg = clientConfig(moto, credentials);
  const iam = new IAMClient(cfg);
  const sm = new SecretsManagerClient(cfg);
  const apigw = new APIGatewayClient(cfg);
  const sched = new SchedulerClient(cfg);
  const sns = new SNSClient(cfg);
  const cw = new CloudWatchClient(cfg);
  const logs = new CloudWatchLogsClient(cfg);

  const roles: Deployed['roles'] = {};
  for (const r of (await iam.send(new ListRolesCommand({}))).Roles ?? []) {
    const name = r.RoleName!;
    const role = (await iam.send(new GetRoleCommand({ RoleName: name }))).Role!;
    const tags = tagMap((await iam.send(new ListRoleTagsCommand({ RoleName: name }))).Tags);
    const policies: Record<string, any> = {};
    for (const p of (await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames ?? []) {
      policies[p] = decodePolicy((await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: p }))).PolicyDocument);
    }
    roles[name] = { tags, trust: decodePolicy(role.AssumeRolePolicyDocument), policies };
  }
  const users: Deployed['users'] = {};
  for (const u of (await iam.send(new ListUsersCommand({}))).Users ?? []) {
    const name = u.UserName!;
    await iam.send(new GetUserCommand({ UserName: name }));
    const tags = tagMap((await iam.send(new ListUserTagsCommand({ UserName: name }))).Tags);
    const policies: Record<string, any> = {};
    for (const p of (await iam.send(new ListUserPoliciesCommand({ UserName: name }))).PolicyNames ?? []) {
      policies[p] = decodePolicy((await iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: p }))).PolicyDocument);
    }
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: name }))).AccessKeyMetadata ?? [];
    users[name] = { tags, policies, accessKeys: keys.map((k) => ({ id: k.AccessKeyId!, status: k.Status! })) };
  }
  const secrets: Deployed['secrets'] = {};
  for (const s of (await sm.send(new ListSecretsCommand({}))).SecretList ?? []) {
    if (s.DeletedDate) continue; // scheduled for deletion: gone for every consumer
    const d = await sm.send(new DescribeSecretCommand({ SecretId: s.ARN }));
    if (d.DeletedDate) continue;
    // The rotation function writes the credential; until it has run (the emulator cannot invoke
    // Lambda without Docker) the secret may have no AWSCURRENT value.
    const v = await sm.send(new GetSecretValueCommand({ SecretId: s.ARN })).catch(() => undefined);
    secrets[s.Name!] = {
      tags: tagMap(d.Tags), value: v?.SecretString ?? '',
      rotation: { enabled: !!d.RotationEnabled, lambdaArn: d.RotationLambdaARN ?? '', days: d.RotationRules?.AutomaticallyAfterDays },
    };
  }
  const apiKeys: Deployed['apiKeys'] = {};
  const plans = (await apigw.send(new GetUsagePlansCommand({}))).items ?? [];
  const planKeys = new Map<string, string[]>();
  for (const p of plans) planKeys.set(p.id!, ((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: p.id! }))).items ?? []).map((k) => k.id!));
  for (const k of (await apigw.send(new GetApiKeysCommand({ includeValues: true }))).items ?? []) {
    apiKeys[k.name!] = {
      id: k.id!, enabled: !!k.enabled, value: k.value ?? '', tags: k.tags ?? {},
      usagePlans: plans.filter((p) => planKeys.get(p.id!)?.includes(k.id!)),
    };
  }
  const schedules: Deployed['schedules'] = [];
  for (const s of (await sched.send(new ListSchedulesCommand({}))).Schedules ?? []) {
    const g = await sched.send(new GetScheduleCommand({ Name: s.Name!, GroupName: s.GroupName }));
    schedules.push({
      name: g.Name!, expression: g.ScheduleExpression!, description: g.Description ?? '',
      targetArn: g.Target?.Arn ?? '', input: g.Target?.Input ?? '', roleArn: g.Target?.RoleArn ?? '',
    });
  }
  schedules.sort((a, b) => (a.expression + a.description < b.expression + b.description ? -1 : 1));
  const topics: Deployed['topics'] = {};
  for (const t of (await sns.send(new ListTopicsCommand({}))).Topics ?? []) {
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t.TopicArn! }))).Subscriptions ?? [];
    topics[t.TopicArn!] = subs.map((s) => `${s.Protocol}:${s.Endpoint}`).sort();
  }
  const alarms = ((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [])
    .map((a) => ({ name: a.AlarmName!, actions: a.AlarmActions ?? [], metric: `${a.Namespace}/${a.MetricName}` }));
  const metricFilters: Deployed['metricFilters'] = {};
  for (const lg of logGroups) {
    metricFilters[lg] = ((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: lg }))).metricFilters ?? [])
      .map((f) => ({ name: f.filterName!, pattern: f.filterPattern!, metric: `${f.metricTransformations?.[0]?.metricNamespace}/${f.metricTransformations?.[0]?.metricName}` }));
  }
  for (const c of [iam, sm, apigw, sched, sns, cw, logs]) c.destroy();
  const usagePlans = Object.fromEntries(plans.map((p) => [p.name!, p]));
  return { roles, users, secrets, apiKeys, usagePlans, schedules, topics, alarms, metricFilters };
}

/** Every (action, resource) pair the Allow statements of a policy grant, and their expiry conditions. */
export function grantsOf(policy: any): { pairs: string[]; expiries: string[] } {
  const pairs = new Set<string>();
  const expiries = new Set<string>();
  for (const s of [policy.Statement].flat()) {
    if (s.Effect !== 'Allow') continue;
    for (const a of [s.Action].flat()) for (const r of [s.Resource].flat()) pairs.add(`${a} ${r}`);
    expiries.add(s.Condition?.DateLessThan?.['aws:CurrentTime'] ?? 'none');
  }
  return { pairs: [...pairs].sort(), expiries: [...expiries].sort() };
}

/** The (action, resource) pairs a register entry's scope declares. */
export function registerPairs(entry: any): string[] {
  const pairs = new Set<string>();
  for (const g of entry.scope) for (const a of g.actions) for (const r of g.resources) pairs.add(`${a.action} ${r}`);
  return [...pairs].sort();
}

/** The date in an alarm's description ("on 2027-08-01, before ..."). */
export function alarmDay(entry: any, kind: string): string | undefined {
  const a = entry.alarms.find((x: any) => x.kind === kind);
  return a ? /^on (\d{4}-\d{2}-\d{2})/.exec(a.description)?.[1] : undefined;
}

/**
 * Differences between what the register says about each identity and what is deployed (empty
 * when they agree). Each line names the identity and what differs.
 */
export function compareWithRegister(register: any, d: Deployed): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => { if (!ok) problems.push(what); };
  const eq = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const e of register.identities.filter((i: any) => i.cloud === 'aws')) {
    const at = `${e.path}`;
    const expiresAt = `${e.expires}T00:00:00Z`;
    const govTags = (tags: Record<string, string>) => {
      expect(tags['nhi:owner-team'] === e.owner.team, `${at}: tag nhi:owner-team ${tags['nhi:owner-team']} != ${e.owner.team}`);
      expect(tags['nhi:owner-contact'] === e.owner.contact, `${at}: tag nhi:owner-contact ${tags['nhi:owner-contact']} != ${e.owner.contact}`);
      expect(tags['nhi:expires'] === e.expires, `${at}: tag nhi:expires ${tags['nhi:expires']} != ${e.expires}`);
      expect(tags['nhi:id'] === e.path, `${at}: tag nhi:id ${tags['nhi:id']} != ${e.path}`);
      expect(tags['nhi:managed-by'] === 'nhi-constructs', `${at}: tag nhi:managed-by missing`);
    };
    const scopePolicy = (policies: Record<string, any>) => {
      const names = Object.keys(policies);
      expect(names.length === 1, `${at}: ${names.length} inline policies (${names.join(', ')}), expected the one scope policy`);
      const g = grantsOf(policies[names[0]] ?? { Statement: [] });
      expect(eq(g.pairs, registerPairs(e)), `${at}: deployed grants ${JSON.stringify(g.pairs)} != register scope ${JSON.stringify(registerPairs(e))}`);
      expect(eq(g.expiries, [expiresAt]), `${at}: policy expiry conditions ${JSON.stringify(g.expiries)} != ${expiresAt}`);
    };
    // A credential's secret: tagged, rotated by a deployed function every rotation.days, and a
    // schedule invokes that function at expiry (it disables every key).
    const rotatedSecret = (e: any, at: string) => {
      const secret = Object.entries(d.secrets).find(([, s]) => s.tags['nhi:id'] === e.path);
      if (!secret) { problems.push(`${at}: no secret tagged nhi:id=${e.path}`); return; }
      const r = secret[1].rotation;
      expect(r.enabled && r.lambdaArn.includes(':function:'), `${at}: secret ${secret[0]} is not rotated by a function (${JSON.stringify(r)})`);
      expect(r.days === e.rotation?.days, `${at}: secret rotates every ${r.days} days, register says ${e.rotation?.days}`);
      const disable = d.schedules.find((s) => s.targetArn === r.lambdaArn && s.expression === `at(${e.expires}T00:00:00)`);
      expect(!!disable, `${at}: no schedule invokes ${r.lambdaArn} at ${e.expires}`);
    };
    if (e.kind === 'service-account' && e.credentials === 'none') {
      const role = d.roles[e.name];
      if (!role) { problems.push(`${at}: role ${e.name} not deployed`); continue; }
      govTags(role.tags);
      scopePolicy(role.policies);
      const stmts = [role.trust.Statement].flat();
      expect(stmts.every((s: any) => s.Condition?.DateLessThan?.['aws:CurrentTime'] === expiresAt), `${at}: a trust statement lacks the expiry ${expiresAt}`);
      const t = e.details?.trust ?? {};
      if (t.service) expect(stmts.some((s: any) => [s.Principal?.Service].flat().includes(t.service)), `${at}: trust lacks service ${t.service}`);
      if (t.oidc) {
        expect(stmts.some((s: any) => s.Action === 'sts:AssumeRoleWithWebIdentity'
          && Object.entries(s.Condition?.StringEquals ?? {}).some(([k, v]) => k === `${t.oidc.issuer}:sub` && v === t.oidc.subject)
          && Object.entries(s.Condition?.StringEquals ?? {}).some(([k, v]) => k === `${t.oidc.issuer}:aud` && v === t.oidc.audience)),
        `${at}: trust lacks the OIDC subject/audience ${t.oidc.subject} / ${t.oidc.audience}`);
      }
      for (const acct of t.accountIds ?? []) {
        expect(stmts.some((s: any) => [s.Principal?.AWS].flat().some((p: string) => p === acct || p === `arn:aws:iam::${acct}:root`)), `${at}: trust lacks account ${acct}`);
      }
      if (t.externalId) expect(stmts.every((s: any) => s.Condition?.StringEquals?.['sts:ExternalId'] === t.externalId), `${at}: trust lacks sts:ExternalId ${t.externalId}`);
    } else if (e.kind === 'service-account' && e.credentials === 'access-key') {
      const user = d.users[e.name];
      if (!user) { problems.push(`${at}: user ${e.name} not deployed`); continue; }
      govTags(user.tags);
      scopePolicy(user.policies);
      // Terraform creates no access key: the rotation function creates and rotates them (two at
      // most, the overlap). The emulator cannot invoke Lambda without Docker, so none exists here.
      expect(user.accessKeys.length <= 2, `${at}: ${user.accessKeys.length} access keys`);
      rotatedSecret(e, at);
    } else if (e.kind === 'api-key') {
      // The rotation function creates the key (none from Terraform): the usage plan it joins is deployed.
      const plan = d.usagePlans[e.name];
      if (!plan) { problems.push(`${at}: usage plan ${e.name} not deployed`); continue; }
      const stages = (plan.apiStages ?? []).map((s: any) => `${s.apiId}/${s.stage}`).sort();
      expect(eq(stages, e.scope.map((s: any) => `${s.restApiId}/${s.stage}`).sort()), `${at}: usage plan stages ${stages}`);
      if (e.details?.throttle) expect(plan.throttle?.rateLimit === e.details.throttle.rateLimit && plan.throttle?.burstLimit === e.details.throttle.burstLimit, `${at}: throttle ${JSON.stringify(plan.throttle)}`);
      if (e.details?.quota) expect(plan.quota?.limit === e.details.quota.limit && plan.quota?.period === e.details.quota.period, `${at}: quota ${JSON.stringify(plan.quota)}`);
      rotatedSecret(e, at);
    }
    // The owner's notices: reminder and expiry, to a topic the owner's contact is subscribed to.
    const notifies = (kind: string) => e.alarms.find((a: any) => a.kind === kind)?.notifies;
    // Notices are shared per topic, kind and day: the one for this identity lists it.
    const noticeAt = (expr: string, kind: string) => d.schedules.filter((s) => s.expression === expr && s.description.includes(kind)
      && s.description.includes(e.expires) && s.targetArn.startsWith('arn:aws:sns:') && s.input.includes(e.path));
    const reminder = alarmDay(e, 'expiry-reminder');
    for (const [kind, expr] of [['expiry-reminder', reminder ? `at(${reminder}T09:00:00)` : undefined], ['expired', `at(${e.expires}T00:00:00)`]] as const) {
      if (!expr) continue;
      const found = noticeAt(expr, kind);
      expect(found.length === 1, `${at}: ${found.length} ${kind} schedules at ${expr}`);
      const to = notifies(kind);
      if (found[0] && to && !to.startsWith('arn:')) {
        expect((d.topics[found[0].targetArn] ?? []).includes(`email:${to}`), `${at}: the ${kind} topic is not subscribed by ${to}`);
      }
    }
    if (e.alarms.some((a: any) => a.kind === 'access-denied')) {
      const alarm = d.alarms.find((a) => a.name === `nhi-access-denied-${e.name}`);
      expect(!!alarm, `${at}: no access-denied alarm`);
      if (alarm) {
        expect(alarm.actions.some((arn) => (d.topics[arn] ?? []).includes(`email:${notifies('access-denied')}`)), `${at}: the access-denied alarm does not notify ${notifies('access-denied')}`);
        const filters = Object.values(d.metricFilters).flat().filter((f) => f.metric === alarm.metric);
        expect(filters.length === 1, `${at}: ${filters.length} metric filters feed ${alarm.metric}`);
      }
    }
  }
  return problems;
}

/** What is left in the account after destroy (empty when nothing is). */
export function leftovers(d: Deployed): string[] {
  return [
    ...Object.keys(d.roles).map((r) => `role ${r}`),
    ...Object.keys(d.users).map((u) => `user ${u}`),
    ...Object.keys(d.secrets).map((s) => `secret ${s}`),
    ...Object.keys(d.apiKeys).map((k) => `api key ${k}`),
    ...d.schedules.map((s) => `schedule ${s.name}`),
    ...Object.keys(d.topics).map((t) => `topic ${t}`),
    ...d.alarms.map((a) => `alarm ${a.name}`),
    ...Object.entries(d.metricFilters).flatMap(([lg, fs]) => fs.map((f) => `metric filter ${f.name} on ${lg}`)),
  ];
}
