import { ALARM_KINDS } from './alarms';
import { Approval, Owner, Vendor } from './contract';
import { identityControls } from './controls';
import { addDays } from './dates';
import { googleExpiryExpression } from './google-condition';
import { GOOGLE_ALARM_KINDS } from './google-alarms';
import { lookupAction } from './private/iam-catalog';
import { RegisterReadError } from './private/register-read-error';
import { isPrivileged } from './rules/aws-scope';
import { expandActionPattern } from './rules/aws-widening';
import { googleAccountControls } from './rules/google-lifecycle';

/** Version of the `nhi-register.json` format written (see docs/register.md). */
export const REGISTER_VERSION = 2;
/** The register versions `readRegister` reads. */
export const REGISTER_VERSIONS: readonly number[] = [1, 2];
/** File name of a stack's register, written beside its synthesised template. */
export const REGISTER_FILE = 'nhi-register.json';

/** A notification a governed identity sends its owner. */
export interface RegisterAlarm {
  /** `expiry-reminder`, `expired`, `access-denied`, ... (see docs/cdktf-aws.md "Notifications and alarms"). */
  readonly kind: string;
  /** When it fires, in words. */
  readonly description: string;
  /** Where it goes (e-mail address or topic/channel reference). */
  readonly notifies: string;
}

/** Rotation of a governed identity's secret. */
export interface RegisterRotation {
  readonly days: number;
}

/** The waiver that accepted a finding (see `Waiver`). */
export interface RegisterAcceptedWaiver {
  readonly reason: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
  /** The waiver's owner team. */
  readonly owner: string;
}

/**
 * Something the synthesised artifact grants to, trusts for or hands out for an identity beyond its
 * declaration, which a waiver accepts (without the waiver, the synth fails). Together with the
 * declaration, these are what the artifact holds for the identity.
 */
export interface RegisterAcceptedFinding {
  /** The finding's code, e.g. `NHI_SCOPE_WIDENED`. */
  readonly code: string;
  /** Construct path (or artifact address) of the element that grants, trusts or hands out. */
  readonly source: string;
  /** Its resource type (`aws_iam_role_policy_attachment`, `AWS::IAM::Policy`). */
  readonly resourceType: string;
  /** Its attribute (`policy_arn`, `policy`, `member`). */
  readonly attribute: string;
  /** What the artifact does, in words. */
  readonly message: string;
  readonly waiver: RegisterAcceptedWaiver;
}

/** One identity in a stack's NHI register. */
export interface RegisterEntry {
  /** Construct path of the governed construct. */
  readonly path: string;
  /** `service-account` or `api-key`. */
  readonly kind: string;
  /** `aws` or `google`. */
  readonly cloud: string;
  /** Name of the identity in the cloud (may be a token reference where unknown at synth). */
  readonly name: string;
  readonly owner: Owner;
  /**
   * The workload that uses it.
   * @default - not declared (rendered as null)
   */
  readonly system?: string;
  /**
   * Why it shares its system and part of its scope with another identity.
   * @default - none (omitted)
   */
  readonly reuseJustification?: string;
  /**
   * Its environment.
   * @default - not declared (rendered as null)
   */
  readonly environment?: string;
  readonly purpose: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
  /**
   * Who approved it.
   * @default - not recorded (rendered as null)
   */
  readonly approval?: Approval;
  /**
   * The third party that uses it.
   * @default - not a third-party identity (rendered as null)
   */
  readonly vendor?: Vendor;
  /** What it can do, target-specific (AWS: grants of actions with access levels on resources). */
  readonly scope: any;
  /** `none` (workload identity), `access-key`, `api-key`, `service-account-key`. */
  readonly credentials: string;
  /**
   * Rotation of its secret.
   * @default - no secret to rotate (rendered as null)
   */
  readonly rotation?: RegisterRotation;
  readonly alarms: RegisterAlarm[];
  /** OWASP NHI Top 10 risks mitigated, e.g. `NHI1`. */
  readonly controls: string[];
  /** Target-specific facts (principals trusted, API stages, ...). */
  readonly details?: { [key: string]: any };
  /**
   * What the synthesised artifact holds for the identity beyond its declaration, accepted by a
   * waiver (anything else beyond the declaration fails the synth).
   * @default - none (omitted): the artifact holds exactly the declaration
   */
  readonly accepted?: RegisterAcceptedFinding[];
}

/** Stable key order for one entry: a reviewer's diff shows only what changed. */
function normaliseEntry(e: RegisterEntry): Record<string, any> {
  const owner = { team: e.owner.team, contact: e.owner.contact };
  const system = e.system ?? null;
  const environment = e.environment ?? null;
  const approval = e.approval ? approvalOf(e.approval) : null;
  const vendor = e.vendor ? vendorOf(e.vendor) : null;
  const rotation = e.rotation ? { days: e.rotation.days } : null;
  const given = e.alarms;
  const alarms = given.map((a) => ({ kind: a.kind, description: a.description, notifies: a.notifies }));
  const controls = [...e.controls];
  // Built directly in the written key order (no intermediate objects): reuseJustification only where given.
  const n: Record<string, any> = e.reuseJustification
    ? { path: e.path, kind: e.kind, cloud: e.cloud, name: e.name, owner, system, reuseJustification: e.reuseJustification, environment, purpose: e.purpose, expires: e.expires,
      approval, vendor, credentials: e.credentials, rotation, scope: e.scope, alarms, controls }
    : { path: e.path, kind: e.kind, cloud: e.cloud, name: e.name, owner, system, environment, purpose: e.purpose, expires: e.expires,
      approval, vendor, credentials: e.credentials, rotation, scope: e.scope, alarms, controls };
  if (e.details) n.details = e.details;
  if (e.accepted && e.accepted.length > 0) n.accepted = acceptedOf(e.accepted);
  return n;
}

function approvalOf(a: Approval): Approval {
  return a.approvedBy ? { ticket: a.ticket, approvedBy: a.approvedBy } : { ticket: a.ticket };
}

