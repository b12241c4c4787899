import { TOKEN_2022_PROGRAM_ID, getAssociatedTokenAddressSync } from '@solana/spl-token';
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
} from '@openvpp/sdk';

import { KWH_PRICE, MARKET, USDC, createKwhMarket, expectReserve, paymentsWorld, setFeed } from '../utils/payments';

describe('payments: unit markets (Switchboard-priced kWh)', () => {
  function funded() {
    const w = paymentsWorld();
    w.rt.processInstructions(
      usdeWrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount: 100n * USDC }),
      [w.user],
    );
    createKwhMarket(w);
    return w;
  }
  const buy = (w: ReturnType<typeof funded>, usdeAmount: bigint, minUnitsOut = 0n) =>
    unitBuyInstructions({ user: w.user.publicKey, kind: 'kwh', feed: w.feed, usdeAmount, minUnitsOut });

  it('buys and sells at exactly the SDK quote, moving USDE without minting it', async () => {
    const w = funded();
    const market = await fetchUnitMarket(w.rt, { kind: 'kwh' });
    expect(market).to.include({ kind: 'kwh', spreadBps: 30, minSamples: 3 });
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
    expect(await expectReserve(w.rt)).to.equal(100n * USDC);

    const usde = quoteUnitSell({ ...oracle, unitAmount: units })!;
    expect(usde < 15n * USDC).to.equal(true);
    w.rt.processInstructions(
      unitSellInstructions({ user: w.user.publicKey, kind: 'kwh', feed: w.feed, unitAmount: units, minUsdeOut: usde }),
      [w.user],
    );
    expect(await fetchTokenAmount(w.rt, userUnits)).to.equal(0n);
    expect((await fetchReserve(w.rt)).treasury).to.equal(15n * USDC - usde);
    expect(await expectReserve(w.rt)).to.equal(100n * USDC);
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
