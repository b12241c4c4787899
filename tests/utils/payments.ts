// Payments fixtures: the payments and settlement worlds of @openvpp/testing on a runtime closed
// after each test, and the reserve invariant as an assertion.
import { expect } from 'chai';

import { Runtime } from '@openvpp/runtime';
import { fetchReserve } from '@openvpp/sdk/web3';
import {
  type PaymentsWorld,
  type SettlementOptions,
  paymentsWorld as paymentsWorldOn,
  settlementWorld as settlementWorldOn,
} from '@openvpp/testing';

import { startRuntime, world } from './harness';

export {
  EXPORT_CAP,
  HOUR,
  INTERVALS,
  KWH_PRICE,
  MARKET,
  MIDNIGHT,
  SETTLEMENT_WINDOW_SECS,
  USDC,
  createKwhMarket,
  createMarket,
  makeMember,
  reading,
  setFeed,
  type PaymentsWorld,
  type SettlementOptions,
} from '@openvpp/testing';

/** Anchor's `ConstraintSeeds`: an account is not the PDA the instruction derives. */
export const ANCHOR_CONSTRAINT_SEEDS_CODE = 2006;

/** Payments on `rt` (a fresh runtime by default): USDC mint, config, a funded user, a feed. */
export const paymentsWorld = (rt: Runtime = startRuntime()): PaymentsWorld => paymentsWorldOn(rt);

/** The settlement world of @openvpp/testing on a fresh registry world (`world()`). */
export const settlementWorld = (opts: SettlementOptions = {}) => settlementWorldOn(world(), opts);

/**
 * The reserve invariant with nothing donated or burned elsewhere: USDE supply == USDC in the
 * vault (the program guarantees vault >= supply). Returns the supply.
 */
export async function expectReserve(rt: Runtime): Promise<bigint> {
  const r = await fetchReserve(rt);
  expect(r.usdeSupply).to.equal(r.usdcVault);
  return r.usdeSupply;
}
