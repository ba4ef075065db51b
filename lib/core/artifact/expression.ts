/**
 * A small evaluator for the Terraform expressions a synthesised artifact holds in its strings
 * (`"${join(\"\", [\"arn:aws:s3:::\", \"*\"])}"`, `"serviceAccount:${google_service_account.a.email}"`).
 *
 * It knows literals, lists, maps, references and the string functions that build names
 * (`join`, `lower`, `upper`, `format`, `replace`, `trimspace`, `concat`, `element`, `tostring`,
 * `coalesce`, `jsonencode`, `split`, `trim*`, `substr`). A reference is looked up through a
 * callback (literal attributes of other resources); what it cannot compute stays a reference
 * (`${type.name.attr}`, which names exactly one thing) or becomes unknown (the expression could
 * be anything at synth time).
 */

/** A reference that cannot be resolved at synth time, kept by its address (`aws_iam_role.r.arn`). */
export interface RefValue { readonly ref: string }
/** An expression whose value cannot be computed at synth time. */
export interface UnknownValue { readonly unknown: string }
/** The value of an expression. */
export type ExprValue = string | number | boolean | null | ExprValue[] | { [k: string]: ExprValue } | RefValue | UnknownValue;

/** Looks up a reference (`aws_iam_role.r.name`, `data.x.y.z`); undefined when not known at synth. */
export type RefLookup = (ref: string) => ExprValue | undefined;

/** A marker placed in rendered strings where an unknown expression was. */
export const UNKNOWN_MARK = '\uE000';

export function isRef(v: unknown): v is RefValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as any).ref === 'string' && Object.keys(v).length === 1;
}
export function isUnknown(v: unknown): v is UnknownValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as any).unknown === 'string' && Object.keys(v).length === 1;
}

class ParseError extends Error {}

/** `${a.b.c}`: one reference, nothing else (`true.x`, `null.x` are not references). */
const PLAIN_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_*-]+)+)\}$/;
const KEYWORD_HEAD = /^(true|false|null)\./;

/** Evaluates a string that may hold `${...}` interpolations. A lone interpolation keeps its value's type. */

