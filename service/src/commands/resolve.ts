// `openvpp resolve`: asks a running service (cluster or embedded) for a device's connection
// parameters.
import { Command } from 'commander';
import { PublicKey } from '@solana/web3.js';

import { usage } from './util';

export function register(parent: Command) {
  parent
    .command('resolve')
    .description("ask a running service for a device's connection parameters")
    .requiredOption('--device <pubkey>', 'registry device account')
    .requiredOption('--program <pubkey>', 'routing program account')
    .option('--service <url>', 'service base URL', 'http://127.0.0.1:8787')
    .action(async (opts: { device: string; program: string; service: string }) => {
      for (const k of [opts.device, opts.program]) {
        try {
          new PublicKey(k);
        } catch {
          return usage(`not a public key: ${k}`);
        }
      }
      const res = await fetch(`${opts.service}/v1/resolve?device=${opts.device}&program=${opts.program}`);
      console.log(JSON.stringify(await res.json(), null, 2));
      if (res.status !== 200) process.exitCode = 1;
    });
}
