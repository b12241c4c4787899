import { expect } from 'chai';

import {
  exportCredit,
  exportOwedTo,
  fetchMeter,
  fetchTariffBinding,
  fetchTariff,
  fetchTokenAmount,
  findExportVaultPda,
  meterExportClaimInstructions,
  parsePaymentsError,
  parsePaymentsEvents,
} from '@openvpp/sdk/web3';

import { USDC, reading, settlementWorld } from '../utils/payments';

const errorName = (outcome: unknown) => parsePaymentsError(outcome)?.errorName;

describe('payments: exports paid from the tariff escrow, with on-chain debt', () => {
  it('pays exports from the escrow, records the shortfall and pays it after a refill', async () => {
    const s = settlementWorld({ escrow: 150_000n });
    const vault = findExportVaultPda({ tariff: s.tariff })[0];
    expect((await fetchTariff(s.rt, { address: s.tariff }))?.exportVault.equals(vault)).to.equal(true);
    expect(await fetchTokenAmount(s.rt, vault)).to.equal(150_000n);
    const owner = () => fetchTokenAmount(s.rt, s.ownerUsde);
    const settled = (logs: string[]) => {
      const e = parsePaymentsEvents(logs).find((x) => x.name === 'ReadingSettled')!.data;
      return [e.export_credit, e.export_paid, e.export_owed].map(String);
    };

    // 2 kWh exported off-peak at 0.05: 0.1 USDE credit, paid in full; 1 kWh imported at 0.10.
    expect(exportCredit(2_000n, 50_000n)).to.equal(100_000n);
    let out = s.rt.processInstructions(s.settle(reading(1n, 1n, 1_000n, 2_000n)));
    expect(settled(out.logs)).to.deep.equal(['100000', '100000', '0']);
    expect(await owner()).to.equal(100n * USDC);

    // Again 0.1 USDE, but only 0.05 left in escrow: 0.05 paid, 0.05 owed on the binding.
    out = s.rt.processInstructions(s.settle(reading(2n, 2n, 0n, 2_000n)));
    expect(settled(out.logs)).to.deep.equal(['100000', '50000', '50000']);
    const meter = (await fetchMeter(s.rt, { device: s.device }))!;
    expect(meter).to.include({ totalExportCredit: 200_000n, totalExportPaid: 150_000n });
    let binding = (await fetchTariffBinding(s.rt, { tariff: s.tariff, device: s.device }))!;
    expect(binding).to.include({ owedTotal: 50_000n, totalExportCredit: 200_000n, totalExportPaid: 150_000n });
    const debts = binding.debts.filter((d) => d.owed > 0n);
    expect(debts.length).to.equal(1);
    expect(debts[0].owner.equals(s.owner.publicKey)).to.equal(true);
    expect(debts[0]).to.include({ epoch: 1, owed: 50_000n });
    expect(exportOwedTo(binding, s.owner.publicKey)).to.equal(50_000n);
    expect(await fetchTokenAmount(s.rt, vault)).to.equal(0n);

    // Nothing to pay it from yet.
    const claim = () =>
      s.rt.tryInstructions(
        meterExportClaimInstructions({ device: s.device, owner: s.owner.publicKey, tariff: s.tariff }),
      );
    expect(errorName(claim())).to.equal('InsufficientTreasury');

    // The utility refills part of it; anyone cranks the claim; the owner is paid what there is.
    s.fundUtility(200_000n);
    s.fundEscrow(30_000n);
    expect(claim().err).to.equal(null);
    expect((await fetchTariffBinding(s.rt, { tariff: s.tariff, device: s.device }))?.owedTotal).to.equal(20_000n);
    expect(await owner()).to.equal(100n * USDC + 80_000n);

    // The next settlement pays the older debt first, then the new credit (1 kWh at peak 0.08).
    s.fundEscrow(100_000n);
    out = s.rt.processInstructions(s.settle(reading(3n, 18n, 0n, 1_000n)));
    expect(settled(out.logs)).to.deep.equal(['80000', '100000', '0']);
    binding = (await fetchTariffBinding(s.rt, { tariff: s.tariff, device: s.device }))!;
    expect(binding).to.include({ owedTotal: 0n, totalExportCredit: 280_000n, totalExportPaid: 280_000n });
    expect(binding.debts.every((d) => d.owed === 0n)).to.equal(true);
    expect(await owner()).to.equal(100n * USDC + 180_000n);
    expect(errorName(claim())).to.equal('NothingOwed');
  });
});
