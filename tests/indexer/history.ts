// The indexer suites' chain history: the settlement world of @openvpp/testing built on a local
// node's runtime (so every step is a real transaction the node serves over JSON-RPC), with
// settled readings (imports, exports paid from the escrow and a shortfall owed), an export
// claim, a DR event with a reward paid, and a USDE unwrap.
import type { Runtime } from '@openvpp/runtime';
import {
  drEventCreateInstructions,
  drRewardPayInstructions,
  findDrEventPda,
  meterExportClaimInstructions,
  usdeUnwrapInstructions,
} from '@openvpp/sdk/web3';
import { MIDNIGHT, USDC, WORLD_CA, reading, registryWorld, settlementWorld } from '@openvpp/testing';

export type History = ReturnType<typeof settlementWorld> & {
  /**
   * Settles the next reading (seq after the last) of hour `hour` from the tariff's start, on
   * `runtime` (default: the one the history was built on; another after a node restart).
   */
  settleNext(hour: bigint, importWh: bigint, exportWh?: bigint, runtime?: Runtime): void;
};

export function settledHistory(rt: Runtime): History {
  const s = settlementWorld(registryWorld(rt, WORLD_CA), { escrow: 150_000n });
  let seq = 0n;
  const settleNext = (hour: bigint, importWh: bigint, exportWh = 0n, runtime: Runtime = rt) => {
    runtime.processInstructions(s.settle(reading(++seq, hour, importWh, exportWh)));
  };
  // Off-peak: 1 kWh in, 2 kWh out (export paid in full); 2 kWh out (half owed); peak import.
  settleNext(1n, 1_000n, 2_000n);
  settleNext(2n, 0n, 2_000n);
  settleNext(17n, 1_500n);
  // The utility refills the escrow; the owner's debt is claimed.
  s.fundUtility(20n * USDC);
  s.fundEscrow(30_000n);
  rt.processInstructions(
    meterExportClaimInstructions({ device: s.device, owner: s.owner.publicKey, tariff: s.tariff }),
  );
  // A DR event with one participant.
  const now = MIDNIGHT + 86_400n;
  rt.processInstructions(
    drEventCreateInstructions({
      utility: s.utilityPda,
      authority: s.utility.publicKey,
      payer: rt.payer.publicKey,
      eventId: 7,
      start: now - 7_200n,
      end: now - 3_600n,
      rewardPerKwh: 400_000n,
      budget: 10n * USDC,
    }),
    [s.utility],
  );
  const event = findDrEventPda({ utility: s.utilityPda, eventId: 7 })[0];
  rt.processInstructions(
    drRewardPayInstructions({
      event,
      authority: s.utility.publicKey,
      device: s.device,
      owner: s.owner.publicKey,
      payer: rt.payer.publicKey,
      flexWh: 2_500n,
    }),
    [s.utility],
  );
  rt.processInstructions(usdeUnwrapInstructions({ user: s.owner.publicKey, usdcMint: s.usdcMint, amount: 1n * USDC }), [
    s.owner,
  ]);
  settleNext(18n, 500n, 1_000n);
  return { ...s, settleNext };
}
