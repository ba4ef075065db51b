import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_POLICY } from '../../lib/core/policy';
import { analyzeAwsScope } from '../../lib/core/rules/aws-scope';

const ROOT = path.join(__dirname, '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'scope.md'), 'utf8');
const flat = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n');

describe('docs/scope.md', () => {
  test('its TypeScript example is examples/readme/scope.ts, verbatim (synthesised by the README test)', () => {
    const blocks = [...DOC.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => flat(m[1]));
    expect(blocks.length).toBe(1);
    expect(flat(fs.readFileSync(path.join(ROOT, 'examples', 'readme', 'scope.ts'), 'utf8'))).toContain(blocks[0]);
  });

  const rows = DOC.split('\n')
    .filter((l) => /^\| [^|]+ \| `[a-z0-9-]+:\w+` \|/.test(l))
    .map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim()));

  test('the table has a row for every form', () => {
    expect(rows.length).toBeGreaterThanOrEqual(25);
  });

  test.each(rows)('%s: %s on %s is %s', (_form, action, resource, result) => {
    const arn = /^`([^`]*)`/.exec(resource)![1];
    const justification = resource.includes('(justified') ? 'one table per partner is created by the platform team' : undefined;
    const policy = { ...DEFAULT_POLICY, forbidPrefixWildcards: resource.includes('forbidden)') };
    const a = analyzeAwsScope([{ actions: [action.replace(/`/g, '')], resources: [arn], ...(justification ? { justification } : {}) }], policy);
    if (result === 'accepted') {
      expect(a.violations).toEqual([]);
    } else {
      const code = /^`(NHI_[A-Z_]+)`/.exec(result)![1];
      expect(a.violations.map((v) => v.code)).toEqual([code]);
      const fix = /\(fix: `([^`]+)`\)/.exec(result)?.[1];
      if (fix) expect(a.violations[0].fix).toContain(fix);
    }
  });
});
