import { createHash } from 'crypto';
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Fn, Lazy, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { noticeMessage } from '../../core/alarms';
import { markGoverned } from '../../core/governed-marker';
import { isToken } from '../../core/rules/aws-scope';
import { GOOGLE_LABEL_PREFIX, MANAGED_BY, sanitizeGoogleLabelValue } from '../../core/tags';

const KEY = Symbol.for('nhi-constructs.cdktf-google.Notices');
/**
 * Longest list of watched e-mails (characters) in one log-match alert policy's filter: keeps the
 * filter well below Cloud Logging's 20,000-character limit (about 250 accounts per policy).
 */
export const MAX_WATCH_LIST_CHARS = 15_000;
/** Log the notice jobs write to, in each project. */
export const NOTICE_LOG = 'nhi-notices';

/** A notification channel notices go to: its id (maybe a token) and a stable literal key. */
export interface NoticeChannel {
  readonly id: string;
  readonly key: string;
  readonly team: string;
  readonly contact: string;
}

const hashes = new Map<string, string>();

/** First 8 hex digits of the SHA-256 of `s` (remembered: every identity of a channel asks for its key). */
function shortHash(s: string): string {
  let h = hashes.get(s);
  if (h === undefined) {
    h = createHash('sha256').update(s).digest('hex').slice(0, 8);
    if (hashes.size > 10_000) hashes.clear();
    hashes.set(s, h);
  }
  return h;
}

/** Cron for 09:00 (or `hour`) UTC on a `YYYY-MM-DD` day; Cloud Scheduler has no one-time jobs, so it recurs yearly. */
export function yearlyCron(date: string, hour = 9): string {
  const [, m, d] = date.split('-').map(Number);
  return `0 ${hour} ${d} ${m} *`;
}

interface Watch {
  readonly policies: MonitoringAlertPolicy[];
  readonly emails: string[][];
  /** Per batch: the resource names of the governed keys (their use is expected). */
  readonly keys: string[][];
  /** Characters of the current batch's list. */
  chars: number;
}

/**
 * Per-stack notification plumbing shared by every governed Google identity: per project, one
 * e-mail notification channel per owner contact, log-match alert policies per channel (notices,
 * key creation, access denied; watched accounts in batches), one Cloud Scheduler job per notice
 * kind, day and channel, and one keyless notifier service account whose custom role holds exactly
 * the permissions the jobs use.
 */
export class GoogleNotices extends Construct {
  public static of(scope: IConstruct): GoogleNotices {
    const stack = TerraformStack.of(scope);
    return ((stack as any)[KEY] as GoogleNotices | undefined) ?? new GoogleNotices(stack);
  }

  private readonly projectIds = new Map<string, string>();
  private readonly channels = new Map<string, NoticeChannel>();
  private readonly notices = new Map<string, Set<string>>();
  private readonly noticePolicies = new Set<string>();
  private readonly watches = new Map<string, Watch>();
  private readonly runbooks = new Map<string, Set<string>>();
  private readonly notifiers = new Map<string, { sa: ServiceAccount; permissions: Set<string> }>();

  private constructor(stack: TerraformStack) {
    super(stack, 'NhiGoogleNotices');
    markGoverned(this, false);
    Object.defineProperty(stack, KEY, { value: this, enumerable: false });
  }

  /** A construct-id-safe, deterministic name for a project (literal ids as they are, tokens by order). */
  private pid(project: string): string {
    let id = this.projectIds.get(project);
    if (!id) {
      id = isToken(project) ? `project${this.projectIds.size}` : project;
      this.projectIds.set(project, id);
    }
    return id;
  }

  /** The notification channel for an owner contact in a project (created once), or the channel the user gave. */
  public channelFor(project: string, team: string, contact: string, explicit?: string, runbookUrl?: string): NoticeChannel {
    const pid = this.pid(project);
    const lower = contact.toLowerCase();
    const key = explicit ? `channel-${shortHash(explicit)}` : `owner-${shortHash(`${pid}|${lower}`)}`;
    let channel = this.channels.get(`${pid}|${key}`);
    if (!channel) {
      let id = explicit;
      if (!id) {
        id = new MonitoringNotificationChannel(this, `${pid}-Owner-${lower.replace(/[^a-z0-9]+/g, '-')}`, {
          project,
          type: 'email',
          displayName: `NHI notices for ${team} (${contact})`.slice(0, 512),
          description: 'nhi-constructs: expiry reminders and alerts of the non-human identities this team owns',
          labels: { email_address: contact },
          userLabels: this.labels(team),
        }).id;
      }
      channel = { id, key, team, contact };
      this.channels.set(`${pid}|${key}`, channel);
    }
    if (runbookUrl) {
      const set = this.runbooks.get(`${pid}|${key}`) ?? new Set<string>();
      set.add(runbookUrl);
      this.runbooks.set(`${pid}|${key}`, set);
    }
    return channel;
  }