function vendorOf(v: Vendor): Vendor {
  return v.contractRef ? { name: v.name, contact: v.contact, contractRef: v.contractRef } : { name: v.name, contact: v.contact };
}

function acceptedOf(accepted: readonly RegisterAcceptedFinding[]): RegisterAcceptedFinding[] {
  return accepted.map((a) => ({
    code: a.code, source: a.source, resourceType: a.resourceType, attribute: a.attribute, message: a.message,
    waiver: { reason: a.waiver.reason, expires: a.waiver.expires, owner: a.waiver.owner },
  }));
}

/** Sorts entries by construct path (the register's order). */
function byPath(entries: RegisterEntry[]): RegisterEntry[] {
  return [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Renders a register in the old format (version 1: every field of every entry spelt out,
 * two-space JSON). Kept for readers that only know version 1 and for compatibility tests.
 */
export function renderRegisterV1(entries: RegisterEntry[], waivers: Record<string, unknown>[] = []): string {
  const identities = byPath(entries).map(normaliseEntry);
  return JSON.stringify({ version: 1, identities, waivers }, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// Version 2: the same information without what can be derived (see docs/register.md).
// Every rule is "omit when the reader derives the same value, else write it": the writer checks
// each compacted entry by expanding it again, and writes the entry in full where they differ.
// ---------------------------------------------------------------------------------------------

/**
 * Limitations the adapters list in `details.limitations`, written by id in version 2. Ids are
 * never reused or removed (old registers name them); a text not listed here is written as is.
 */
export const KNOWN_LIMITATIONS: { readonly [id: string]: string } = Object.freeze({
  'google-sa-no-labels': 'google_service_account takes no labels: owner, purpose and expiry are in its description and display name',
  'google-conditions-own-bindings': 'IAM conditions end the bindings this construct creates; roles granted to the account elsewhere are not limited',
  'google-sa-key-no-expiry': 'service account keys have no per-key expiry: both overlapping keys are disabled at expiry by Cloud Scheduler; the org policy constraints/iam.serviceAccountKeyExpiryHours is the matching organisation-wide guard',
  'google-api-key-no-expiry': 'API keys have no expiry and no IAM conditions: Cloud Scheduler deletes the key at 00:00 UTC on the expiry date (Google keeps it restorable for 30 days), and the Secret Manager secret holding it expires at the same instant',
  'google-api-key-no-labels': 'API keys take no labels: owner and expiry are in the display name and the register',
});
const LIMITATION_IDS = new Map(Object.entries(KNOWN_LIMITATIONS).map(([id, text]) => [text, id]));

/** The limitations (by id) a Google identity lists unless its entry says otherwise. */
function defaultLimitations(e: Json): string[] | undefined {
  if (e.cloud !== 'google') return undefined;
  if (e.kind === 'api-key') return ['google-api-key-no-expiry', 'google-api-key-no-labels'];
  if (e.kind !== 'service-account') return undefined;
  const base = ['google-sa-no-labels', 'google-conditions-own-bindings'];
  return e.credentials === 'service-account-key' ? [...base, 'google-sa-key-no-expiry'] : base;
}

/** Days before expiry of the owner's reminder when the policy does not say otherwise. */
const DEFAULT_REMINDER_DAYS = 30;

type Json = Record<string, any>;

const derivedActions = new Map<string, { action: string; accessLevel: string; privileged: boolean }>();

/** An AWS action's register view as the scope analysis writes it (catalogue access level, privileged). */
function derivedAction(action: string): { action: string; accessLevel: string; privileged: boolean } {
  let d = derivedActions.get(action);
  if (d === undefined) {
    if (action.includes('*') || action.includes('?')) {
      const expanded = expandActionPattern(action) ?? [];
      d = { action, accessLevel: 'Wildcard', privileged: expanded.some((x) => { const info = lookupAction(x); return info !== undefined && isPrivileged(info); }) };
    } else {
      const info = lookupAction(action);
      d = info ? { action: info.name, accessLevel: info.accessLevel, privileged: isPrivileged(info) } : { action, accessLevel: 'Unknown', privileged: false };
    }
    derivedActions.set(action, d);
  }
  return d;
}

function alarmCatalogue(cloud: string): Record<string, { when: (r: string | undefined, e: string) => string }> {
  return cloud === 'google' ? GOOGLE_ALARM_KINDS : ALARM_KINDS;
}

const reminders = new Map<string, string | undefined>();

function defaultReminder(expires: string): string | undefined {
  if (reminders.has(expires)) return reminders.get(expires);
  let r: string | undefined;
  try {
    r = addDays(expires, -DEFAULT_REMINDER_DAYS);
  } catch {
    r = undefined;
  }
  if (reminders.size < 100_000) reminders.set(expires, r);
  return r;
}

/** The description of an alarm of `kind`, or undefined if the kind is unknown for the cloud. */
function alarmDescription(cloud: string, kind: string, reminder: string | undefined, expires: string): string | undefined {
  const c = alarmCatalogue(cloud);
  return Object.prototype.hasOwnProperty.call(c, kind) ? c[kind].when(reminder, expires) : undefined;
}

function derivedControls(e: Json): string[] {
  const declared = { system: e.system ?? undefined, environment: e.environment ?? undefined, vendor: e.vendor ?? undefined };
  const secret = e.credentials !== 'none';
  if (e.cloud === 'google' && e.kind === 'service-account') {
    const users = e.details?.usedBy;
    return googleAccountControls(secret, declared, Array.isArray(users) && users.length > 0);
  }
  return identityControls(secret, declared);
}

function isGoogleAccount(e: Json): boolean {
  return e.cloud === 'google' && e.kind === 'service-account';
}

function googleAccountEmail(details: Json | undefined): string | undefined {
  return details && typeof details.accountId === 'string' && typeof details.project === 'string'
    ? `${details.accountId}@${details.project}.iam.gserviceaccount.com` : undefined;
}

function googleCondition(expires: string): string | undefined {
  try {
    return googleExpiryExpression(expires);
  } catch {
    return undefined;
  }
}

/** A Google binding with `privileged: false` put back where the register writes it. */
function withPrivileged(item: Json): Json {
  if ('privileged' in item) return item;
  const out: Json = {};
  let placed = false;
  for (const [k, v] of Object.entries(item)) {
    if (!placed && (k === 'custom' || k === 'justification')) {
      out.privileged = false;
      placed = true;
    }
    out[k] = v;
  }
  if (!placed) out.privileged = false;
  return out;
}

function expandScopeItem(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const g = item as Json;
  if (Array.isArray(g.actions)) {
    return { ...g, actions: g.actions.map((a: unknown) => (typeof a === 'string' ? { ...derivedAction(a), action: a } : a)) };
  }
  if (typeof g.role === 'string') return withPrivileged(g);
  return item;
}

function compactScopeItem(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const g = item as Json;
  if (Array.isArray(g.actions)) {
    if (!plain(g)) proven = false;
    const given: unknown[] = g.actions;
    const actions = new Array(given.length);
    for (let i = 0; i < given.length; i++) actions[i] = compactAction(given[i]);
    return { ...g, actions };
  }
  if (typeof g.role === 'string') {
    if (g.privileged === false) {
      // The reader puts `privileged: false` back before the first `custom` or `justification` key, else last.
      if (!plain(g) || !privilegedWhereDerived(g)) proven = false;
      const { privileged, ...rest } = g;
      return rest;
    }
    if (!('privileged' in g)) proven = false; // the reader would add `privileged: false`
  }
  return item;
}

/** An action as written: its name alone where the catalogue gives its access level and privilege. */
function compactAction(a: any): unknown {
  if (typeof a === 'string') {
    proven = false; // the reader makes an action entry of it
    return a;
  }
  if (a === null || typeof a !== 'object' || typeof a.action !== 'string') return a;
  const keys = Object.keys(a);
  if (keys.length !== 3) return a;
  const d = derivedAction(a.action);
  if (d.accessLevel !== a.accessLevel || d.privileged !== a.privileged) return a;
  // The reader's entry is { action, accessLevel, privileged }, in that order.
  if (keys[0] !== 'action' || keys[1] !== 'accessLevel' || keys[2] !== 'privileged' || !plain(a)) proven = false;
  return a.action;
}

/** True if `privileged` is where the reader's {@link withPrivileged} puts it back in `g`. */
function privilegedWhereDerived(g: Json): boolean {
  const keys = Object.keys(g);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === 'privileged') return i + 1 === keys.length || keys[i + 1] === 'custom' || keys[i + 1] === 'justification';
    if (k === 'custom' || k === 'justification') return false;
  }
  return false;
}

/**
 * Set by {@link compactEntry}: true if every omission in the entry it compacted is proved to read
 * back exactly (each omitted value is what the reader's own derivation gives, at the place the
 * reader puts it, and every value copied is plain data). Where false, the writer expands the
 * compact entry and compares (the guard for what the proof does not cover).
 */
let proven = true;

/** A plain object (as JSON writes it: own enumerable keys, no `toJSON`). */
function plain(o: object): boolean {
  const proto = Object.getPrototypeOf(o);
  return (proto === Object.prototype || proto === null) && typeof (o as Json).toJSON !== 'function';
}

function expandDetails(e: Json, details: Json): Json {
  let out: Json = details;
  if (isGoogleAccount(e)) {
    const condition = 'condition' in details ? undefined : googleCondition(e.expires);
    out = {};
    let placed = false;
    for (const [k, v] of Object.entries(details)) {
      if (k === 'condition') {
        if (v !== null) out[k] = v;
        placed = true;
        continue;
      }
      out[k] = v;
      if (k === 'accountId' && !placed && condition !== undefined) {
        out.condition = condition;
        placed = true;
      }
    }
  }
  const limitations = 'limitations' in out ? out.limitations : defaultLimitations(e);
  if (limitations === null) {
    const { limitations: _, ...rest } = out;
    out = rest;
  } else if (Array.isArray(limitations)) {
    out = { ...out, limitations: limitations.map((l: unknown) => (typeof l === 'string' && Object.prototype.hasOwnProperty.call(KNOWN_LIMITATIONS, l) ? KNOWN_LIMITATIONS[l] : l)) };
  }
  return out;
}

function compactDetails(e: Json, details: Json): Json {
  if (typeof details !== 'object' || Array.isArray(details) || !plain(details)) proven = false;
  let out: Json = details;
  if (isGoogleAccount(e)) {
    out = {};
    let previous: string | undefined;
    for (const [k, v] of Object.entries(details)) {
      if (k === 'condition') {
        if (v === googleCondition(e.expires)) {
          // The reader derives it and puts it right after `accountId`.
          if (previous !== 'accountId') proven = false;
          previous = k;
          continue;
        }
        if (v === null) proven = false; // the reader reads a null condition as "none" and drops it
      }
      previous = k;
      out[k] = v;
    }
    if (!('condition' in details)) out.condition = null; // says "none": the reader would derive one
  }
  const standard = defaultLimitations(e);
  if (Array.isArray(out.limitations)) {
    const given: unknown[] = out.limitations;
    if (Object.getPrototypeOf(given) !== Array.prototype || typeof (given as any).toJSON === 'function') proven = false;
    const ids = given.map((l: unknown) => (typeof l === 'string' ? LIMITATION_IDS.get(l) ?? l : l));
    if (standard && sameStringList(ids, standard)) {
      // The reader appends the derived list last, as texts.
      if (!lastKey(details, 'limitations') || !given.every((l) => typeof l === 'string' && LIMITATION_IDS.has(l))) proven = false;
      const { limitations: _, ...rest } = out;
      out = rest;
    } else {
      // The reader turns every known id back into its text: a text that is not listed must not be an id.
      for (const l of given) if (typeof l === 'string' && !LIMITATION_IDS.has(l) && Object.prototype.hasOwnProperty.call(KNOWN_LIMITATIONS, l)) proven = false;
      out = { ...out, limitations: ids };
    }
  } else if (standard && !('limitations' in out)) {
    out = { ...out, limitations: null }; // says "none": the reader would derive them
  } else if (out.limitations === null) {
    proven = false; // the reader reads null as "none" and drops the key
  }
  return out;
}

/** `JSON.stringify(a) === JSON.stringify(b)` for `b` a list of strings (without the strings where the items are the same). */
function sameStringList(a: unknown[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return JSON.stringify(a) === JSON.stringify(b);
  return true;
}

function lastKey(o: Json, key: string): boolean {
  const keys = Object.keys(o);
  return keys.length > 0 && keys[keys.length - 1] === key;
}

/**
 * Expands one version-2 entry to the version-1 form (every field, nulls where undeclared).
 * `owners` is the register's owner table.
 */
function expandEntry(raw: Json, owners: Json, at: string, shared?: SharedReading): Record<string, unknown> {
  let owner = raw.owner;
  let ownerCopy: Json | undefined;
  if (typeof owner === 'string') {
    const key = owner;
    if (!Object.prototype.hasOwnProperty.call(owners, key)) throw unknownOwner(at, key);
    owner = owners[key];
    if (shared) {
      ownerCopy = shared.owners.get(key);
      if (!ownerCopy) shared.owners.set(key, ownerCopy = Object.freeze({ team: owner.team, contact: owner.contact }));
    }
  }
  const kind = raw.kind ?? 'service-account';
  const cloud = raw.cloud;
  const expires = raw.expires;
  const credentials = raw.credentials ?? 'none';
  const shape = { cloud, kind, credentials, expires };
  const details: Json | undefined = raw.details && typeof raw.details === 'object' && !Array.isArray(raw.details) ? expandDetails(shape, raw.details) : raw.details;
  const reminder = raw.reminder === 'none' ? undefined : raw.reminder ?? defaultReminder(expires);
  const notifies = raw.notifies ?? owner?.contact;
  const given: unknown[] = Array.isArray(raw.alarms) ? raw.alarms : [];
  // A shared reading shares the list of standard alarms among the entries that have the same.
  const node = shared && allStrings(given) ? alarmListNode(cloud, expires, reminder, notifies, given) : undefined;
  const known = node?.list;
  const alarms: RegisterAlarm[] = known ?? new Array(given.length);
  for (let i = 0; known === undefined && i < given.length; i++) {
    const a = given[i];
    const alarmKind = typeof a === 'string' ? a : (a as Json).kind;
    let description = typeof a === 'string' ? undefined : (a as Json).description;
    if (description === undefined) {
      description = standardDescription(cloud, alarmKind, reminder, expires);
      if (description === undefined) throw unknownAlarm(at, i, alarmKind, cloud);
    }
    alarms[i] = { kind: alarmKind, description, notifies: (typeof a === 'string' ? undefined : (a as Json).notifies) ?? notifies };
  }
  if (node && !known) {
    for (const a of alarms) Object.freeze(a);
    node.list = Object.freeze(alarms) as RegisterAlarm[];
  }
  const name = raw.name ?? (isGoogleAccount(shape) ? googleAccountEmail(details) : undefined) ?? '';
  // What normaliseEntry would make of these fields (same keys, same order, fresh objects), built
  // directly: a reader expands every entry of a register, so no intermediate entry and no spread.
  const scope = !Array.isArray(raw.scope) ? raw.scope : raw.scope.map(shared ? expandScopeItemShared : expandScopeItem);
  const controls = raw.controls ?? derivedControlsOf(cloud, kind, credentials, raw.system, raw.environment, raw.vendor, details);
  const system = raw.system ?? null;
  const environment = raw.environment ?? null;
  const approval = raw.approval ? approvalOf(raw.approval) : null;
  const vendor = raw.vendor ? vendorOf(raw.vendor) : null;
  const rotation = raw.rotation ? { days: raw.rotation.days } : null;
  ownerCopy ??= { team: owner.team, contact: owner.contact };
  // A shared reading owns the parsed entry and shares the derived controls (never changed).
  const controlsCopy = shared && Array.isArray(controls) ? controls : Array.isArray(controls) ? controls.slice() : [...controls];
  const out: Json = raw.reuseJustification
    ? { path: raw.path, kind, cloud, name, owner: ownerCopy, system, reuseJustification: raw.reuseJustification, environment, purpose: raw.purpose, expires, approval, vendor, credentials, rotation, scope, alarms, controls: controlsCopy }
    : { path: raw.path, kind, cloud, name, owner: ownerCopy, system, environment, purpose: raw.purpose, expires, approval, vendor, credentials, rotation, scope, alarms, controls: controlsCopy };
  if (details) out.details = details;
  if (raw.accepted && raw.accepted.length > 0) out.accepted = acceptedOf(raw.accepted);
  // Fields a newer writer added pass through.
  for (const k in raw) {
    if (!NORMALISED_KEYS.has(k) && !V2_ONLY.has(k)) out[k] = raw[k];
  }
  return out;
}

function unknownOwner(at: string, key: string): RegisterReadError {
  return new RegisterReadError(`${at}.owner`, `names owner ${JSON.stringify(key)}, which the register's "owners" table does not list.`);
}

function unknownAlarm(at: string, i: number, kind: unknown, cloud: unknown): RegisterReadError {
  return new RegisterReadError(`${at}.alarms[${i}]`, `is alarm kind ${JSON.stringify(kind)}, which has no standard description for cloud ${JSON.stringify(cloud)}; write it as { "kind", "description" }.`);
}

/**
 * Throws what expanding the entry would throw (an owner the table does not list, an alarm
 * written by kind that has no standard description), in the same order, without expanding it.
 */
function checkEntry(raw: Json, owners: Json, at: string): void {
  const owner = raw.owner;
  if (typeof owner === 'string' && !Object.prototype.hasOwnProperty.call(owners, owner)) throw unknownOwner(at, owner);
  const given: unknown[] = Array.isArray(raw.alarms) ? raw.alarms : [];
  if (given.length === 0) return;
  const cloud = raw.cloud;
  const expires = raw.expires;
  const reminder = raw.reminder === 'none' ? undefined : raw.reminder ?? defaultReminder(expires);
  for (let i = 0; i < given.length; i++) {
    const a = given[i];
    const alarmKind = typeof a === 'string' ? a : (a as Json).kind;
    const description = typeof a === 'string' ? undefined : (a as Json).description;
    if (description === undefined && standardDescription(cloud, alarmKind, reminder, expires) === undefined) throw unknownAlarm(at, i, alarmKind, cloud);
  }
}

/**
 * What a shared reading (see `expandRegisterShared`) shares within one register: the owners of
 * its table, as frozen copies.
 */
interface SharedReading {
  readonly owners: Map<string, Json>;
}

function allStrings(xs: readonly unknown[]): boolean {
  for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== 'string') return false;
  return true;
}

interface AlarmListNode {
  next?: Map<unknown, AlarmListNode>;
  list?: RegisterAlarm[];
}

const alarmLists: AlarmListNode = {};
let alarmListNodes = 0;

function alarmStep(node: AlarmListNode, key: unknown): AlarmListNode | undefined {
  let next = node.next?.get(key);
  if (next === undefined) {
    if (alarmListNodes >= 100_000) return undefined;
    alarmListNodes++;
    (node.next ??= new Map()).set(key, next = {});
  }
  return next;
}

/** The memo node of a list of standard alarms (kinds as written) with these dates and recipient. */
function alarmListNode(cloud: unknown, expires: unknown, reminder: unknown, notifies: unknown, kinds: readonly unknown[]): AlarmListNode | undefined {
  let node = alarmStep(alarmLists, cloud);
  node &&= alarmStep(node, expires);
  node &&= alarmStep(node, reminder);
  node &&= alarmStep(node, notifies);
  for (let i = 0; node && i < kinds.length; i++) node = alarmStep(node, kinds[i]);
  return node;
}

const sharedActions = new Map<string, Json>();

/** {@link expandScopeItem} with AWS actions written as names as shared frozen entries. */
function expandScopeItemShared(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const g = item as Json;
  if (Array.isArray(g.actions)) return { ...g, actions: g.actions.map(sharedAction) };
  if (typeof g.role === 'string') return withPrivileged(g);
  return item;
}

function sharedAction(a: unknown): unknown {
  if (typeof a !== 'string') return a;
  let x = sharedActions.get(a);
  if (x === undefined) {
    x = Object.freeze({ ...derivedAction(a), action: a });
    if (sharedActions.size < 100_000) sharedActions.set(a, x);
  }
  return x;
}

/** Memo of {@link alarmDescription}: cloud, then expiry date, then reminder date, then kind. */
const descriptions = new Map<string, Map<string, Map<string, Map<string, string | undefined>>>>();
let describedDates = 0;

/** {@link alarmDescription}, memoised (every entry of a register shares a few dates). */
function standardDescription(cloud: string, kind: string, reminder: string | undefined, expires: string): string | undefined {
  let byExpiry = descriptions.get(cloud);
  if (!byExpiry) descriptions.set(cloud, byExpiry = new Map());
  let byReminder = byExpiry.get(expires);
  if (!byReminder) {
    if (describedDates++ > 100_000) {
      byExpiry.clear();
      describedDates = 0;
    }
    byExpiry.set(expires, byReminder = new Map());
  }
  const r = reminder ?? '';
  let byKind = byReminder.get(r);
  if (!byKind) byReminder.set(r, byKind = new Map());
  if (byKind.has(kind)) return byKind.get(kind);
  const d = alarmDescription(cloud, kind, reminder, expires);
  byKind.set(kind, d);
  return d;
}

const controlsMemo = new Map<string, (string[] | undefined)[]>();

/** {@link derivedControls}, memoised by what it depends on. */
function derivedControlsOf(cloud: string, kind: string, credentials: string, system: unknown, environment: unknown, vendor: unknown, details: Json | undefined): string[] {
  const users = details?.usedBy;
  const bits = (credentials !== 'none' ? 1 : 0) | (system ? 2 : 0) | (environment ? 4 : 0) | (vendor ? 8 : 0) | (Array.isArray(users) && users.length > 0 ? 16 : 0);
  const key = cloud === 'google' ? `google ${kind}` : `${cloud} ${kind}`;
  let byBits = controlsMemo.get(key);
  if (!byBits) controlsMemo.set(key, byBits = []);
  let c = byBits[bits];
  if (!c) {
    // Frozen: the shared reading (expandRegisterShared) hands this list out as is.
    c = Object.freeze(derivedControls({ cloud, kind, credentials, system, environment, vendor, details })) as string[];
    byBits[bits] = c;
  }
  return c;
}

const V2_ONLY = new Set(['reminder', 'notifies']);
const NORMALISED_KEYS = new Set(['path', 'kind', 'cloud', 'name', 'owner', 'system', 'reuseJustification', 'environment', 'purpose', 'expires',
  'approval', 'vendor', 'credentials', 'rotation', 'scope', 'alarms', 'controls', 'details', 'accepted']);

const OPTIONAL_FIELDS = ['system', 'reuseJustification', 'environment', 'purpose', 'expires', 'approval', 'vendor'];

/**
 * Compacts one normalised (version-1 form) entry; `ownerKey` names its owner in the table. Sets
 * {@link proven}: true if the reader is proved to give the entry back exactly (see renderRegister).
 */
function compactEntry(n: Json, ownerKey: string): Json {
  proven = true;
  const out: Json = { path: n.path };
  // The reader defaults kind and credentials; an undeclared name reads as the account's e-mail or ''.
  if (n.kind === undefined || n.kind === null || n.credentials === undefined || n.credentials === null) proven = false;
  if (n.kind !== 'service-account') out.kind = n.kind;
  out.cloud = n.cloud;
  const details = n.details ? compactDetails(n, n.details) : undefined;
  if (n.name === undefined || n.name === null) proven = false; // the reader would take the e-mail or ''
  if (!(isGoogleAccount(n) && n.name === googleAccountEmail(n.details))) out.name = n.name;
  out.owner = ownerKey;
  // The owner table is written as JSON: strings read back as they are.
  if (typeof n.owner.team !== 'string' || typeof n.owner.contact !== 'string') proven = false;
  // A null purpose or expiry would read as undefined.
  if (n.purpose === null || n.expires === null) proven = false;
  for (const k of OPTIONAL_FIELDS) {
    const v = n[k];
    if (v !== null && v !== undefined) out[k] = v;
  }
  if (n.credentials !== 'none') out.credentials = n.credentials;
  if (n.rotation) out.rotation = n.rotation;
  if (Array.isArray(n.scope)) {
    const given: unknown[] = n.scope;
    if (typeof (given as any).toJSON === 'function') proven = false;
    out.scope = given.map(compactScopeItem);
  } else {
    out.scope = n.scope;
  }
  // Alarms: the kind alone where the description is the standard one and it goes to the entry's notifies.
  const alarms: Json[] = n.alarms;
  const cloud: string = n.cloud;
  const expires: string = n.expires;
  let reminderAlarm: Json | undefined;
  let oneTarget = true;
  for (const a of alarms) {
    if (reminderAlarm === undefined && a.kind === 'expiry-reminder') reminderAlarm = a;
    if (a.notifies !== alarms[0].notifies) oneTarget = false;
  }
  let reminder = defaultReminder(expires);
  if (reminderAlarm && standardDescription(cloud, 'expiry-reminder', reminder, expires) !== reminderAlarm.description) {
    // The reminder is not the default one: none, or the date the description names.
    const m = /^on (\d{4}-\d{2}-\d{2}),/.exec(reminderAlarm.description);
    const hit = [undefined, ...(m ? [m[1]] : [])].findIndex((c) => standardDescription(cloud, 'expiry-reminder', c, expires) === reminderAlarm!.description);
    if (hit >= 0) {
      reminder = hit === 0 ? undefined : m![1];
      out.reminder = reminder ?? 'none';
    }
  }
  const notifies = alarms.length > 0 && oneTarget ? alarms[0].notifies : n.owner.contact;
  if (notifies !== n.owner.contact) {
    if (notifies === undefined || notifies === null) proven = false; // the reader would take the owner's contact
    out.notifies = notifies;
  }
  const compactAlarms: unknown[] = new Array(alarms.length);
  for (let i = 0; i < alarms.length; i++) {
    const a = alarms[i];
    const description = a.description;
    // The reader derives an omitted description, and fails where there is none: one must be given.
    if (description === undefined) proven = false;
    const standard = standardDescription(cloud, a.kind, reminder, expires) === description;
    const ownTarget = a.notifies !== notifies;
    if (standard && !ownTarget) {
      if (typeof a.kind !== 'string') proven = false; // the reader takes only a string for a kind alone
      compactAlarms[i] = a.kind;
      continue;
    }
    const c: Json = { kind: a.kind };
    if (!standard) c.description = description;
    if (ownTarget) {
      if (a.notifies === undefined || a.notifies === null) proven = false; // the reader would take the entry's
      c.notifies = a.notifies;
    }
    compactAlarms[i] = c;
  }
  out.alarms = compactAlarms;
  if (!sameStrings(n.controls, derivedControlsOf(cloud, n.kind, n.credentials, n.system, n.environment, n.vendor, n.details))) out.controls = n.controls;
  if (details) out.details = details;
  if (n.accepted) out.accepted = n.accepted;
  return out;
}

function sameStrings(a: unknown, b: string[]): boolean {
  if (!Array.isArray(a) || a.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The entry as written in full (every rule's "write it" branch): read back exactly. */
function fullEntry(n: Json, ownerKey: string): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(n)) {
    if (v === null) continue;
    out[k] = k === 'owner' ? ownerKey : v;
  }
  if (n.details && isGoogleAccount(n) && !('condition' in n.details)) out.details = { ...out.details, condition: null };
  if (n.details && defaultLimitations(n) && !('limitations' in n.details)) out.details = { ...out.details, limitations: null };
  return out;
}

/**
 * The register's owner table (sorted by key) and each entry's key in it (see {@link ownerKeys}).
 * Where every team and contact is a string (always, from the adapters), without a JSON key per entry.
 */
function ownerTable(normalised: Json[]): { owners: Json; keys: string[] } {
  const owners: Json = {};
  const byTeam = new Map<string, Map<string, string>>(); // team -> contact -> owner key
  for (const n of normalised) {
    const { team, contact } = n.owner;
    if (typeof team !== 'string' || typeof contact !== 'string') return ownerTableByJson(normalised);
    let contacts = byTeam.get(team);
    if (!contacts) byTeam.set(team, contacts = new Map());
    contacts.set(contact, '');
  }
  const pairs: [string, string][] = [];
  for (const [team, contacts] of byTeam) for (const contact of contacts.keys()) pairs.push([team, contact]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const used = new Set<string>();
  const table: [string, string, string][] = [];
  for (const [team, contact] of pairs) {
    const contacts = byTeam.get(team)!;
    let key = contacts.size === 1 ? team : `${team} <${contact}>`;
    for (let i = 2; used.has(key); i++) key = `${team} <${contact}> #${i}`;
    used.add(key);
    contacts.set(contact, key);
    table.push([key, team, contact]);
  }
  table.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [key, team, contact] of table) owners[key] = { team, contact };
  const keys = new Array<string>(normalised.length);
  for (let i = 0; i < normalised.length; i++) keys[i] = byTeam.get(normalised[i].owner.team)!.get(normalised[i].owner.contact)!;
  return { owners, keys };
}

/** {@link ownerTable} for any owner values: teams and contacts told apart by their JSON. */
function ownerTableByJson(normalised: Json[]): { owners: Json; keys: string[] } {
  const ids = ownerKeys(normalised.map((n) => n.owner));
  const owners: Json = {};
  for (const [id, key] of [...ids.entries()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))) {
    const [team, contact] = JSON.parse(id);
    owners[key] = { team, contact };
  }
  return { owners, keys: normalised.map((n) => ids.get(JSON.stringify([n.owner.team, n.owner.contact]))!) };
}

/** Owner table keys: the team, or `team <contact>` where one team has several contacts in the register. */
function ownerKeys(owners: Owner[]): Map<string, string> {
  const byTeam = new Map<string, Set<string>>();
  for (const o of owners) {
    if (!byTeam.has(o.team)) byTeam.set(o.team, new Set());
    byTeam.get(o.team)!.add(o.contact);
  }
  const keys = new Map<string, string>();
  const used = new Set<string>();
  const sorted = [...owners].sort((a, b) => (a.team < b.team ? -1 : a.team > b.team ? 1 : a.contact < b.contact ? -1 : a.contact > b.contact ? 1 : 0));
  for (const o of sorted) {
    const id = JSON.stringify([o.team, o.contact]);
    if (keys.has(id)) continue;
    let key = byTeam.get(o.team)!.size === 1 ? o.team : `${o.team} <${o.contact}>`;
    for (let i = 2; used.has(key); i++) key = `${o.team} <${o.contact}> #${i}`;
    used.add(key);
    keys.set(id, key);
  }
  return keys;
}

const INLINE_MAX = 100;

/**
 * A value on one line (its `JSON.stringify`) if short, else one item (or key) per line. Items JSON
 * leaves out are left out (an undefined value of an object) or null (of a list) on several lines
 * as on one; a value with its own `toJSON` is written on one line.
 */
function block(v: unknown, indent: string): string {
  const c = JSON.stringify(v);
  if (c === undefined || c.length <= INLINE_MAX || v === null || typeof v !== 'object' || typeof (v as Json).toJSON === 'function') return c;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return c;
    let out = '[\n';
    for (let i = 0; i < v.length; i++) out += `${i > 0 ? ',\n' : ''}${inner}${JSON.stringify(v[i]) ?? 'null'}`;
    return `${out}\n${indent}]`;
  }
  let out = '{\n';
  let first = true;
  for (const k of Object.keys(v as Json)) {
    const x = JSON.stringify((v as Json)[k]);
    if (x === undefined) continue;
    out += `${first ? '' : ',\n'}${inner}${JSON.stringify(k)}: ${x}`;
    first = false;
  }
  return first ? c : `${out}\n${indent}}`;
}

/**
 * True if `JSON.stringify(a) === JSON.stringify(b)`, without building the strings: the same keys
 * with defined values in the same order, arrays element by element (undefined as null).
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return (a ?? null) === (b ?? null) || (typeof a === 'number' && typeof b === 'number' && !isFinite(a) && !isFinite(b));
  }
  if (typeof (a as any).toJSON === 'function' || typeof (b as any).toJSON === 'function') return JSON.stringify(a) === JSON.stringify(b);
  const arrays = Array.isArray(a);
  if (arrays !== Array.isArray(b)) return false;
  if (arrays) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameJson(x[i] ?? null, y[i] ?? null)) return false;
    return true;
  }
  // The keys JSON writes (defined, not functions), in order, walked side by side.
  const x = a as Json;
  const y = b as Json;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  let j = 0;
  for (let i = 0; i < kx.length; i++) {
    const v = x[kx[i]];
    if (v === undefined || typeof v === 'function') continue;
    while (j < ky.length && (y[ky[j]] === undefined || typeof y[ky[j]] === 'function')) j++;
    if (j >= ky.length || kx[i] !== ky[j] || !sameJson(v, y[ky[j]])) return false;
    j++;
  }
  while (j < ky.length && (y[ky[j]] === undefined || typeof y[ky[j]] === 'function')) j++;
  return j === ky.length;
}

const quotedKeys = new Map<string, string>();

/** `JSON.stringify(k)` of an entry's key (a few dozen distinct keys). */
function quotedKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 1000) quotedKeys.set(k, q);
  }
  return q;
}

