import { ApikeysKey, ApikeysKeyRestrictions } from '@cdktf/provider-google/lib/apikeys-key';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GoogleAlarmOptions } from './alarm-options';
import { GoogleNotices } from './private/notices';
import { credentialSecret } from './private/secret';
import { IGovernedIdentity, NhiRegister } from '../cdktf/register';
import { OverlappingRotation } from '../cdktf/rotation';
import { declareIdentity } from '../cdktf/verification';
import { GovernanceProps } from '../core/contract';
import { identityControls } from '../core/controls';
import { googleAlarm } from '../core/google-alarms';
import { governIdentity, registerGovernanceFields, ResolvedGovernance } from '../core/governance';
import { RegisterAlarm, RegisterEntry } from '../core/register';
import { checkGoogleApiKeyRestriction, checkGoogleApiTargets, GOOGLE_API_KEY_RESTRICTIONS } from '../core/rules/google-api-key';
import { googleReaches } from '../core/rules/google-lifecycle';
import { checkGoogleApiKeyName, checkGoogleProject } from '../core/rules/google-names';
import { checkEnvironmentCrossing } from '../core/rules/lifecycle';
import { suspendCreationStacks } from '../cdktf/private/creation-stack';

/** One Google API a key may call. */
export interface GoogleApiTarget {
  /** The API's service name, e.g. `translate.googleapis.com`. */
  readonly service: string;
  /**
   * The methods of that API the key may call (a trailing `*` is Google's own prefix wildcard).
   * @default - every method of the API
   */
  readonly methods?: string[];
}

/** An Android app allowed to use a key. */
export interface GoogleAndroidApp {
  /** The package name, e.g. `com.example.app`. */
  readonly packageName: string;
  /** SHA-1 fingerprint of the app's signing certificate, `DA:39:A3:...` (20 hex bytes). */
  readonly sha1Fingerprint: string;
}

/** Where an API key may be used from. Give exactly one. */
export interface GoogleApiKeyClientRestriction {
  /**
   * Server keys: IP addresses or CIDR ranges of the callers.
   * @default - not a server key
   */
  readonly allowedIps?: string[];
  /**
   * Browser keys: HTTP referrers, e.g. `https://app.example.com/*`.
   * @default - not a browser key
   */
  readonly allowedReferrers?: string[];
  /**
   * Android keys: the apps allowed to call.
   * @default - not an Android key
   */
  readonly androidApps?: GoogleAndroidApp[];
  /**
   * iOS keys: bundle ids allowed to call, e.g. `com.example.app`.
   * @default - not an iOS key
   */
  readonly iosBundleIds?: string[];
}

/** Props of a governed Google API key (cdktf). */
export interface GovernedApiKeyProps extends GovernanceProps {
  /** The APIs the key may call. Never empty. */
  readonly scope: GoogleApiTarget[];
  /** The project the key lives in. */
  readonly project: string;
  /** The key's name (at most 52 characters of RFC 1034; the rotation suffix `-<unix time>` is added). */
  readonly name: string;
  /** Where the key may be used from: exactly one kind of client restriction (required). */
  readonly clientRestriction: GoogleApiKeyClientRestriction;
  /**
   * How often the key is replaced, in days.
   * @default - the policy's defaultRotationDays (30)
   */
  readonly rotationDays?: number;
  /**
   * Where notifications go.
   * @default - the owner's e-mail notification channel
   */
  readonly alarms?: GoogleAlarmOptions;
}

/** What Google cannot do for a governed API key, recorded in the register. */
export const API_KEY_LIMITATIONS: readonly string[] = [
  'API keys have no expiry and no IAM conditions: Cloud Scheduler deletes the key at 00:00 UTC on the expiry date (Google keeps it restorable for 30 days), and the Secret Manager secret holding it expires at the same instant',
  'API keys take no labels: owner and expiry are in the display name and the register',
];

/**
 * A governed Google API key for cdktf: restricted to the given APIs and to one kind of client,
 * replaced on schedule (a new name per rotation), handed out only through Secret Manager, deleted
 * at expiry, with notices to the owner and an entry in the stack's NHI register.
 */
export class GovernedApiKey extends Construct implements IGovernedIdentity {
  /**
   * The first of the two overlapping key slots: see `apiKeys`.
   * @deprecated use `apiKeys`: two keys overlap, and the secret holds the newer one
   */
  public readonly apiKey: ApikeysKey;
  /**
   * The two overlapping keys: each replaced every `2 x rotationDays`, alternately, so one of them
   * is new every `rotationDays` and the other keeps working one more period. The secret holds the
   * newer one.
   */
  public readonly apiKeys: ApikeysKey[];
  /** The Secret Manager secret consumers read the key string from. */
  public readonly secret: SecretManagerSecret;
  /** The governance this key resolved to. */
  public readonly governance: ResolvedGovernance;
  /** The key's name without the rotation suffix. */
  public readonly keyName: string;

  private readonly targets: GoogleApiTarget[];
  private readonly restrictionKind: string;
  private readonly restriction: GoogleApiKeyClientRestriction;
  private readonly project: string;
  private readonly alarmList: RegisterAlarm[];