  private labels(team: string): Record<string, string> {
    return { [`${GOOGLE_LABEL_PREFIX}owner-team`]: sanitizeGoogleLabelValue(team), [`${GOOGLE_LABEL_PREFIX}managed-by`]: MANAGED_BY };
  }

  private documentation(pid: string, channel: NoticeChannel, subject: string, text: string) {
    return {
      mimeType: 'text/markdown',
      subject,
      content: Lazy.stringValue({
        produce: () => {
          const links = [...(this.runbooks.get(`${pid}|${channel.key}`) ?? [])].sort();
          return links.length === 0 ? text : `${text}\n\nRunbook: ${links.join(' , ')}`;
        },
      }),
    };
  }

  /**
   * Schedules a notice (a log entry the channel's alert policy e-mails) on `date` listing
   * `identityPath`: one job per project, region, kind, day and channel, shared by every identity.
   */
  public notice(project: string, region: string | undefined, kind: 'expiry-reminder' | 'expired', date: string | undefined, expires: string,
    channel: NoticeChannel, identityPath: string): void {
    // No day left before the expiry for a reminder (see reminderDay): the register says so.
    if (date === undefined) return;
    const pid = this.pid(project);
    this.noticePolicy(project, channel);
    const key = `${pid}|${region ?? ''}|${kind}|${date}|${channel.key}`;
    let members = this.notices.get(key);
    if (!members) {
      members = new Set();
      this.notices.set(key, members);
      const set = members;
      const notifier = this.notifier(project, 'logging.logEntries.create');
      const body = Lazy.stringValue({
        produce: () => {
          const m = noticeMessage(kind, expires, [...set]);
          const request = {
            entries: [{
              // Inside a Terraform function a token must not be interpolated into a string (cdktf
              // warns "output may be incorrect"): join it.
              logName: isToken(project) ? Fn.join('', ['projects/', project, `/logs/${NOTICE_LOG}`]) : `projects/${project}/logs/${NOTICE_LOG}`,
              resource: { type: 'global', labels: { project_id: project } },
              severity: kind === 'expired' ? 'ERROR' : 'WARNING',
              labels: { nhi_channel: channel.key, nhi_kind: kind },
              jsonPayload: { subject: m.subject, message: m.body, identities: [...set].sort(), expires },
            }],
          };
          // A literal request is encoded here (readable in tests, stable); one holding a token (a
          // project from a reference) is encoded by Terraform.
          return isToken(project)
            ? Fn.base64encode(Fn.jsonencode(request))
            : Buffer.from(JSON.stringify(request), 'utf8').toString('base64');
        },
      });
      new CloudSchedulerJob(this, `${pid}-Notice-${kind}-${date}-${shortHash(key)}`, {
        project,
        region,
        name: `nhi-${kind}-${date}-${shortHash(`${TerraformStack.of(this).node.path}|${key}`)}`,
        description: `nhi-constructs: ${kind} notice for identities expiring on ${expires} (Cloud Scheduler has no one-time jobs: it recurs yearly until the identities are removed from code)`,
        schedule: yearlyCron(date, kind === 'expired' ? 0 : 9),
        timeZone: 'Etc/UTC',
        attemptDeadline: '60s',
        retryConfig: { retryCount: 3 },
        httpTarget: {
          httpMethod: 'POST',
          uri: 'https://logging.googleapis.com/v2/entries:write',
          headers: { 'Content-Type': 'application/json' },
          body,
          oauthToken: { serviceAccountEmail: notifier.email, scope: 'https://www.googleapis.com/auth/cloud-platform' },
        },
      });
    }
    members.add(identityPath);
  }