function renderV2(owners: Json, identities: Json[], waivers: Record<string, unknown>[]): string {
  let out = '{\n  "version": 2,\n';
  const ownerKeys = Object.keys(owners);
  if (ownerKeys.length === 0) {
    out += '  "owners": {},\n';
  } else {
    out += '  "owners": {\n';
    for (let i = 0; i < ownerKeys.length; i++) out += `${i > 0 ? ',\n' : ''}    ${JSON.stringify(ownerKeys[i])}: ${JSON.stringify(owners[ownerKeys[i]])}`;
    out += '\n  },\n';
  }
  if (identities.length === 0) {
    out += '  "identities": [],\n';
  } else {
    out += '  "identities": [\n';
    for (let i = 0; i < identities.length; i++) {
      const e = identities[i];
      out += i > 0 ? ',\n    {\n' : '    {\n';
      let first = true;
      for (const k of Object.keys(e)) {
        const v = e[k];
        // What JSON.stringify of the entry leaves out (undefined, functions) is left out.
        const text = typeof v === 'string' ? JSON.stringify(v) : block(v, '      ');
        if (text === undefined) continue;
        out += `${first ? '      ' : ',\n      '}${quotedKey(k)}: ${text}`;
        first = false;
      }
      out += '\n    }';
    }
    out += '\n  ],\n';
  }
  out += waivers.length === 0 ? '  "waivers": []' : `  "waivers": [\n${waivers.map((w) => `    ${JSON.stringify(w)}`).join(',\n')}\n  ]`;
  return out + '\n}\n';
}

