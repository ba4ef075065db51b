import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { filesUnder } from '../helpers/files';

const LIB = path.join(__dirname, '..', '..', 'lib', 'aws-cdk');

function sources(dir: string): string[] {
  return filesUnder(dir, '.ts').filter((f) => !f.endsWith('.d.ts'));
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

  // Import cost (docs/performance.md, bench aws-cdk): what runs only when a construct is built, a
  // template checked or a register written loads then, not at import.
  test('importing lib/aws-cdk loads none of the rules, checks or renderers it needs only to build or synthesise; building loads them', () => {
    const deferred = [
      'aws-cdk/private/construction', 'aws-cdk/private/checks', 'aws-cdk/private/verification-check', 'aws-cdk/private/scope-guard',
      'aws-cdk/private/notices', 'aws-cdk/private/rotation', 'aws-cdk/private/verification.', 'aws-cdk/private/cfn', 'core/register', 'core/artifact/', 'core/rules/artifact', 'core/rules/aws-scope',
      'core/private/iam-catalog', 'core/rules/google-', 'core/governance.', 'core/waivers.', 'core/policy.', 'rotation-handler/',
    ];
    const script = `const loaded = () => Object.keys(require.cache).map((f) => f.split(require('path').sep).join('/'));
      const which = (names) => names.filter((n) => loaded().some((f) => f.includes('/lib/' + n)));
      const names = ${JSON.stringify(deferred)};
      const cdk = require(${JSON.stringify(path.join(LIB, 'index.ts'))});
      const atImport = which(names);
      const core = require('aws-cdk-lib/core'); const iam = require('aws-cdk-lib/aws-iam');
      const stack = new core.Stack(new core.App({ context: { 'nhi:today': '2026-11-23' } }), 'S');
      const sa = new cdk.GovernedServiceAccount(stack, 'Reader', {
        owner: { team: 'billing', contact: 'billing@example.com' }, purpose: 'Reads nightly billing exports for the reporting job',
        expires: '2027-06-30', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/reports/*'] }],
      });
      console.log(JSON.stringify({ atImport, built: which(names).length, policy: sa.policyDocument.includes('s3:GetObject') }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.atImport).toEqual([]);
    expect(out.built).toBeGreaterThan(5);
    expect(out.policy).toBe(true);
  });

  test('without aws-cdk-lib installed, importing lib/aws-cdk fails with NhiMissingPeerError naming it (before anything loads lazily)', () => {
    // aws-cdk-lib made unresolvable, as in an app that has not installed it.
    const hide = `const Module = require('module'); const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'aws-cdk-lib' || request.startsWith('aws-cdk-lib/')) {
          throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: 'MODULE_NOT_FOUND' });
        }
        return resolve.call(this, request, ...rest);
      };`;
    const script = `${hide}
      try { require(${JSON.stringify(path.join(LIB, 'index.ts'))}); console.log(JSON.stringify({ loaded: true })); }
      catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.name).toBe('NhiMissingPeerError');
    expect(out.message).toMatch(/^nhi-constructs\/lib\/aws-cdk needs the peer dependency aws-cdk-lib, which is not installed\. .*npm install aws-cdk-lib@/);
  });
});