export function evaluateTemplate(text: string, lookup: RefLookup): ExprValue {
  if (!text.includes('${')) return text.includes('$${') ? text.replace(/\$\$\{/g, '${') : text;
  try {
    // The most common template, one plain reference (a policy's role, a binding's member): what
    // the parser gives for it, without the parser.
    const plain = PLAIN_REFERENCE.exec(text);
    if (plain && !KEYWORD_HEAD.test(plain[1])) {
      const found = lookup(plain[1]);
      return found === undefined ? { ref: plain[1] } : found;
    }
    const p = new Parser(text, lookup);
    return p.template(undefined);
  } catch (e) {
    if (e instanceof ParseError) return { unknown: text };
    throw e;
  }
}

/** Renders a value as a string: references as `${ref}`, unknown parts as {@link UNKNOWN_MARK}`expr`{@link UNKNOWN_MARK}. */
export function renderValue(v: ExprValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '';
  if (isRef(v)) return `\${${v.ref}}`;
  if (isUnknown(v)) return `${UNKNOWN_MARK}${v.unknown}${UNKNOWN_MARK}`;
  return JSON.stringify(v);
}

/** True if a rendered string holds an unknown part. */
export function hasUnknown(s: string): boolean {
  return s.includes(UNKNOWN_MARK);
}

/** The unknown expressions inside a rendered string. */
export function unknownParts(s: string): string[] {
  const parts = s.split(UNKNOWN_MARK);
  return parts.filter((_, i) => i % 2 === 1);
}

class Parser {
  private i = 0;
  constructor(private readonly s: string, private readonly lookup: RefLookup) {}

  /** A template up to `end` (a closing quote) or the end of the text. */
  template(end: string | undefined): ExprValue {
    const parts: ExprValue[] = [];
    let lit = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (end !== undefined && c === end) break;
      if (c === '\\' && end !== undefined) {
        const n = this.s[this.i + 1];
        const map: Record<string, string> = { 'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\' };
        if (n === 'u') {
          lit += String.fromCharCode(parseInt(this.s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else {
          lit += map[n] ?? n;
          this.i += 2;
        }
        continue;
      }
      if (c === '$' && this.s[this.i + 1] === '$' && this.s[this.i + 2] === '{') {
        lit += '${';
        this.i += 3;
        continue;
      }
      if (c === '$' && this.s[this.i + 1] === '{') {
        if (lit) parts.push(lit);
        lit = '';
        this.i += 2;
        this.ws();
        const v = this.expr();
        this.ws();
        this.expect('}');
        parts.push(v);
        continue;
      }
      lit += c;
      this.i++;
    }
    if (lit) parts.push(lit);
    if (parts.length === 0) return '';
    if (parts.length === 1) return parts[0];
    // Unknown parts stay marked inside the string: the rest (e.g. a policy document) is still read.
    return parts.map(renderValue).join('');
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private expect(c: string): void {
    if (this.s[this.i] !== c) throw new ParseError(`expected ${c}`);
    this.i++;
  }

  private expr(): ExprValue {
    const start = this.i;
    let v = this.primary();
    this.ws();
    // Operators and conditionals are not evaluated: the whole expression is unknown.
    if (this.i < this.s.length && /[-+*/%<>=!&|?]/.test(this.s[this.i])) {
      this.skipBalanced();
      return { unknown: this.s.slice(start, this.i).trim() };
    }
    return v;
  }

  /** Skips to the end of the current expression (the `}`, `,`, `)` or `]` closing it). */
  private skipBalanced(): void {
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '"') {
        this.i++;
        this.template('"');
        this.i++;
        continue;
      }
      if ('([{'.includes(c)) depth++;
      if (')]}'.includes(c) || c === ',') {
        if (depth === 0) return;
        if (c !== ',') depth--;
      }
      this.i++;
    }
  }

  private primary(): ExprValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '"') {
      this.i++;
      const v = this.template('"');
      this.expect('"');
      return v;
    }
    if (c === '[') {
      this.i++;
      const items: ExprValue[] = [];
      this.ws();
      while (this.s[this.i] !== ']') {
        items.push(this.expr());
        this.ws();
        if (this.s[this.i] === ',') { this.i++; this.ws(); }
        else if (this.s[this.i] !== ']') throw new ParseError('list');
      }
      this.i++;
      return this.postfix(items);
    }
    if (c === '{') {
      this.i++;
      const obj: { [k: string]: ExprValue } = {};
      this.ws();
      while (this.s[this.i] !== '}') {
        const k = this.primary();
        this.ws();
        if (this.s[this.i] !== '=' && this.s[this.i] !== ':') throw new ParseError('map');
        this.i++;
        const v = this.expr();
        obj[renderValue(k)] = v;
        this.ws();
        if (this.s[this.i] === ',') { this.i++; this.ws(); }
      }
      this.i++;
      return this.postfix(obj);
    }
    if (c === '(') {
      this.i++;
      const v = this.expr();
      this.ws();
      this.expect(')');
      return this.postfix(v);
    }
    const num = /^-?\d+(\.\d+)?/.exec(this.s.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return Number(num[0]);
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i));
    if (!name) throw new ParseError(`unexpected ${c}`);
    this.i += name[0].length;
    if (name[0] === 'true' || name[0] === 'false') return name[0] === 'true';
    if (name[0] === 'null') return null;
    this.ws();
    if (this.s[this.i] === '(') {
      this.i++;
      const args: ExprValue[] = [];
      this.ws();
      while (this.s[this.i] !== ')') {
        args.push(this.expr());
        this.ws();
        if (this.s.startsWith('...', this.i)) this.i += 3;
        if (this.s[this.i] === ',') { this.i++; this.ws(); }
        else if (this.s[this.i] !== ')') throw new ParseError('call');
      }
      this.i++;
      return this.postfix(call(name[0], args));
    }
    // A traversal: a.b.c, a.b[0].c
    let ref = name[0];
    while (this.s[this.i] === '.' || this.s[this.i] === '[') {
      if (this.s[this.i] === '.') {
        const m = /^\.([A-Za-z0-9_*-]+)/.exec(this.s.slice(this.i));
        if (!m) break;
        ref += `.${m[1]}`;
        this.i += m[0].length;
      } else {
        const m = /^\[(\d+|"[^"]*")\]/.exec(this.s.slice(this.i));
        if (!m) break;
        ref += m[0];
        this.i += m[0].length;
      }
    }
    const found = this.lookup(ref);
    return found === undefined ? { ref } : found;
  }

  private postfix(v: ExprValue): ExprValue {
    let out = v;
    while (this.s[this.i] === '[' || (this.s[this.i] === '.' && /[A-Za-z_]/.test(this.s[this.i + 1] ?? ''))) {
      if (this.s[this.i] === '[') {
        this.i++;
        const k = this.expr();
        this.ws();
        this.expect(']');
        out = index(out, k);
      } else {
        const m = /^\.([A-Za-z0-9_-]+)/.exec(this.s.slice(this.i))!;
        this.i += m[0].length;
        out = index(out, m[1]);
      }
    }
    return out;
  }
}

function isUnknownDeep(v: ExprValue): boolean {
  if (isUnknown(v)) return true;
  if (typeof v === 'string' && v.includes(UNKNOWN_MARK)) return true;
  if (Array.isArray(v)) return v.some(isUnknownDeep);
  return false;
}

function index(v: ExprValue, k: ExprValue): ExprValue {
  if (isRef(v)) return { ref: `${v.ref}[${JSON.stringify(k)}]` };
  if (Array.isArray(v) && typeof k === 'number') return v[k] ?? { unknown: 'index' };
  if (v && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) && typeof k === 'string') return (v as any)[k] ?? { unknown: 'index' };
  return { unknown: 'index' };
}