/**
 * Renders a register (version 2, see docs/register.md): entries sorted by path, an owner table,
 * nothing written that the reader derives (access levels from the action catalogue, alarm
 * descriptions, controls, Google conditions and limitations), nulls omitted, the waivers in
 * force (see `registerWaivers`); one line per field, short values on one line, trailing newline.
 * `readRegister` reads it back to the same entries as version 1.
 */
export function renderRegister(entries: RegisterEntry[], waivers: Record<string, unknown>[] = []): string {
  return render(entries, waivers, false);
}

/**
 * {@link renderRegister} with every entry checked by expanding it again, as if no entry were
 * covered by the per-field proof: the reference the property tests compare the writer with.
 * @internal
 */
export function renderRegisterSelfChecked(entries: RegisterEntry[], waivers: Record<string, unknown>[] = []): string {
  return render(entries, waivers, true);
}

function render(entries: RegisterEntry[], waivers: Record<string, unknown>[], checkAll: boolean): string {
  const normalised = byPath(entries).map(normaliseEntry) as Json[];
  const { owners, keys } = ownerTable(normalised);
  const identities = normalised.map((n, i) => {
    const key = keys[i];
    const compact = compactEntry(n, key);
    // Every omission proved to read back exactly (the reader's own derivation gives the value, at
    // its place): written as it is. Anything else is expanded again and compared, and written in
    // full where it would not read back the same.
    if (proven && !checkAll) return compact;
    let back: unknown;
    try {
      back = expandEntry(compact, owners, `identities[${i}]`);
    } catch {
      back = undefined;
    }
    return sameJson(back, n) ? compact : fullEntry(n, key);
  });
  return renderV2(owners, identities, waivers);
}

