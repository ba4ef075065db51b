import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', '..', 'lib', 'aws-cdk');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('lib/aws-cdk imports', () => {
  test('only aws-cdk-lib/<module> deep paths: never the aws-cdk-lib root, never cdktf', () => {
    for (const file of sources(LIB)) {
      const specifiers = [...fs.readFileSync(file, 'utf8').matchAll(/from '([^']+)'|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
      for (const s of specifiers) {
        expect(`${path.relative(LIB, file)}: ${s}`).not.toMatch(/: (aws-cdk-lib|cdktf|@cdktf\/.*)$/);
      }
    }
  });

  test('loading lib/aws-cdk loads neither cdktf nor the aws-cdk-lib root (nor the rotation handler\'s SDK clients)', () => {
    const script = `require(${JSON.stringify(path.join(LIB, 'index.ts'))});
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify({
        cdktf: loaded.some((f) => /node_modules[\\\\/](cdktf|@cdktf)[\\\\/]/.test(f)),
        root: loaded.some((f) => /node_modules[\\\\/]aws-cdk-lib[\\\\/]index\\.js$/.test(f)),
        sdk: loaded.some((f) => /node_modules[\\\\/]@aws-sdk[\\\\/]/.test(f)),
      }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ cdktf: false, root: false, sdk: false });
  });
});