function str(v: ExprValue): string | undefined {
  if (typeof v === 'string' && !v.includes(UNKNOWN_MARK)) return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Evaluates a function call; unknown when an argument or the function is not computable. */
function call(fn: string, args: ExprValue[]): ExprValue {
  const text = () => `${fn}(${args.map((a) => JSON.stringify(a)).join(', ')})`;
  const unknown = { unknown: text() };
  if (args.some(isUnknownDeep)) return unknown;
  const s = args.map(str);
  switch (fn) {
    case 'lower': return s[0] !== undefined ? s[0].toLowerCase() : unknown;
    case 'upper': return s[0] !== undefined ? s[0].toUpperCase() : unknown;
    case 'trimspace': return s[0] !== undefined ? s[0].trim() : unknown;
    case 'tostring': return s[0] !== undefined ? s[0] : args[0];
    case 'join': {
      const list = args.slice(1).flatMap((a) => (Array.isArray(a) ? a : [a]));
      if (s[0] === undefined) return unknown;
      // A reference inside a joined name keeps its ${ref} form: it still names one thing.
      return list.map(renderValue).join(s[0]);
    }
    case 'concat': return args.every(Array.isArray) ? (args as ExprValue[][]).flat() : unknown;
    case 'element': return Array.isArray(args[0]) && typeof args[1] === 'number' && args[0].length > 0 ? args[0][args[1] % args[0].length] : unknown;
    case 'coalesce': return args.find((a) => a !== null && a !== '') ?? unknown;
    case 'replace': return s.slice(0, 3).every((x) => x !== undefined) && !s[1]!.startsWith('/') ? s[0]!.split(s[1]!).join(s[2]!) : unknown;
    case 'split': return s[0] !== undefined && s[1] !== undefined ? s[1].split(s[0]) : unknown;
    case 'trimprefix': return s[0] !== undefined && s[1] !== undefined ? (s[0].startsWith(s[1]) ? s[0].slice(s[1].length) : s[0]) : unknown;
    case 'trimsuffix': return s[0] !== undefined && s[1] !== undefined ? (s[0].endsWith(s[1]) ? s[0].slice(0, -s[1].length) : s[0]) : unknown;
    case 'substr': return s[0] !== undefined && typeof args[1] === 'number' && typeof args[2] === 'number'
      ? (args[2] < 0 ? s[0].slice(args[1]) : s[0].substr(args[1], args[2])) : unknown;
    case 'jsonencode': return isUnknownDeepAll(args[0]) ? unknown : JSON.stringify(args[0], (_k, v) => (isRef(v) ? `\${${v.ref}}` : v));
    case 'format': {
      if (s[0] === undefined) return unknown;
      let k = 1;
      let ok = true;
      const out = s[0].replace(/%(%|[-+#0 ]*\d*(\.\d+)?[sdvfqt])/g, (m) => {
        if (m === '%%') return '%';
        const a = args[k++];
        if (a === undefined) { ok = false; return ''; }
        return renderValue(a);
      });
      return ok ? out : unknown;
    }
    default: return unknown;
  }
}

function isUnknownDeepAll(v: ExprValue): boolean {
  if (isUnknown(v)) return true;
  if (isRef(v)) return false;
  if (Array.isArray(v)) return v.some(isUnknownDeepAll);
  if (v && typeof v === 'object') return Object.values(v).some(isUnknownDeepAll);
  return false;
}

/** The `type.name` (or `data.type.name`) address a reference starts with. */
export function refAddress(ref: string): string | undefined {
  // Read by index, not split and joined: called for every reference of every resource.
  const first = ref.indexOf('.');
  if (first < 0) return undefined;
  const head = ref.slice(0, first);
  if (head === 'data') {
    const second = ref.indexOf('.', first + 1);
    if (second < 0) return undefined;
    const third = ref.indexOf('.', second + 1);
    return third < 0 ? ref : ref.slice(0, third);
  }
  if (NOT_RESOURCES.has(head)) return undefined;
  const second = ref.indexOf('.', first + 1);
  const address = second < 0 ? ref : ref.slice(0, second);
  const bracket = address.indexOf('[');
  return bracket < 0 ? address : address.slice(0, bracket);
}

const NOT_RESOURCES = new Set(['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self']);

/** The attribute a reference reads (`arn` of `aws_iam_role.r.arn`), if any. */
export function refAttribute(ref: string): string | undefined {
  const parts = ref.replace(/\[[^\]]*\]/g, '').split('.');
  const n = parts[0] === 'data' ? 3 : 2;
  return parts[n];
}
