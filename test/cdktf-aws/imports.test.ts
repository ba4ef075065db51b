import { execFileSync } from 'child_process';
import * as path from 'path';

/** Modules a process loaded after requiring `entry` (run in a fresh Node process). */
function loadedBy(entry: string): string[] {
  const root = path.join(__dirname, '..', '..');
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e',
    `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out).map((f: string) => path.relative(root, f));
}

describe('entry points load only their own target', () => {
  test('lib/cdktf-aws loads no aws-cdk-lib, no Google provider, and no provider package root', () => {
    const mods = loadedBy('./lib/cdktf-aws');
    expect(mods.some((m) => m.includes('@cdktf/provider-aws/lib/iam-role/'))).toBe(true);
    expect(mods.filter((m) => m.includes('node_modules/aws-cdk-lib/'))).toEqual([]);
    expect(mods.filter((m) => m.includes('node_modules/@cdktf/provider-google/'))).toEqual([]);
    expect(mods.filter((m) => /node_modules\/@cdktf\/provider-[a-z]+\/lib\/index\.js$/.test(m))).toEqual([]);
  });

  test('lib/core loads no cdktf, no aws-cdk-lib and no provider', () => {
    const mods = loadedBy('./lib/core');
    expect(mods.filter((m) => /node_modules\/(cdktf|aws-cdk-lib|@cdktf)\//.test(m))).toEqual([]);
  });
});
