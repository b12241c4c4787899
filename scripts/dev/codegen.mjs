#!/usr/bin/env node
// Generates the typed client in sdk/src/generated/<program>/ from the committed IDLs
// (sdk/idl/*.json) with Codama (@codama/nodes-from-anchor -> @codama/renderers-js, the
// generator behind the SPL programs' JS clients): instruction builders, account types and
// decoders, defined types, PDA helpers, error maps, program identification. Generated, never
// edited. `node scripts/dev/codegen.mjs --check` fails when the committed client differs from what
// the IDLs generate (CI drift gate; run `npm run codegen` after `npm run idl`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';
import { visit } from '@codama/visitors-core';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
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
  renderSeeds(path.join(out, dir), idl);
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
    'Rendered by `npm run codegen` (scripts/dev/codegen.mjs, Codama) from `sdk/idl/*.json`; CI fails on drift.\n' +
    'Kit-style (`@solana/kit`) builders, account decoders, PDA helpers and error maps, one folder per program.\n',
);

// Codama's PDA helpers are async (kit derives addresses with WebCrypto) and cover only the PDAs
// whose seeds are constants and accounts. Render, from every `pda` of every instruction account
// in the IDL, one synchronous seed builder per PDA kind (keyed by its constant prefix):
// `deviceSeeds({ deviceKey })` returns the seed byte strings, so a web3.js caller derives the
// address with `PublicKey.findProgramAddressSync(deviceSeeds(...), programId)`. Seed values are
// encoded with the generated codecs (addresses, integers little-endian, enums as their index).
function renderSeeds(dir, idl) {
  const camel = (s) => s.replace(/[-_]([a-z0-9])/g, (_, c) => c.toUpperCase());
  const typeByName = new Map((idl.types ?? []).map((t) => [t.name, t.type]));
  const fieldType = (typeName, field) => typeByName.get(typeName)?.fields?.find((f) => f.name === field)?.type;
  const constants = new Map((idl.constants ?? []).map((c) => [JSON.stringify(JSON.parse(c.value)), c.name]));
  const kinds = new Map();
  for (const ix of idl.instructions) {
    for (const account of ix.accounts) {
      if (!account.pda) continue;
      if (account.pda.program) throw new Error(`${ix.name}.${account.name}: seeds of another program`);
      const [prefix, ...rest] = account.pda.seeds;
      if (prefix.kind !== 'const') throw new Error(`${ix.name}.${account.name}: seeds must start with a constant`);
      const params = rest.map((seed) => {
        if (seed.kind === 'const') return { value: seed.value };
        const parts = seed.path.split('.');
        const name = camel(parts[parts.length - 1]);
        if (seed.kind === 'arg') {
          const argType = ix.args.find((a) => a.name === parts[0])?.type;
          const type = parts.length === 1 ? argType : fieldType(argType?.defined?.name, parts[1]);
          return { name, type };
        }
        return { name, type: parts.length === 1 ? 'pubkey' : fieldType(seed.account, parts[1]) };
      });
      const key = Buffer.from(prefix.value).toString('utf8');
      const shape = JSON.stringify(params.map((p) => p.type ?? p.value));
      const list = kinds.get(key) ?? [];
      const same = list.find((k) => k.shape === shape);
      if (same) same.uses.push({ at: `${ix.name}.${account.name}`, params });
      else list.push({ prefix: prefix.value, shape, uses: [{ at: `${ix.name}.${account.name}`, params }] });
      kinds.set(key, list);
    }
  }
  const kitImports = new Set(['type ReadonlyUint8Array']);
  const typeImports = new Set();
  const encode = (type, value) => {
    if (type === 'pubkey') {
      kitImports.add('getAddressEncoder').add('type Address');
      return [`getAddressEncoder().encode(${value})`, 'Address'];
    }
    if (/^[ui](8|16|32|64|128)$/.test(type)) {
      const enc = `get${type.toUpperCase()}Encoder`;
      kitImports.add(enc);
      return [`${enc}().encode(${value})`, /64|128/.test(type) ? 'number | bigint' : 'number'];
    }
    if (type?.array && type.array[0] === 'u8') return [value, 'ReadonlyUint8Array'];
    if (type?.defined) {
      const n = type.defined.name;
      typeImports.add(`get${n}Encoder`).add(`type ${n}Args`);
      return [`get${n}Encoder().encode(${value})`, `${n}Args`];
    }
    throw new Error(`seed of type ${JSON.stringify(type)} is not rendered`);
  };
  const blocks = [];
  for (const [key, list] of [...kinds].sort(([a], [b]) => a.localeCompare(b))) {
    list.forEach((kind, i) => {
      // Parameter names: the most common name each seed has across the instructions using it,
      // counting first the accounts named like the seed (`partner` over `vendor`).
      const names = kind.uses[0].params.map((_, j) => {
        const counts = new Map();
        for (const use of kind.uses) {
          const n = use.params[j].name;
          const weight = use.at.endsWith(`.${key}`) ? 100 : 1;
          if (n) counts.set(n, (counts.get(n) ?? 0) + weight);
        }
        return [...counts].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0]?.[0];
      });
      // Named after the program's seed constant (`SEED_UNIT_MINT` -> `unitMintSeeds`).
      const constant = constants.get(JSON.stringify(kind.prefix));
      const base = constant ? camel(constant.replace(/^SEED_/, '').toLowerCase()) : camel(key);
      const fn = `${base}Seeds${list.length > 1 ? i + 1 : ''}`;
      const fields = [];
      const values = [constant ?? `new Uint8Array([${kind.prefix.join(', ')}])`];
      kind.uses[0].params.forEach((param, j) => {
        if (param.value) return values.push(`new Uint8Array([${param.value.join(', ')}])`);
        const [expr, tsType] = encode(param.type, `seeds.${names[j]}`);
        fields.push(`${names[j]}: ${tsType}`);
        values.push(expr);
      });
      const label = [JSON.stringify(key), ...names.filter(Boolean)].join(', ');
      const used = kind.uses.map((u) => u.at).join(', ');
      const arg = fields.length ? `seeds: { ${fields.join('; ')} }` : '';
      blocks.push(
        `/** Seeds of \`[${label}]\` (${used}). */\n` +
          `export function ${fn}(${arg}): ReadonlyUint8Array[] {\n  return [${values.join(', ')}];\n}\n`,
      );
    });
  }
  if (blocks.length === 0) return;
  const usedConstants = [...constants.values()].filter((c) => blocks.some((b) => b.includes(c)));
  const header = fs.readFileSync(path.join(dir, 'index.ts'), 'utf8').split('*/')[0] + '*/\n\n';
  const imports =
    `import { ${[...kitImports].sort((a, b) => a.replace('type ', '').localeCompare(b.replace('type ', ''))).join(', ')} } from '@solana/kit';\n` +
    (usedConstants.length ? `import { ${usedConstants.sort().join(', ')} } from './constants';\n` : '') +
    (typeImports.size
      ? `import { ${[...typeImports].sort((a, b) => a.replace('type ', '').localeCompare(b.replace('type ', ''))).join(', ')} } from './types';\n`
      : '');
  fs.writeFileSync(path.join(dir, 'seeds.ts'), header + imports + '\n' + blocks.join('\n'));
  fs.appendFileSync(path.join(dir, 'index.ts'), "export * from './seeds';\n");
}

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
