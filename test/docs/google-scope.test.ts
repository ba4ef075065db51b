import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const PAGE = fs.readFileSync(path.join(ROOT, 'docs', 'google-scope.md'), 'utf8');

describe('docs/google-scope.md', () => {
  test('every TypeScript example is in examples/docs/google-scope.ts, verbatim', () => {
    const flat = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n');
    const source = flat(fs.readFileSync(path.join(ROOT, 'examples', 'docs', 'google-scope.ts'), 'utf8'));
    const blocks = [...PAGE.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => flat(m[1]));
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((b) => !source.includes(b))).toEqual([]);
  });

  test('examples/docs/google-scope.ts synthesises and writes a register', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-docs-'));
    const cwd = process.cwd();
    process.chdir(outdir);
    try {
      jest.isolateModules(() => {
        process.env.NHI_TODAY = '2026-11-23';
        require('../../examples/docs/google-scope.ts');
      });
    } finally {
      delete process.env.NHI_TODAY;
      process.chdir(cwd);
    }
    const stackDir = path.join(outdir, 'cdktf.out', 'stacks', 'billing-google');
    const register = JSON.parse(fs.readFileSync(path.join(stackDir, 'nhi-register.json'), 'utf8'));
    expect(JSON.stringify(register)).toContain('roles/secretmanager.secretAccessor');
    // The page's register excerpt for the custom role of the stack is what the register holds.
    const excerpt = /The register lists[\s\S]*?```json\n([\s\S]*?)```/.exec(PAGE);
    expect(excerpt).not.toBeNull();
    const grants = register.identities.flatMap((i: any) => i.scope);
    expect(grants).toContainEqual(JSON.parse(excerpt![1]));
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    expect(Object.values(tf.resource.google_apikeys_key)[0]).toMatchObject({ restrictions: { server_key_restrictions: { allowed_ips: ['203.0.113.0/24', '2001:db8:1200::/40'] } } });
  });

  test('the rejected inputs the page lists are rejected with the codes it names', () => {
    // The table rows `| input | code |` are checked against the library.
    const { analyzeGoogleScope } = require('../../lib/core/rules/google-scope');
    const { checkGoogleApiKeyRestriction } = require('../../lib/core/rules/google-api-key');
    const { checkPurpose } = require('../../lib/core/rules/purpose');
    const { DEFAULT_POLICY } = require('../../lib/core/policy');
    const rows = [...PAGE.matchAll(/^\| `(scope|clientRestriction|purpose)`: `(.+?)` \| `(NHI_[A-Z_]+)` \|/gm)];
    expect(rows.length).toBeGreaterThan(10);
    for (const [, kind, input, code] of rows) {
      const value = JSON.parse(input);
      const got = kind === 'scope' ? analyzeGoogleScope(value, DEFAULT_POLICY, 'acme-billing-prod').violations
        : kind === 'clientRestriction' ? checkGoogleApiKeyRestriction(value) : checkPurpose(value);
      expect([input, got.map((v: { code: string }) => v.code)]).toEqual([input, [code]]);
    }
  });
});
