// Helpers shared by the CLI commands: argument parsers, keypair files, the progress bar.
import { InvalidArgumentError } from 'commander';
import { Keypair } from '@solana/web3.js';
import fs from 'node:fs';

/** Commander parser for a positive integer option. */
export const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

/** A Solana CLI keypair file (JSON array of the 64 secret-key bytes). */
export const readKeypair = (file: string) =>
  Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(file, 'utf8'))));

/** A `[####....] done/total` progress bar on stderr. */
export function progress(done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

/** Reports a usage problem on stderr and sets exit code 2. */
export function usage(message: string) {
  console.error(message);
  process.exitCode = 2;
}