/** A register read back: its version, its entries in the version-1 form, its waivers. */
export interface ReadRegister {
  readonly version: number;
  /** The entries, each with every field of version 1 (nulls where undeclared). */
  readonly identities: { [key: string]: any }[];
  readonly waivers: { [key: string]: any }[];
}

/**
 * Expands a parsed register of any supported version to version-1 entries (version 2's derived
 * fields filled in). Throws an error named `RegisterReadError` (with `where`, a JSON path) for an unknown version or an owner that
 * is not in the table; the shape is assumed valid (the CLI validates it with the JSON Schema first).
 */
export function expandRegister(json: any): ReadRegister {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new RegisterReadError('', 'is not an NHI register: expected an object with "version" and "identities".');
  const r = json as Json;
  if (!REGISTER_VERSIONS.includes(r.version)) throw new RegisterReadError('', `has register version ${JSON.stringify(r.version)}; this release reads versions ${REGISTER_VERSIONS.join(', ')}.`);
  const raw: unknown[] = Array.isArray(r.identities) ? r.identities : [];
  const waivers = Array.isArray(r.waivers) ? r.waivers : [];
  if (r.version === 1) return { version: 1, identities: raw as Json[], waivers };
  const owners: Json = r.owners && typeof r.owners === 'object' ? r.owners : {};
  return { version: 2, identities: raw.map((e, i) => expandEntry(e as Json, owners, `identities[${i}]`)), waivers };
}

