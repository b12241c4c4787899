// Payments fixtures: a legacy SPL Token "USDC" mint, the payments config, a funded user and
// a Switchboard feed written into the runtime with the real pull-feed layout.
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Keypair, PublicKey } from '@solana/web3.js';
import { expect } from 'chai';

import { Runtime } from '@openvpp/runtime';
import { fetchReserve, paymentsInitInstructions, unitMarketCreateInstructions } from '@openvpp/sdk';

import { createUsdcMint } from '@openvpp/service';

import { startRuntime } from './harness';

export const USDC = 1_000_000n;
/** $0.15 per kWh, 18 decimals. */
export const KWH_PRICE = 150_000_000_000_000_000n;
export const MARKET = { maxStalenessSlots: 100, minSamples: 3, maxConfidenceBps: 100, spreadBps: 30 };

export interface PaymentsWorld {
  rt: Runtime;
  authority: Keypair;
  usdcMint: PublicKey;
  user: Keypair;
  userUsdc: PublicKey;
  feed: PublicKey;
}

export function setFeed(
  rt: Runtime,
  feed: PublicKey,
  over: Partial<{ value: bigint; stdDev: bigint; numSamples: number; slot: bigint }> = {},
) {
  rt.setSwitchboardFeed(feed, {
    value: KWH_PRICE,
    stdDev: KWH_PRICE / 1000n,
    numSamples: 5,
    slot: rt.getClock().slot,
    ...over,
  });
}

/** Payments on `rt` (a fresh runtime by default): USDC mint, config, a funded user, a feed. */
export function paymentsWorld(rt: Runtime = startRuntime()): PaymentsWorld {
  const payer = rt.payer;
  const authority = Keypair.generate();
  const usdcMint = createUsdcMint(rt);
  rt.processInstructions(
    paymentsInitInstructions({ payer: payer.publicKey, authority: authority.publicKey, usdcMint }),
  );
  const user = Keypair.generate();
  rt.airdrop(user.publicKey, 1_000_000_000n);
  const userUsdc = getAssociatedTokenAddressSync(usdcMint, user.publicKey);
  rt.processInstructions([
    createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, userUsdc, user.publicKey, usdcMint),
    createMintToInstruction(usdcMint, userUsdc, payer.publicKey, 1_000n * USDC),
  ]);
  const feed = Keypair.generate().publicKey;
  setFeed(rt, feed);
  return { rt, authority, usdcMint, user, userUsdc, feed };
}

export function createKwhMarket(w: PaymentsWorld) {
  w.rt.processInstructions(
    unitMarketCreateInstructions({
      authority: w.authority.publicKey,
      payer: w.rt.payer.publicKey,
      kind: 'kwh',
      feed: w.feed,
      ...MARKET,
    }),
    [w.authority],
  );
}

/** The reserve invariant: USDE supply == USDC in the vault. Returns the supply. */
export async function expectReserve(rt: Runtime): Promise<bigint> {
  const r = await fetchReserve(rt);
  expect(r.usdeSupply).to.equal(r.usdcVault);
  return r.usdeSupply;
}
