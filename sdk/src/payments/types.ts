import type { PublicKey } from '@solana/web3.js';

/** kWh of energy or kg of CO2 avoided. */
export type UnitKind = 'kwh' | 'co2Kg';

export interface PaymentsConfig {
  address: PublicKey;
  bump: number;
  paused: boolean;
  authority: PublicKey;
  usdcMint: PublicKey;
  usdcTokenProgram: PublicKey;
  usdeMint: PublicKey;
  usdcVault: PublicKey;
  usdeTreasury: PublicKey;
}

export interface UnitMarket {
  address: PublicKey;
  bump: number;
  kind: UnitKind;
  mint: PublicKey;
  feed: PublicKey;
  maxStalenessSlots: number;
  minSamples: number;
  maxConfidenceBps: number;
  spreadBps: number;
}
