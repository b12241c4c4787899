// Packaging, proven outside the repository: `npm pack` of the runtime, the SDK, the local node,
// the indexer, the testing module, the app and the service, installed into an empty temporary directory
// with nothing else but TypeScript and @types/node; the README's SDK example, extracted verbatim,
// is type-checked there (strict, without skipLibCheck) and run; the CommonJS builds load; the
// `openvpp` bin runs without ts-node. Needs `npm run build` first (as every TS test does).
// `npm install` resolves the tarballs' dependencies from the npm cache (filled by `npm ci`), or
// the registry.
import { expect } from 'chai';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { SAMPLE_CA_PEM, SAMPLE_DEVICE_PEM } from '@openvpp/testing';

const root = path.join(__dirname, '..', '..');
const PACKAGES = [
  { name: '@openvpp/runtime', dir: 'crates/ovpp-runtime' },
  { name: '@openvpp/integration', dir: 'integration' },
  { name: '@openvpp/sdk', dir: 'sdk' },
  { name: '@openvpp/localnet', dir: 'localnet' },
  { name: '@openvpp/indexer', dir: 'indexer' },
  { name: '@openvpp/testing', dir: 'testing' },
  { name: '@openvpp/app', dir: 'app' },
  { name: '@openvpp/service', dir: 'service' },
];
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const installedVersion = (name: string) => readJson(path.join(root, 'node_modules', name, 'package.json')).version;

function run(cmd: string, args: string[], cwd: string, timeoutMs: number, status = 0): SpawnSyncReturns<string> {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const what = `${cmd} ${args.join(' ')} (in ${cwd})`;
  if (res.error) throw new Error(`${what}: ${res.error.message}`);
  expect(res.status, `${what} exited ${res.status}\n${res.stdout}\n${res.stderr}`).to.equal(status);
  return res;
}

/** The first ```ts block after the README's `## SDK` heading. */
function readmeSdkExample(readme: string): string {
  const section = readme.indexOf('\n## SDK\n');
  expect(section, 'README has a "## SDK" section').to.be.greaterThan(-1);
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(section));
  expect(match, 'the SDK section has a ```ts block').to.not.equal(null);
  return match![1];
}

