import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import {
  type PaymentsErrorName,
  fetchReserve,
  fetchTokenAmount,
  fetchUnitMarket,
  findUnitMintPda,
  parsePaymentsError,
  quoteUnitBuy,
  quoteUnitSell,
  unitBuyInstructions,
  unitSellInstructions,
  usdeWrapInstructions,
} from '@openvpp/sdk/web3';

import { mintUsdc } from '@openvpp/testing';

import { world } from '../utils/harness';
import {
  KWH_PRICE,
  MARKET,
  USDC,
  createKwhMarket,
  createMarket,
  expectReserve,
  makeMember,
  paymentsWorld,
  setFeed,
} from '../utils/payments';

describe('payments: unit markets (Switchboard-priced kWh)', () => {
  /** A kWh market and a user who is a registry member with 100 USDE. */
  function funded() {
    const reg = world();
    const w = paymentsWorld(reg.rt);
    makeMember(reg, w.user, 700);
    w.rt.processInstructions(
      usdeWrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount: 100n * USDC }),
      [w.user],
    );
    createKwhMarket(w);
    return { ...w, reg };
  }
  const buy = (w: ReturnType<typeof funded>, usdeAmount: bigint, minUnitsOut = 0n) =>
    unitBuyInstructions({ user: w.user.publicKey, kind: 'kwh', feed: w.feed, usdeAmount, minUnitsOut });

  it('buys and sells at exactly the SDK quote, moving USDE without minting it', async () => {
    const w = funded();
    const market = await fetchUnitMarket(w.rt, { kind: 'kwh' });
    expect(market).to.include({ kind: 'kwh', spreadBps: 30, minSamples: 3, backing: 0n });
    expect(market!.feed.equals(w.feed)).to.equal(true);

    const oracle = { value: KWH_PRICE, stdDev: KWH_PRICE / 1000n, spreadBps: MARKET.spreadBps };
    const units = quoteUnitBuy({ ...oracle, usdeAmount: 15n * USDC })!;
    expect(units < 100n * USDC && units > 99n * USDC).to.equal(true); // haircut: just under 100 kWh
    w.rt.processInstructions(buy(w, 15n * USDC, units), [w.user]);
    const userUnits = getAssociatedTokenAddressSync(
      findUnitMintPda({ kind: 'kwh' })[0],
      w.user.publicKey,
      true,
      TOKEN_2022_PROGRAM_ID,
    );
    expect(await fetchTokenAmount(w.rt, userUnits)).to.equal(units);
    expect((await fetchReserve(w.rt)).treasury).to.equal(15n * USDC);
    expect((await fetchUnitMarket(w.rt, { kind: 'kwh' }))?.backing).to.equal(15n * USDC);
    expect(await expectReserve(w.rt)).to.equal(100n * USDC);

    const usde = quoteUnitSell({ ...oracle, unitAmount: units })!;
    expect(usde < 15n * USDC).to.equal(true);
    w.rt.processInstructions(
      unitSellInstructions({ user: w.user.publicKey, kind: 'kwh', feed: w.feed, unitAmount: units, minUsdeOut: usde }),
      [w.user],
    );
    expect(await fetchTokenAmount(w.rt, userUnits)).to.equal(0n);
    expect((await fetchReserve(w.rt)).treasury).to.equal(15n * USDC - usde);
    expect((await fetchUnitMarket(w.rt, { kind: 'kwh' }))?.backing).to.equal(15n * USDC - usde);
    expect(await expectReserve(w.rt)).to.equal(100n * USDC);
  });

  it('redeems a market only from its own backing, never from another market', async () => {
    const w = funded();
    const co2Feed = Keypair.generate().publicKey;
    setFeed(w.rt, co2Feed);
    createMarket(w, 'co2Kg', co2Feed);
    w.rt.processInstructions(buy(w, 15n * USDC), [w.user]); // kWh market: 15 USDE backing
    w.rt.processInstructions(
      unitBuyInstructions({ user: w.user.publicKey, kind: 'co2Kg', feed: co2Feed, usdeAmount: USDC, minUnitsOut: 0n }),
      [w.user],
    );
    expect((await fetchUnitMarket(w.rt, { kind: 'co2Kg' }))?.backing).to.equal(USDC);
    const co2Units = await fetchTokenAmount(
      w.rt,
      getAssociatedTokenAddressSync(
        findUnitMintPda({ kind: 'co2Kg' })[0],
        w.user.publicKey,
        true,
        TOKEN_2022_PROGRAM_ID,
      ),
    );
    // The CO2 price triples: selling every CO2 unit would take ~3 USDE out of a 1 USDE market,
    // though the shared treasury holds 16.
    setFeed(w.rt, co2Feed, { value: 3n * KWH_PRICE, stdDev: (3n * KWH_PRICE) / 1000n });
    const sell = (unitAmount: bigint) =>
      w.rt.tryInstructions(
        unitSellInstructions({ user: w.user.publicKey, kind: 'co2Kg', feed: co2Feed, unitAmount, minUsdeOut: 0n }),
        [w.user],
      );
    expect(parsePaymentsError(sell(co2Units))?.errorName).to.equal('InsufficientMarketBacking');
    expect((await fetchReserve(w.rt)).treasury).to.equal(16n * USDC);
    // A third of them fits the backing.
    expect(sell(co2Units / 3n).err).to.equal(null);
    expect((await fetchUnitMarket(w.rt, { kind: 'kwh' }))?.backing).to.equal(15n * USDC);
  });

  it('mints units only to registry participants and redeems only theirs', async () => {
    const w = funded();
    const outsider = Keypair.generate();
    w.rt.airdrop(outsider.publicKey, 1_000_000_000n);
    // Buying for a non-participant (units that could then only sit there) is refused.
    const forOutsider = unitBuyInstructions({
      user: w.user.publicKey,
      kind: 'kwh',
      feed: w.feed,
      usdeAmount: USDC,
      minUnitsOut: 0n,
      recipient: outsider.publicKey,
    });
    expect(parsePaymentsError(w.rt.tryInstructions(forOutsider, [w.user]))?.errorName).to.equal('NotParticipant');
    // A non-participant buying for itself with its own USDE is refused too.
    mintUsdc(w.rt, { usdcMint: w.usdcMint, owner: outsider.publicKey, amount: USDC });
    w.rt.processInstructions(usdeWrapInstructions({ user: outsider.publicKey, usdcMint: w.usdcMint, amount: USDC }), [
      outsider,
    ]);
    const selfBuy = unitBuyInstructions({
      user: outsider.publicKey,
      kind: 'kwh',
      feed: w.feed,
      usdeAmount: USDC,
      minUnitsOut: 0n,
    });
    expect(parsePaymentsError(w.rt.tryInstructions(selfBuy, [outsider]))?.errorName).to.equal('NotParticipant');
    // Buying for another member works; a non-participant cannot sell.
    const peer = Keypair.generate();
    w.rt.airdrop(peer.publicKey, 1_000_000_000n);
    makeMember(w.reg, peer, 701);
    w.rt.processInstructions(
      unitBuyInstructions({
        user: w.user.publicKey,
        kind: 'kwh',
        feed: w.feed,
        usdeAmount: USDC,
        minUnitsOut: 0n,
        recipient: peer.publicKey,
      }),
      [w.user],
    );
    const peerUnits = getAssociatedTokenAddressSync(
      findUnitMintPda({ kind: 'kwh' })[0],
      peer.publicKey,
      true,
      TOKEN_2022_PROGRAM_ID,
    );
    expect((await fetchTokenAmount(w.rt, peerUnits)) > 0n).to.equal(true);
    // An outsider holding a (necessarily empty) units account is refused before anything moves.
    const kwhMint = findUnitMintPda({ kind: 'kwh' })[0];
    const outsiderUnits = getAssociatedTokenAddressSync(kwhMint, outsider.publicKey, true, TOKEN_2022_PROGRAM_ID);
    const outsiderSell = [
      createAssociatedTokenAccountIdempotentInstruction(
        outsider.publicKey,
        outsiderUnits,
        outsider.publicKey,
        kwhMint,
        TOKEN_2022_PROGRAM_ID,
      ),
      ...unitSellInstructions({ user: outsider.publicKey, kind: 'kwh', feed: w.feed, unitAmount: 1n, minUsdeOut: 0n }),
    ];
    expect(parsePaymentsError(w.rt.tryInstructions(outsiderSell, [outsider]))?.errorName).to.equal('NotParticipant');
  });

  it('rejects stale, future, thin, non-positive and uncertain prices, and slippage', async () => {
    const w = funded();
    const slot = w.rt.getClock().slot;
    const cases: [Parameters<typeof setFeed>[2], PaymentsErrorName][] = [
      [{ numSamples: 2 }, 'NotEnoughSamples'],
      [{ value: 0n, stdDev: 0n }, 'NonPositivePrice'],
      [{ value: -KWH_PRICE, stdDev: 0n }, 'NonPositivePrice'],
      [{ stdDev: KWH_PRICE / 50n }, 'ConfidenceTooWide'],
      [{ slot: slot + 10n }, 'FutureOraclePrice'],
    ];
    for (const [over, name] of cases) {
      setFeed(w.rt, w.feed, over);
      expect(parsePaymentsError(w.rt.tryInstructions(buy(w, USDC), [w.user]))?.errorName, name).to.equal(name);
    }
    setFeed(w.rt, w.feed, { slot });
    w.rt.warpToSlot(slot + 101n);
    expect(parsePaymentsError(w.rt.tryInstructions(buy(w, USDC), [w.user]))?.errorName).to.equal('StaleOraclePrice');
    setFeed(w.rt, w.feed); // fresh at the new slot
    const quote = quoteUnitBuy({ value: KWH_PRICE, stdDev: KWH_PRICE / 1000n, spreadBps: 30, usdeAmount: USDC })!;
    expect(parsePaymentsError(w.rt.tryInstructions(buy(w, USDC, quote + 1n), [w.user]))?.errorName).to.equal(
      'SlippageExceeded',
    );
    w.rt.processInstructions(buy(w, USDC, quote), [w.user]);

    // Another account posing as the feed.
    const impostor = Keypair.generate().publicKey;
    setFeed(w.rt, impostor);
    const ixs = unitBuyInstructions({
      user: w.user.publicKey,
      kind: 'kwh',
      feed: impostor,
      usdeAmount: USDC,
      minUnitsOut: 0n,
    });
    expect(parsePaymentsError(w.rt.tryInstructions(ixs, [w.user]))?.errorName).to.equal('InvalidOracleFeed');
    expect((await fetchReserve(w.rt)).treasury).to.equal(USDC);
  });
});