  public constructor(scope: Construct, id: string, props: GovernedApiKeyProps) {
    super(scope, id);
    // Tokens this construct makes for itself carry no creation stack (see suspendCreationStacks).
    const resume = suspendCreationStacks();
    try {
      const p = (props ?? {}) as Partial<GovernedApiKeyProps>;
      const project = typeof p.project === 'string' && !p.project.includes('${') ? p.project : undefined;
      const gov = governIdentity(this, { ...p, uniqueNames: [{ kind: 'Google API key', name: p.name, namespace: project }] }, (policy, environment) => [
        ...checkGoogleApiKeyName(p.name),
        ...checkGoogleProject(p.project),
        ...checkGoogleApiTargets(p.scope),
        ...checkGoogleApiKeyRestriction(p.clientRestriction, 'clientRestriction', policy),
        ...checkEnvironmentCrossing(environment, googleReaches({ project: p.project }), policy),
      ], true);
      this.governance = gov;
      this.keyName = p.name!;
      this.project = p.project!;
      this.targets = p.scope!.map((t) => ({ service: t.service, ...(t.methods ? { methods: [...t.methods] } : {}) }));
      const r = p.clientRestriction!;
      this.restrictionKind = GOOGLE_API_KEY_RESTRICTIONS.find((k) => r[k] !== undefined && r[k] !== null)!;
      this.restriction = r;

      const rotation = new OverlappingRotation(this, 'Rotation', gov.rotationDays!);
      const restrictions: ApikeysKeyRestrictions = {
        apiTargets: this.targets.map((t) => ({ service: t.service, methods: t.methods })),
        ...(r.allowedIps ? { serverKeyRestrictions: { allowedIps: [...r.allowedIps] } } : {}),
        ...(r.allowedReferrers ? { browserKeyRestrictions: { allowedReferrers: [...r.allowedReferrers] } } : {}),
        ...(r.androidApps ? { androidKeyRestrictions: { allowedApplications: r.androidApps.map((a) => ({ packageName: a.packageName, sha1Fingerprint: a.sha1Fingerprint })) } } : {}),
        ...(r.iosBundleIds ? { iosKeyRestrictions: { allowedBundleIds: [...r.iosBundleIds] } } : {}),
      };
      // Two key slots, one replaced every rotationDays (alternately): the key handed out one
      // period ago keeps working for one more period. Names change with every slot period (a
      // deleted key's name cannot be reused for 30 days): a new time_rotating makes the name
      // unknown at plan, which replaces that slot's key.
      this.apiKeys = rotation.slots.map((slot, i) => new ApikeysKey(this, i === 0 ? 'Key' : 'KeyB', {
        project: this.project,
        name: `${this.keyName}-${Token.asString(slot.rotating.unix)}`,
        displayName: `${this.keyName} (nhi ${gov.owner.team} until ${gov.expires})`.slice(0, 63),
        restrictions,
        lifecycle: { createBeforeDestroy: true },
      }));
      this.apiKey = this.apiKeys[0];
      this.secret = credentialSecret(this, 'Secret', {
        project: this.project, secretId: `nhi-api-key-${this.keyName}`, governance: gov,
        value: rotation.newest(this.apiKeys[0].keyString, this.apiKeys[1].keyString),
      });

      const notices = GoogleNotices.of(this);
      const region = p.alarms?.schedulerRegion;
      const channel = notices.channelFor(this.project, gov.owner.team, gov.owner.contact, p.alarms?.notificationChannel, p.alarms?.runbookUrl);
      const notifies = p.alarms?.notificationChannel ?? gov.owner.contact;
      notices.notice(this.project, region, 'expiry-reminder', gov.reminderDate, gov.expires, channel, this.node.path);
      notices.notice(this.project, region, 'expired', gov.expires, gov.expires, channel, this.node.path);
      this.apiKeys.forEach((key, i) => notices.expiryCall(this, i === 0 ? 'DeleteAtExpiry' : 'DeleteBAtExpiry', this.project, region, gov.expires, 'DELETE',
        `https://apikeys.googleapis.com/v2/${key.id}`, 'apikeys.keys.delete',
        `nhi-constructs: delete API key ${this.keyName} at its expiry (${gov.expires})`));
      this.alarmList = [
        googleAlarm('expiry-reminder', gov.reminderDate, gov.expires, notifies),
        googleAlarm('expired', gov.reminderDate, gov.expires, notifies),
        googleAlarm('credential-disabled', gov.reminderDate, gov.expires, notifies),
      ];
      NhiRegister.of(this).add(this);
      // No principal: the artifact check covers its key (outputs, extra credentials) and the stack.
      declareIdentity(this, { cloud: 'google', principals: [], names: [], expiresAt: gov.expiresAt });
    } catch (e) {
      throw resume(e);
    } finally {
      resume();
    }
  }

  /** This key's entry in the NHI register (tokens unresolved). */
  public get registerEntry(): RegisterEntry {
    const r = this.restriction;
    const clients = r.androidApps
      ? r.androidApps.map((a) => `${a.packageName};${a.sha1Fingerprint}`)
      : [...(r.allowedIps ?? r.allowedReferrers ?? r.iosBundleIds ?? [])];
    return {
      path: this.node.path,
      kind: 'api-key',
      cloud: 'google',
      name: this.keyName,
      ...registerGovernanceFields(this.governance),
      scope: this.targets.map((t) => ({ service: t.service, methods: t.methods ? [...t.methods] : null })),
      credentials: 'api-key',
      rotation: { days: this.governance.rotationDays! },
      alarms: this.alarmList,
      controls: identityControls(true, this.governance),
      details: {
        project: this.project,
        clientRestriction: { [this.restrictionKind]: clients },
        secret: `nhi-api-key-${this.keyName}`,
        limitations: [...API_KEY_LIMITATIONS],
      },
    };
  }
}
