#!/usr/bin/env node
// Regenerates sdk/idl/*.json (generated, never edited; the SDK imports it) from the programs.
// `node scripts/dev/idl.mjs --check` fails when the committed IDL differs (CI drift gate).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { cargo } from './cargo.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');
const out = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-idl-')) : path.join(root, 'sdk', 'idl');
process.chdir(root);
cargo(['run', '--quiet', '-p', 'ovpp-idl', '--', out]);
let drift = false;
for (const file of fs.readdirSync(out).filter((f) => f.endsWith('.json'))) {
  const committed = path.join(root, 'sdk', 'idl', file);
  if (check && (!fs.existsSync(committed) || fs.readFileSync(committed, 'utf8') !== fs.readFileSync(path.join(out, file), 'utf8'))) {
    console.error(`IDL drift: sdk/idl/${file} differs from the program; run npm run idl`);
    drift = true;
  }
}
if (drift) process.exit(1);
