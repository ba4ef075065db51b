import { IConstruct } from 'constructs';
import { NhiRisk, Violation, violation } from '../violation';

/**
 * A name an identity takes in its cloud, which must be unique there: an IAM role or user name
 * in an AWS account, an API key name (its secret is named after it), a Google service account id
 * in a project. Adapters report it; {@link checkUniqueName} decides.
 */
export interface UniqueName {
  /** What the name names, e.g. `IAM role`, `IAM user`, `API key`, `Google service account id`. */
  readonly kind: string;
  readonly name: unknown;
  /**
   * Where the name must be unique, if the adapter knows it literally (AWS account id, Google
   * project id). Otherwise the identity's environment stands for it.
   * @default - the identity's environment, or the whole app
   */
  readonly namespace?: string;
  /** The prop holding the name. @default 'name' */
  readonly field?: string;
  /** IAM names are unique ignoring case. @default false */
  readonly ignoreCase?: boolean;
}

const SYMBOL = Symbol.for('nhi-constructs.UniqueNames');

function registry(scope: IConstruct): Map<string, string> {
  const root = scope.node.root as any;
  if (!root[SYMBOL]) Object.defineProperty(root, SYMBOL, { value: new Map<string, string>(), enumerable: false });
  return root[SYMBOL];
}

function key(n: UniqueName, environment: string | undefined): string | undefined {
  if (typeof n.name !== 'string' || n.name === '' || n.name.includes('${') || /TOKEN\.\d+/.test(n.name)) return undefined;
  const ns = n.namespace ?? (environment !== undefined ? `env:${environment}` : '');
  return `${n.kind}\u0000${ns}\u0000${n.ignoreCase ? n.name.toLowerCase() : n.name}`;
}

/**
 * NHI_NAME_DUPLICATE: two governed identities of one app take the same name in the same place
 * (account, project, or environment when neither is known). The cloud rejects the second at
 * deploy; here the error names both construct paths.
 */
export function checkUniqueName(scope: IConstruct, names: UniqueName[], environment?: string): Violation[] {
  const taken = registry(scope);
  const out: Violation[] = [];
  for (const n of names) {
    const k = key(n, environment);
    const other = k === undefined ? undefined : taken.get(k);
    if (other !== undefined && other !== scope.node.path) {
      out.push(violation('NHI_NAME_DUPLICATE', n.field ?? 'name',
        `${n.kind} name '${n.name}' is already taken by ${other} in this app${n.namespace ? ` (${n.namespace})` : environment ? ` (environment ${environment})` : ''}; the cloud rejects the second at deploy`,
        `give ${scope.node.path} another name, or declare the identities in different environments or accounts`, n.name, [NhiRisk.NHI9]));
    }
  }
  return out;
}

/** Records the names of an identity that passed every rule. */
export function claimUniqueNames(scope: IConstruct, names: UniqueName[], environment?: string): void {
  const taken = registry(scope);
  for (const n of names) {
    const k = key(n, environment);
    if (k !== undefined && !taken.has(k)) taken.set(k, scope.node.path);
  }
}
