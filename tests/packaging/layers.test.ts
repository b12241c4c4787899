// The package cut, checked from the sources: every workspace package imports only packages below it
// (runtime < integration < sdk < localnet < testing, sdk < indexer, sdk < app; the service sits
// beside testing, above the indexer and the app, and may not import testing), never reaches out of
// its own directory (no `../../tests/...`, no sibling sources), and declares every package it
// imports (a published package with an undeclared import breaks on install). The Rust crates keep the same rule: the host and the runtime addon never depend on the
// test kit, and the programs depend only on lower programs.
import { expect } from 'chai';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const root = path.join(__dirname, '..', '..');

interface Layer {
  name: string;
  dir: string;
  /** Source roots inside `dir` that ship (the published code). */
  sources: string[];
  /** The OpenVPP packages it may import at run time. */
  allowed: string[];
  /**
   * Source roots bundled at build time (the app's browser code): the same rules, but what they
   * import may be a dev dependency, since the bundle carries it.
   */
  bundled?: string[];
}

export const LAYERS: Layer[] = [
  {
    name: '@openvpp/runtime',
    dir: 'crates/ovpp-runtime',
    sources: ['index.js', 'bankrun.js', 'anchor-bankrun.js'],
    allowed: [],
  },
  { name: '@openvpp/integration', dir: 'integration', sources: ['src'], allowed: [] },
  { name: '@openvpp/sdk', dir: 'sdk', sources: ['src'], allowed: ['@openvpp/integration'] },
  {
    name: '@openvpp/localnet',
    dir: 'localnet',
    sources: ['src'],
    allowed: ['@openvpp/runtime', '@openvpp/sdk'],
  },
  { name: '@openvpp/indexer', dir: 'indexer', sources: ['src'], allowed: ['@openvpp/sdk'] },
  { name: '@openvpp/app', dir: 'app', sources: ['src'], bundled: ['web'], allowed: ['@openvpp/sdk'] },
  {
    name: '@openvpp/testing',
    dir: 'testing',
    sources: ['src'],
    allowed: ['@openvpp/runtime', '@openvpp/sdk', '@openvpp/localnet'],
  },
  {
    name: '@openvpp/service',
    dir: 'service',
    sources: ['src'],
    allowed: [
      '@openvpp/runtime',
      '@openvpp/integration',
      '@openvpp/sdk',
      '@openvpp/localnet',
      '@openvpp/indexer',
      '@openvpp/app',
    ],
  },
];

const BUILTIN = new Set(builtinModules);

/** The files at `at` (a file, or every file below a directory) whose path matches `pattern`. */
function filesUnder(at: string, pattern: RegExp): string[] {
  if (!fs.existsSync(at)) return [];
  const files = fs.statSync(at).isFile()
    ? [at]
    : fs.readdirSync(at, { recursive: true, encoding: 'utf8' }).map((f) => path.join(at, f));
  return files.filter((f) => pattern.test(f) && fs.statSync(f).isFile());
}

/** TypeScript and JavaScript sources, declaration files excluded. */
const SOURCE = /(?<!\.d)\.(ts|tsx|js|mjs|cjs)$/;

/** The bare package name of an import specifier (`@scope/name/sub` -> `@scope/name`). */
const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** Every violation of the layering rules in one package directory (empty when it is clean). */
export function layerViolations(
  pkgRoot: string,
  layer: Pick<Layer, 'name' | 'sources' | 'allowed' | 'bundled'>,
): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgRoot, 'package.json'), 'utf8'));
  const runtime = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ]);
  const buildTime = new Set([...runtime, ...Object.keys(pkg.devDependencies ?? {})]);
  const out: string[] = [];
  const files = [
    ...layer.sources.flatMap((s) => filesUnder(path.join(pkgRoot, s), SOURCE).map((f) => ({ f, declared: runtime }))),
    ...(layer.bundled ?? []).flatMap((s) =>
      filesUnder(path.join(pkgRoot, s), SOURCE).map((f) => ({ f, declared: buildTime })),
    ),
  ];
  for (const { f: file, declared } of files) {
    const rel = path.relative(pkgRoot, file);
    // TypeScript's own scanner: static and dynamic imports, re-exports and require() calls.
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const { fileName: spec } of importedFiles) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        if (path.relative(pkgRoot, target).startsWith('..')) out.push(`${rel}: '${spec}' reaches out of ${layer.name}`);
        continue;
      }
      if (spec.startsWith('node:') || BUILTIN.has(spec) || BUILTIN.has(packageOf(spec))) continue;
      const dep = packageOf(spec);
      if (dep === layer.name) {
        out.push(`${rel}: '${spec}' imports its own package by name`);
      } else if (dep.startsWith('@openvpp/') && !layer.allowed.includes(dep)) {
        out.push(`${rel}: '${spec}' imports ${dep}, which is not below ${layer.name}`);
      } else if (!declared.has(dep)) {
        out.push(`${rel}: '${spec}' is not a dependency of ${layer.name}`);
      }
    }
  }
  return out;
}