describe('packaging', () => {
  it('the testing module bundles the fixture certificates unchanged', () => {
    const fixture = (f: string) => fs.readFileSync(path.join(root, 'testing', 'fixtures', 'pki', f), 'utf8');
    expect(SAMPLE_CA_PEM).to.equal(fixture('root.pem'));
    expect(SAMPLE_DEVICE_PEM).to.equal(fixture('device.pem'));
  });

  it('every package.json declares the same Node line; the runtime is publishable with its binary', () => {
    const engines = ['.', ...PACKAGES.map((p) => p.dir)].map(
      (d) => readJson(path.join(root, d, 'package.json')).engines,
    );
    expect(new Set(engines.map((e) => e?.node))).to.deep.equal(
      new Set([readJson(`${root}/package.json`).engines.node]),
    );
    const runtime = readJson(path.join(root, 'crates', 'ovpp-runtime', 'package.json'));
    expect(runtime.private, 'runtime is private').to.equal(undefined);
    expect(runtime.os).to.deep.equal(['linux']);
    expect(runtime.cpu).to.deep.equal(['x64']);
    expect(runtime.files).to.include('ovpp_runtime.node');
  });

  it('npm pack, install into an empty directory outside the repo, type-check and run the README example', function () {
    this.timeout(15 * 60_000);
    for (const f of [
      'sdk/dist/index.d.ts',
      'testing/dist/index.mjs',
      'service/dist/cli.js',
      'crates/ovpp-runtime/ovpp_runtime.node',
    ]) {
      expect(fs.existsSync(path.join(root, f)), `${f} missing: run \`npm run build\` first`).to.equal(true);
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'openvpp-packaging-'));
    expect(path.relative(root, tmp).startsWith('..'), `${tmp} is outside ${root}`).to.equal(true);
    try {
      // 1. Pack the workspaces; check the runtime tarball carries its native binary.
      const packDir = path.join(tmp, 'pack');
      fs.mkdirSync(packDir);
      const packed: { name: string; filename: string; files: { path: string }[] }[] = JSON.parse(
        run(
          'npm',
          ['pack', '--json', '--pack-destination', packDir, ...PACKAGES.flatMap((p) => ['-w', p.name])],
          root,
          5 * 60_000,
        ).stdout,
      );
      expect(packed.map((p) => p.name)).to.deep.equal(PACKAGES.map((p) => p.name));
      const files = (name: string) => packed.find((p) => p.name === name)!.files.map((f) => f.path);
      expect(files('@openvpp/runtime')).to.include('ovpp_runtime.node');
      expect(files('@openvpp/sdk')).to.include.members(['dist/index.d.ts', 'dist/index.js', 'dist/index.mjs']);
      expect(files('@openvpp/service')).to.include.members(['bin/openvpp', 'dist/cli.js', 'dist/index.d.ts']);
      expect(files('@openvpp/indexer')).to.include.members(['dist/index.d.ts', 'dist/index.js', 'dist/index.mjs']);
      expect(files('@openvpp/service').some((f) => f.startsWith('src/'))).to.equal(false);
      // The app ships its browser build (no sources) and the Node entry that locates it.
      expect(files('@openvpp/app')).to.include.members(['dist/index.js', 'dist/index.mjs', 'dist/www/index.html']);
      expect(files('@openvpp/app').some((f) => f.startsWith('web/') || f.startsWith('src/'))).to.equal(false);

      // 2. An empty ESM project: the tarballs, TypeScript and @types/node, nothing else.
      const app = path.join(tmp, 'app');
      fs.mkdirSync(app);
      fs.writeFileSync(
        path.join(app, 'package.json'),
        JSON.stringify({ name: 'openvpp-consumer', private: true, type: 'module' }, null, 2),
      );
      fs.writeFileSync(
        path.join(app, 'tsconfig.json'),
        JSON.stringify(
          {
            compilerOptions: {
              target: 'ES2022',
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              strict: true,
              types: ['node'],
              outDir: 'out',
            },
            files: ['example.mts'],
          },
          null,
          2,
        ),
      );
      const example = readmeSdkExample(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
      fs.writeFileSync(path.join(app, 'example.mts'), example);
      run(
        'npm',
        [
          'install',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          ...packed.map((p) => path.join(packDir, p.filename)),
          `typescript@${installedVersion('typescript')}`,
          `@types/node@${installedVersion('@types/node')}`,
        ],
        app,
        10 * 60_000,
      );

      // 3. The README example type-checks without skipLibCheck, then runs.
      expect(fs.readFileSync(path.join(app, 'tsconfig.json'), 'utf8')).to.not.include('skipLibCheck');
      run(process.execPath, [path.join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], app, 5 * 60_000);
      const out = run(process.execPath, ['out/example.mjs'], app, 2 * 60_000)
        .stdout.trim()
        .split('\n');
      expect(out[0]).to.equal('CertificateExpired');
      expect(out[1]).to.match(/^true [0-9A-F]{40}$/);
      expect(out[2]).to.equal('true true');

      // 4. The CommonJS builds load, and the CLI runs from its compiled bin.
      run(
        process.execPath,
        [
          '-e',
          "for (const p of ['@openvpp/sdk', '@openvpp/indexer', '@openvpp/testing', '@openvpp/service']) require(p)",
        ],
        app,
        60_000,
      );
      // The app's Node entry points at its installed browser build, from both builds.
      const appBuilt = "if (!appBuilt(appDir)) throw new Error('no app build at ' + appDir)";
      run(process.execPath, ['-e', `const { appDir, appBuilt } = require('@openvpp/app'); ${appBuilt}`], app, 60_000);
      run(
        process.execPath,
        ['--input-type=module', '-e', `import { appDir, appBuilt } from '@openvpp/app'; ${appBuilt}`],
        app,
        60_000,
      );
      // The indexer opens and migrates its node:sqlite store through kysely from both builds (the
      // `node:` prefix survives the bundle); a failure is an unhandled rejection (exit 1).
      const openStore =
        "Indexer.open({ rpcUrl: 'http://127.0.0.1:9/', store: { sqlite: ':memory:' } }).then((i) => i.queries.bills('11111111111111111111111111111111').then(() => i.close()))";
      run(process.execPath, ['-e', `const { Indexer } = require('@openvpp/indexer'); ${openStore}`], app, 60_000);
      run(
        process.execPath,
        ['--input-type=module', '-e', `import { Indexer } from '@openvpp/indexer'; ${openStore}`],
        app,
        60_000,
      );
      const help = run(path.join(app, 'node_modules', '.bin', 'openvpp'), ['--help'], app, 60_000).stdout;
      expect(help).to.include('demo');
      expect(help).to.include('onboard');
      const demo = run(
        path.join(app, 'node_modules', '.bin', 'openvpp'),
        ['demo', 'enroll-csv', '--csv', path.join(root, 'testing', 'fixtures', 'devices.csv')],
        app,
        2 * 60_000,
        1,
      );
      // One fixture row does not speak OpenADR 3: exit 1 with it reported, three enrolled.
      expect(JSON.parse(demo.stdout).enrolled).to.equal(3);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
