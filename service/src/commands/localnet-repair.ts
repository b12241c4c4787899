// `openvpp localnet repair --ledger DIR [--truncate-at-corruption]`: verifies a localnet ledger
// (hash-chained WAL + snapshot) without starting a node and reports what it found. The node
// refuses to start on corruption (a bad frame with valid ones after it); only with
// --truncate-at-corruption does this command cut the WAL at the first bad frame, after copying
// the damaged segment (and moving any later one) into DIR/repair-<time>/, so the operator
// chooses to lose the records after it. Exit codes: 0 clean (or repaired; a torn tail, which the
// node cuts itself, counts as clean), 1 corruption found and not repaired, 2 usage.
import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';

import { LedgerFormatError, scanLedger, truncateAtCorruption, type LedgerScan } from '@openvpp/localnet';
import { usage } from './util';

function describe(scan: LedgerScan<{ seq: number }, unknown>) {
  const lines = [`ledger ${scan.dir} (format version ${scan.meta?.version ?? 'unknown: no meta.json'})`];
  if (scan.snapshot) lines.push(`snapshot: seq ${scan.snapshot.seq}, chain head ${scan.snapshot.head}`);
  else lines.push('snapshot: none');
  for (const name of scan.obsolete) lines.push(`segment ${name}: covered by the snapshot (left over; ignored)`);
  for (const s of scan.segments) lines.push(`segment ${s.name}: ${s.bytes} bytes, ${s.frames} frames verified`);
  const first = scan.records[0]?.seq;
  lines.push(
    `WAL records that verify: ${scan.records.length}${first === undefined ? '' : ` (seq ${first}..${scan.head.seq})`}`,
  );
  return lines;
}

export function register(localnet: Command) {
  localnet
    .command('repair')
    .description(
      'verify a localnet ledger and report corruption; with --truncate-at-corruption, cut the WAL at the first bad frame (keeping a backup). Exit 0 clean or repaired, 1 corruption not repaired, 2 usage',
    )
    .requiredOption('--ledger <dir>', 'ledger directory')
    .option(
      '--truncate-at-corruption',
      'cut the WAL at the first bad frame, giving up every record from there on (the original is kept in DIR/repair-<time>/)',
    )
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts: { ledger: string; truncateAtCorruption?: boolean }) => {
      const dir = path.resolve(opts.ledger);
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        return usage(`openvpp localnet repair: ${dir} is not a directory`);
      }
      let scan: LedgerScan<{ seq: number }, unknown>;
      try {
        scan = scanLedger(dir);
      } catch (e) {
        if (e instanceof LedgerFormatError) return usage(`openvpp localnet repair: ${e.message}`);
        throw e;
      }
      if (!scan.meta && !scan.problem) return usage(`openvpp localnet repair: ${dir} holds no ledger (no meta.json)`);
      for (const line of describe(scan)) console.log(line);
      const p = scan.problem;
      if (!p) {
        console.log('clean: every frame verifies');
        return;
      }
      const where = `${p.file} at byte ${p.offset} (frame index ${p.frameIndex}): ${p.reason}`;
      if (p.kind === 'tornTail') {
        console.log(`torn tail: ${where}; ${p.bytes} bytes, no valid frame after it (the node cuts it on start)`);
        return;
      }
      console.log(`CORRUPT: ${where}`);
      console.log(`  ${p.framesAfter} checksummed frame(s) after it would be given up by cutting there`);
      const repairable = /^wal-\d{12}\.log$/.test(p.file) && fs.existsSync(path.join(dir, p.file));
      if (!repairable) {
        console.log(`not repairable by cutting the WAL (${p.file}); nothing was changed`);
        process.exitCode = 1;
        return;
      }
      if (!opts.truncateAtCorruption) {
        console.log(
          `not repaired (nothing was changed): run again with --truncate-at-corruption to cut ${p.file} at byte ${p.offset}, keeping a backup`,
        );
        process.exitCode = 1;
        return;
      }
      const backupDir = path.join(dir, `repair-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      const { backedUp } = truncateAtCorruption(dir, p, backupDir);
      for (const f of backedUp) console.log(`backup: ${f}`);
      console.log(`cut ${p.file} at byte ${p.offset}`);
      const after = scanLedger<{ seq: number }, unknown>(dir);
      if (after.problem?.kind === 'corrupt') {
        console.log(`still corrupt: ${after.problem.file} at byte ${after.problem.offset}: ${after.problem.reason}`);
        process.exitCode = 1;
        return;
      }
      console.log(`repaired: ${after.records.length} WAL records verify (up to seq ${after.head.seq})`);
    });
}