/** `[dependencies]` (not dev) of a Cargo.toml that name a workspace crate. */
function cargoDeps(manifest: string): string[] {
  const text = fs.readFileSync(manifest, 'utf8');
  const section = /^\[dependencies\]\n([\s\S]*?)(?=^\[|$(?![\s\S]))/m.exec(text)?.[1] ?? '';
  return [...section.matchAll(/^(ovpp-[a-z-]+)\s*=/gm)].map((m) => m[1]);
}

describe('package layers', () => {
  for (const layer of LAYERS) {
    it(`${layer.name} imports only what is below it and what it declares`, () => {
      expect(layerViolations(path.join(root, layer.dir), layer)).to.deep.equal([]);
    });
  }

  it('the check catches an upward import, a reach into tests/ and an undeclared package', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'openvpp-layers-'));
    try {
      fs.mkdirSync(path.join(tmp, 'src'));
      fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ dependencies: { '@openvpp/sdk': '0.1.0' } }));
      fs.writeFileSync(
        path.join(tmp, 'src', 'index.ts'),
        [
          "import { seedWorld } from '@openvpp/testing';",
          "import { CA_PEM } from '../../tests/utils/harness';",
          "import chalk from 'chalk';",
          "import { x } from './ok';",
          "import fs from 'node:fs';",
          "const sdk = require('@openvpp/sdk/web3');",
        ].join('\n'),
      );
      const found = layerViolations(tmp, { name: '@openvpp/probe', sources: ['src'], allowed: ['@openvpp/sdk'] });
      expect(found).to.have.length(3);
      expect(found[0]).to.match(/@openvpp\/testing, which is not below/);
      expect(found[1]).to.match(/reaches out of/);
      expect(found[2]).to.match(/'chalk' is not a dependency/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('the service has @openvpp/testing as a dev dependency only', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'service', 'package.json'), 'utf8'));
    expect(pkg.dependencies).to.not.have.property('@openvpp/testing');
    expect(pkg.devDependencies).to.have.property('@openvpp/testing');
  });

  it('Rust: the host and the addon never depend on the test kit; programs only on lower programs', () => {
    const deps = (dir: string) => cargoDeps(path.join(root, dir, 'Cargo.toml'));
    expect(deps('crates/ovpp-host').sort()).to.deep.equal([
      'ovpp-hook',
      'ovpp-payments',
      'ovpp-registry',
      'ovpp-routing',
    ]);
    expect(deps('crates/ovpp-runtime')).to.deep.equal(['ovpp-host']);
    expect(deps('crates/ovpp-test-utils')).to.not.include('ovpp-runtime');
    expect(deps('programs/ovpp-registry')).to.deep.equal([]);
    expect(deps('programs/ovpp-routing')).to.deep.equal(['ovpp-registry']);
    expect(deps('programs/ovpp-hook')).to.deep.equal(['ovpp-registry']);
    expect(deps('programs/ovpp-payments').sort()).to.deep.equal(['ovpp-hook', 'ovpp-registry', 'ovpp-routing']);
    for (const dir of [
      'programs/ovpp-registry',
      'programs/ovpp-routing',
      'programs/ovpp-payments',
      'crates/ovpp-host',
    ]) {
      for (const f of filesUnder(path.join(root, dir, 'src'), /\.rs$/)) {
        const src = fs.readFileSync(f, 'utf8');
        expect(/ovpp_test_utils|include_(str|bytes)!\("[^"]*tests\//.test(src), path.relative(root, f)).to.equal(false);
      }
    }
  });
});
