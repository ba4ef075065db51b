// docs/cli.md names every change kind `nhi diff` reports (its "Change kinds" table).
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

test('every change kind of nhi diff is in the table of docs/cli.md', () => {
  const docs = fs.readFileSync(path.join(root, 'docs', 'cli.md'), 'utf8');
  const table = docs.slice(docs.indexOf('### Change kinds'), docs.indexOf('### What the pull-request comment looks like'));
  const source = ['diff.ts', 'scope-diff.ts'].map((f) => fs.readFileSync(path.join(root, 'lib', 'cli', f), 'utf8')).join('\n');
  const kinds = new Set([...source.matchAll(/kind: '([a-z-]+)'/g)].map((m) => m[1]));
  // Built from names: the lifecycle fields (`${f}-changed`) and the details (trust or not).
  for (const k of ['system-changed', 'environment-changed', 'trust-changed', 'details-changed']) kinds.add(k);
  expect(kinds.size).toBeGreaterThan(40);
  const missing = [...kinds].filter((k) => !table.includes(`\`${k}\``));
  expect(missing).toEqual([]);
});
