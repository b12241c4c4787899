// `openvpp onboard`: registers a utility or vendor partner on a cluster (--rpc, signed by the
// protocol authority and the partner), or, without --rpc, as a dry run on a fresh embedded
// runtime whose registry config the localnet deployer initialises (@openvpp/localnet).
import { Command } from 'commander';
import { Connection, Keypair } from '@solana/web3.js';
import fs from 'node:fs';

import { Runtime } from '@openvpp/runtime';
import {
  certificateFingerprint,
  configInitInstructions,
  findPartnerPda,
  parseRegistryError,
  partnerRegisterInstructions,
} from '@openvpp/sdk/web3';
import { localnetAdmin } from '@openvpp/localnet';

import { rpcBackend, runtimeBackend, type Backend } from '../backend';
import { readKeypair, usage } from './util';

/** Onboards a partner: on a cluster through `backend`, or as a dry run on a fresh runtime. */
export async function onboardPartner({
  backend,
  authority,
  partner,
  kind,
  name,
  caPems,
}: {
  backend: Backend;
  authority: Keypair;
  partner: Keypair;
  kind: 'utility' | 'vendor';
  name: string;
  caPems: string[];
}) {
  const caFingerprints = caPems.map((pem) => certificateFingerprint(pem));
  const ixs = partnerRegisterInstructions({
    authority: authority.publicKey,
    partnerAuthority: partner.publicKey,
    payer: backend.payer.publicKey,
    kind,
    name,
    caFingerprints,
  });
  const { signature } = await backend.send(ixs, [authority, partner]);
  return {
    signature,
    partner: findPartnerPda({ authority: partner.publicKey })[0].toBase58(),
    caFingerprints: caFingerprints.map((f) => Buffer.from(f).toString('hex')),
  };
}

export function register(parent: Command) {
  parent
    .command('onboard')
    .description('onboard a utility or vendor partner (on --rpc, or as a dry run on the embedded runtime)')
    .requiredOption('--kind <kind>', 'utility | vendor')
    .requiredOption('--name <name>', 'display name (1..=64 bytes)')
    .option('--ca <pem...>', 'CA root certificate files (vendors)')
    .option('--rpc <url>', 'Solana RPC URL (without it: a dry run on a fresh embedded runtime, localnet keys)')
    .option('--authority-keypair <file>', 'protocol authority keypair JSON (with --rpc)')
    .option('--partner-keypair <file>', "partner's keypair JSON (with --rpc)")
    .action(
      async (opts: {
        kind: string;
        name: string;
        ca?: string[];
        rpc?: string;
        authorityKeypair?: string;
        partnerKeypair?: string;
      }) => {
        if (opts.kind !== 'utility' && opts.kind !== 'vendor') {
          return usage('--kind must be utility or vendor');
        }
        let backend: Backend;
        let authority: Keypair;
        let partner: Keypair;
        let rt: Runtime | undefined;
        if (opts.rpc) {
          if (!opts.authorityKeypair || !opts.partnerKeypair) {
            return usage('--rpc needs --authority-keypair and --partner-keypair');
          }
          authority = readKeypair(opts.authorityKeypair);
          partner = readKeypair(opts.partnerKeypair);
          backend = rpcBackend(new Connection(opts.rpc, 'confirmed'), authority);
        } else {
          rt = Runtime.start();
          authority = Keypair.generate();
          partner = Keypair.generate();
          const deployer = localnetAdmin();
          rt.processInstructions(
            configInitInstructions({
              payer: rt.payer.publicKey,
              authority: authority.publicKey,
              deployer: deployer.publicKey,
            }),
            [deployer],
          );
          backend = runtimeBackend(rt);
        }
        try {
          const caPems = (opts.ca ?? []).map((f) => fs.readFileSync(f, 'utf8'));
          const out = await onboardPartner({ backend, authority, partner, kind: opts.kind, name: opts.name, caPems });
          console.log(JSON.stringify({ mode: opts.rpc ? 'rpc' : 'embedded dry run', ...out }, null, 2));
        } catch (e) {
          const typed = parseRegistryError(e);
          console.error(typed ? `${typed.errorName}: ${typed.message}` : (e as Error).message);
          process.exitCode = 1;
        } finally {
          rt?.close();
        }
      },
    );
}