/**
 * {@link expandRegister} for a reader that owns the parsed register and never changes what it
 * reads (the `nhi` command line): the entries are the same values, but what many entries have
 * alike is shared and frozen (owners of the table, lists of standard alarms, derived controls,
 * AWS action entries) instead of fresh copies for every entry: less to allocate and to collect
 * for a register of thousands of entries. The parsed register is not changed.
 */
export function expandRegisterShared(json: any): ReadRegister {
  const r = json as Json;
  if (json === null || typeof json !== 'object' || Array.isArray(json) || r.version !== 2) return expandRegister(json);
  const raw: unknown[] = Array.isArray(r.identities) ? r.identities : [];
  const waivers = Array.isArray(r.waivers) ? r.waivers : [];
  const owners: Json = r.owners && typeof r.owners === 'object' ? r.owners : {};
  const shared = sharedReadingOf(r);
  const identities = new Array<Record<string, unknown>>(raw.length);
  for (let i = 0; i < raw.length; i++) identities[i] = expandEntry(raw[i] as Json, owners, `identities[${i}]`, shared);
  return { version: 2, identities, waivers };
}

/** One shared reading per parsed register (its owners table's frozen copies). */
const sharedReadings = new WeakMap<object, SharedReading>();

function sharedReadingOf(r: Json): SharedReading {
  let shared = sharedReadings.get(r);
  if (!shared) sharedReadings.set(r, shared = { owners: new Map() });
  return shared;
}