  private noticePolicy(project: string, channel: NoticeChannel): void {
    const pid = this.pid(project);
    const key = `${pid}|${channel.key}`;
    if (this.noticePolicies.has(key)) return;
    this.noticePolicies.add(key);
    new MonitoringAlertPolicy(this, `${pid}-Notices-${channel.key}`, {
      project,
      displayName: `NHI notices for ${channel.team} (${channel.contact})`,
      combiner: 'OR',
      severity: 'WARNING',
      notificationChannels: [channel.id],
      conditions: [{
        displayName: 'nhi-constructs expiry notice',
        conditionMatchedLog: {
          filter: `logName="projects/${project}/logs/${NOTICE_LOG}" AND labels.nhi_channel="${channel.key}"`,
          labelExtractors: { subject: 'EXTRACT(jsonPayload.subject)', identities: 'EXTRACT(jsonPayload.identities)' },
        },
      }],
      alertStrategy: { notificationRateLimit: { period: '300s' }, autoClose: '1800s' },
      // `$${` is Terraform's escape for a literal `${`: Cloud Monitoring expands these variables.
      documentation: this.documentation(pid, channel, '$${log.extracted_label.subject}',
        'Non-human identities owned by your team reach their expiry: $${log.extracted_label.identities}.\n\n' +
        'Re-attest and extend `expires` in code (within the policy), or remove the identities (offboarding).'),
      userLabels: this.labels(channel.team),
    });
  }

  /**
   * Watches a service account: alerts the channel when a key is created for it and when it is
   * denied access. Accounts share the channel's alert policies, as many per policy as fit
   * {@link MAX_WATCH_LIST_CHARS}.
   */
  public watch(project: string, channel: NoticeChannel, email: string): { governedKeys: string[] } {
    const pid = this.pid(project);
    const key = `${pid}|${channel.key}`;
    let w = this.watches.get(key);
    if (!w) {
      w = { policies: [], emails: [], keys: [], chars: 0 };
      this.watches.set(key, w);
    }
    const cost = email.length + 6; // `"<email>" OR `
    if (w.emails.length === 0 || w.chars + cost > MAX_WATCH_LIST_CHARS) {
      w.chars = 0;
      const batch: string[] = [];
      const keys: string[] = [];
      const n = w.emails.length;
      w.emails.push(batch);
      w.keys.push(keys);
      const list = () => `(${batch.map((e) => `"${e}"`).join(' OR ')})`;
      const common = {
        project,
        combiner: 'OR',
        notificationChannels: [channel.id],
        alertStrategy: { notificationRateLimit: { period: '300s' }, autoClose: '1800s' },
        userLabels: this.labels(channel.team),
      };
      w.policies.push(new MonitoringAlertPolicy(this, `${pid}-KeyCreated-${channel.key}-${n}`, {
        ...common,
        displayName: `NHI key created: accounts of ${channel.team}${n > 0 ? ` (${n + 1})` : ''}`,
        severity: 'WARNING',
        conditions: [{
          displayName: 'service account key created',
          conditionMatchedLog: {
            filter: Lazy.stringValue({
              produce: () => 'protoPayload.methodName=("google.iam.admin.v1.CreateServiceAccountKey" OR "google.iam.admin.v1.UploadServiceAccountKey") ' +
                `AND resource.type="service_account" AND resource.labels.email_id=${list()}`,
            }),
            labelExtractors: { account: 'EXTRACT(resource.labels.email_id)', by: 'EXTRACT(protoPayload.authenticationInfo.principalEmail)' },
          },
        }],
        documentation: this.documentation(pid, channel, 'NHI: key created for $${log.extracted_label.account}',
          'A key was created for the governed service account $${log.extracted_label.account} by $${log.extracted_label.by}.\n\n' +
          'Expected only when nhi-constructs rotates a governed key. Otherwise delete the key and find out who created it.'),
      }));
      // Key use: audit log entries authenticated with a service account key
      // (authenticationInfo.serviceAccountKeyName) other than the account's governed keys.
      w.policies.push(new MonitoringAlertPolicy(this, `${pid}-KeyUsed-${channel.key}-${n}`, {
        ...common,
        displayName: `NHI ungoverned key used: accounts of ${channel.team}${n > 0 ? ` (${n + 1})` : ''}`,
        severity: 'WARNING',
        conditions: [{
          displayName: 'service account key used',
          conditionMatchedLog: {
            filter: Lazy.stringValue({
              produce: () => `protoPayload.authenticationInfo.principalEmail=${list()} AND protoPayload.authenticationInfo.serviceAccountKeyName:*` +
                (keys.length > 0 ? ` AND NOT protoPayload.authenticationInfo.serviceAccountKeyName=(${keys.map((k) => `"//iam.googleapis.com/${k}"`).join(' OR ')})` : ''),
            }),
            labelExtractors: {
              account: 'EXTRACT(protoPayload.authenticationInfo.principalEmail)',
              key: 'EXTRACT(protoPayload.authenticationInfo.serviceAccountKeyName)',
              method: 'EXTRACT(protoPayload.methodName)',
            },
          },
        }],
        documentation: this.documentation(pid, channel, 'NHI: ungoverned key used by $${log.extracted_label.account}',
          'The governed service account $${log.extracted_label.account} called $${log.extracted_label.method} with the key $${log.extracted_label.key}, ' +
          'which is not one of its governed keys (an account without `keys` has none).\n\n' +
          'Delete the key and find out who created and used it.'),
      }));
      w.policies.push(new MonitoringAlertPolicy(this, `${pid}-AccessDenied-${channel.key}-${n}`, {
        ...common,
        displayName: `NHI access denied: accounts of ${channel.team}${n > 0 ? ` (${n + 1})` : ''}`,
        severity: 'WARNING',
        conditions: [{
          displayName: 'service account denied access',
          conditionMatchedLog: {
            filter: Lazy.stringValue({ produce: () => `protoPayload.authenticationInfo.principalEmail=${list()} AND protoPayload.status.code=7` }),
            labelExtractors: { account: 'EXTRACT(protoPayload.authenticationInfo.principalEmail)', method: 'EXTRACT(protoPayload.methodName)' },
          },
        }],
        documentation: this.documentation(pid, channel, 'NHI: access denied for $${log.extracted_label.account}',
          'The governed service account $${log.extracted_label.account} was denied $${log.extracted_label.method}.\n\n' +
          'It may need more scope (change it in code), be used after its expiry date, or be misused.'),
      }));
    }
    w.emails[w.emails.length - 1].push(email);
    w.chars += cost;
    return { governedKeys: w.keys[w.keys.length - 1] };
  }

