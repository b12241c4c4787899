#!/usr/bin/env node
// Generates the typed client in sdk/src/generated/<program>/ from the committed IDLs
// (sdk/idl/*.json) with Codama (@codama/nodes-from-anchor -> @codama/renderers-js, the
// generator behind the SPL programs' JS clients): instruction builders, account types and
// decoders, defined types, PDA helpers, error maps, program identification. Generated, never
// edited. `node scripts/codegen.mjs --check` fails when the committed client differs from what
// the IDLs generate (CI drift gate; run `npm run codegen` after `npm run idl`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';
import { visit } from '@codama/visitors-core';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const committed = path.join(root, 'sdk', 'src', 'generated');
const out = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-codegen-')) : committed;
const prettierOptions = JSON.parse(fs.readFileSync(path.join(root, '.prettierrc.json'), 'utf8'));

const PROGRAMS = { registry: 'ovpp_registry', routing: 'ovpp_routing', payments: 'ovpp_payments', hook: 'ovpp_hook' };

// Codama logs the argument renames it makes (an arg named like an account gets an `Arg`
// suffix); they are deterministic, so keep the output quiet.
const log = console.log;
const warn = console.warn;
for (const [dir, idlName] of Object.entries(PROGRAMS)) {
  const idl = JSON.parse(fs.readFileSync(path.join(root, 'sdk', 'idl', `${idlName}.json`), 'utf8'));
  console.log = console.warn = () => {};
  try {
    await visit(
      rootNodeFromAnchor(idl),
      renderVisitor(path.join(out, dir), {
        generatedFolder: '.',
        syncPackageJson: false,
        deleteFolderBeforeRendering: true,
        prettierOptions,
      }),
    );
  } finally {
    console.log = log;
    console.warn = warn;
  }
  renderConstants(path.join(out, dir), idl);
}

// Codama's JS renderer leaves out the IDL's `constants` (the programs' `#[constant]` seeds):
// render them as one more generated file, `constants.ts`, exported from the folder's index.
function renderConstants(dir, idl) {
  const constants = idl.constants ?? [];
  if (constants.length === 0) return;
  const lines = constants.map((c) => {
    if (c.type !== 'bytes') throw new Error(`constant ${c.name}: only byte-string constants are rendered`);
    const bytes = JSON.parse(c.value);
    const text = Buffer.from(bytes).toString('utf8');
    const doc = (c.docs ?? []).length ? c.docs.join(' ') : `\`${JSON.stringify(text)}\` as bytes.`;
    return `/** ${doc} */\nexport const ${c.name} = new Uint8Array([${bytes.join(', ')}]);\n`;
  });
  const header = fs.readFileSync(path.join(dir, 'index.ts'), 'utf8').split('*/')[0] + '*/\n\n';
  fs.writeFileSync(path.join(dir, 'constants.ts'), header + lines.join('\n'));
  fs.appendFileSync(path.join(dir, 'index.ts'), "export * from './constants';\n");
}
fs.writeFileSync(
  path.join(out, 'index.ts'),
  Object.keys(PROGRAMS)
    .map((dir) => `export * as ${dir} from './${dir}';\n`)
    .join(''),
);
fs.writeFileSync(
  path.join(out, 'README.md'),
  '# Generated client (do not edit)\n\n' +
    'Rendered by `npm run codegen` (scripts/codegen.mjs, Codama) from `sdk/idl/*.json`; CI fails on drift.\n' +
    'Kit-style (`@solana/kit`) builders, account decoders, PDA helpers and error maps, one folder per program.\n',
);

function files(dir, base = dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]))
    .sort();
}

if (check) {
  const want = files(out);
  const have = fs.existsSync(committed) ? files(committed) : [];
  const drift = [...new Set([...want, ...have])].filter(
    (f) =>
      !want.includes(f) ||
      !have.includes(f) ||
      fs.readFileSync(path.join(out, f), 'utf8') !== fs.readFileSync(path.join(committed, f), 'utf8'),
  );
  fs.rmSync(out, { recursive: true, force: true });
  if (drift.length) {
    console.error(`generated client drift in sdk/src/generated: ${drift.slice(0, 10).join(', ')}; run npm run codegen`);
    process.exit(1);
  }
} else {
  console.log(`wrote ${files(out).length} files to ${path.relative(root, out)}`);
}