/**
 * For a reader that expands the entries of a parsed version-2 register one at a time, only those
 * it needs (`nhi diff`: an identity whose compact entry did not change needs no expansion):
 * throws the first error {@link expandRegisterShared} would throw for the register, without
 * expanding anything. A register of another version is not checked.
 */
export function checkRegisterShared(json: any): void {
  const r = json as Json;
  if (json === null || typeof json !== 'object' || Array.isArray(json) || r.version !== 2) return;
  const raw: unknown[] = Array.isArray(r.identities) ? r.identities : [];
  const owners: Json = r.owners && typeof r.owners === 'object' ? r.owners : {};
  for (let i = 0; i < raw.length; i++) checkEntry(raw[i] as Json, owners, `identities[${i}]`);
}

/**
 * Entry `index` of a parsed version-2 register, expanded exactly as {@link expandRegisterShared}
 * expands it (with the same shared parts).
 */
export function expandEntryShared(json: any, index: number): Record<string, unknown> {
  const r = json as Json;
  const owners: Json = r.owners && typeof r.owners === 'object' ? r.owners : {};
  return expandEntry(r.identities[index] as Json, owners, `identities[${index}]`, sharedReadingOf(r));
}

/** The `scope` of an entry expanded from a version-2 entry's (see {@link expandRegisterShared}). */
export function expandScopeShared(scope: unknown): unknown {
  return Array.isArray(scope) ? scope.map(expandScopeItemShared) : scope;
}

/**
 * What the expansion of a version-2 entry makes of the fields that name it: its path, cloud,
 * kind and purpose, and the team and contact of its owner (`owners` is the register's table;
 * the entry's owner must be in it, see {@link checkRegisterShared}).
 */
export function entryHeadline(raw: any, owners: any): { path: any; cloud: any; kind: any; purpose: any; owner: { team: any; contact: any } } {
  const e = raw as Json;
  const owner = typeof e.owner === 'string' ? (owners as Json)[e.owner] : e.owner;
  return { path: e.path, cloud: e.cloud, kind: e.kind ?? 'service-account', purpose: e.purpose, owner: { team: owner.team, contact: owner.contact } };
}

/** Reads a register's text (version 1 or 2): see {@link expandRegister}. */
export function readRegister(text: string): ReadRegister {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RegisterReadError('', `is not valid JSON (${(e as Error).message}).`);
  }
  return expandRegister(json);
}
