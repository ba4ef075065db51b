// Turning resolved CloudFormation values into plain strings, so core rules (which know nothing of
// CloudFormation) can compare them: `{ "Fn::GetAtt": ["Bucket", "Arn"] }` -> `${Bucket.Arn}`,
// `{ "Ref": "AWS::AccountId" }` -> `${AWS::AccountId}`, `Fn::Join` joined. The same references
// give the same strings, in the template and in the construct tree.
import { PhysicalName, Stack, Token } from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';

/**
 * What is known of a name before deployment, for the core name rules: a literal as is; a token
 * (`CfnParameter`, `Fn.join`, ...) resolved and flattened, so the text an `Fn::Join` adds around
 * its references is checked too (`billing/${ReaderName}`); `PhysicalName.GENERATE_IF_NEEDED`
 * (which cannot be resolved outside its resource) as an opaque reference.
 */
export function knownName(scope: IConstruct, name: unknown): unknown {
  if (typeof name !== 'string' || !Token.isUnresolved(name)) return name;
  if (name === PhysicalName.GENERATE_IF_NEEDED) return '${generated}';
  try {
    return flattenCfn(Stack.of(scope).resolve(name));
  } catch {
    return name;
  }
}

/** `${...}` (core's token syntax, see core isToken) or `<...>` (cdk-nag's finding syntax). */
export type FlattenStyle = 'core' | 'nag';

/** Flattens a resolved CloudFormation value (string, Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::ImportValue). */
export function flattenCfn(value: unknown, style: FlattenStyle = 'core'): string {
  const wrap = (s: string) => (style === 'core' ? `\${${s}}` : `<${s}>`);
  const visit = (v: unknown): string => {
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return style === 'nag' ? v.replace(/\$\{/g, '<').replace(/\}/g, '>') : v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return v.map(visit).join(',');
    const o = v as Record<string, any>;
    if (o['Fn::Join']) {
      const [delimiter, items] = o['Fn::Join'];
      return (items as unknown[]).map(visit).join(delimiter);
    }
    if (o['Fn::Sub'] !== undefined) return visit(Array.isArray(o['Fn::Sub']) ? o['Fn::Sub'][0] : o['Fn::Sub']);
    if (o['Fn::GetAtt']) {
      const [r, a] = Array.isArray(o['Fn::GetAtt']) ? o['Fn::GetAtt'] : String(o['Fn::GetAtt']).split('.');
      return wrap(`${visit(r)}.${visit(a)}`);
    }
    if (o['Fn::ImportValue'] !== undefined) return visit(o['Fn::ImportValue']);
    if (o.Ref !== undefined) return wrap(visit(o.Ref));
    return JSON.stringify(v);
  };
  return visit(value);
}

/** Flattens every leaf of a resolved policy document (statement values become strings or string lists). */
export function flattenDeep(value: unknown, style: FlattenStyle = 'core'): any {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => (isIntrinsic(v) ? flattenCfn(v, style) : flattenDeep(v, style)));
  if (isIntrinsic(value)) return flattenCfn(value, style);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = flattenDeep(v, style);
  return out;
}

function isIntrinsic(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}