  /**
   * Schedules a one-time (yearly-recurring, see {@link yearlyCron}) Google API call at 00:00 UTC on
   * `date`, made by the project's notifier service account, e.g. deleting an API key at expiry.
   */
  public expiryCall(scope: Construct, id: string, project: string, region: string | undefined, date: string, httpMethod: string,
    uri: string, permission: string, description: string): CloudSchedulerJob {
    const notifier = this.notifier(project, permission);
    return new CloudSchedulerJob(scope, id, {
      project,
      region,
      name: `nhi-expire-${shortHash(`${scope.node.path}/${id}`)}`,
      description,
      schedule: yearlyCron(date, 0),
      timeZone: 'Etc/UTC',
      attemptDeadline: '60s',
      retryConfig: { retryCount: 5, minBackoffDuration: '60s' },
      httpTarget: {
        httpMethod,
        uri,
        ...(httpMethod === 'POST' ? { headers: { 'Content-Type': 'application/json' }, body: Buffer.from('{}').toString('base64') } : {}),
        oauthToken: { serviceAccountEmail: notifier.email, scope: 'https://www.googleapis.com/auth/cloud-platform' },
      },
    });
  }

  /** The project's keyless notifier service account; `permission` is added to its custom role. */
  private notifier(project: string, permission: string): ServiceAccount {
    const pid = this.pid(project);
    let n = this.notifiers.get(pid);
    if (!n) {
      const hash = shortHash(`${TerraformStack.of(this).node.path}|${pid}`);
      const permissions = new Set<string>();
      const sa = new ServiceAccount(this, `${pid}-Notifier`, {
        project,
        accountId: `nhi-notifier-${hash}`,
        displayName: 'nhi-constructs notifier',
        description: 'nhi-constructs: Cloud Scheduler identity that writes NHI expiry notices and disables expired credentials. Keyless.',
      });
      const role = new ProjectIamCustomRole(this, `${pid}-NotifierRole`, {
        project,
        roleId: `nhiNotifier_${hash}`,
        title: 'nhi-constructs notifier',
        description: 'Exactly the calls the nhi-constructs Cloud Scheduler jobs make',
        permissions: Token.asList(Lazy.listValue({ produce: () => [...permissions].sort() })),
      });
      new ProjectIamMember(this, `${pid}-NotifierBinding`, { project, role: role.name, member: sa.member });
      n = { sa, permissions };
      this.notifiers.set(pid, n);
    }
    n.permissions.add(permission);
    return n.sa;
  }
}
