#!/usr/bin/env node
// Builds the napi-rs addon (crates/ovpp-runtime) and places it where @openvpp/runtime loads it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { cargo, targetDir } from './cargo.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const profile = process.env.OVPP_PROFILE || 'debug';
// With ovpp-idl selected too, features unify as in the workspace build (test:rust, clippy, IDL),
// so an addon build reuses those crates instead of compiling its own variant of the programs.
cargo(['build', '-p', 'ovpp-runtime', '-p', 'ovpp-idl', ...(profile === 'release' ? ['--release'] : [])]);
const lib = path.join(targetDir, profile, 'libovpp_runtime.so');
const dest = path.join(root, 'crates', 'ovpp-runtime', 'ovpp_runtime.node');
fs.copyFileSync(lib, dest);
console.log(`runtime addon: ${dest}`);
