// Issue 8, generically (see instructions.test.ts): for every event type, Anchor's `EventParser`
// and the SDK's parsers agree on real transaction logs.
import { createTransferCheckedInstruction } from '@solana/spl-token';
import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import {
  EXPORT_WITHDRAW_NOTICE_SECS,
  attestationRevokeInstructions,
  endpointAttestInstructions,
  endpointAttestationRevokeInstructions,
  configAuthoritySetInstructions,
  deviceCapabilitiesUpdateInstructions,
  deviceClaimInstructions,
  deviceOwnerTransferInstructions,
  deviceStatusSetInstructions,
  deviceTransferCancelInstructions,
  drEventCloseInstructions,
  enrollmentRevokeInstructions,
  findUsdcVaultPda,
  mandateRevokeInstructions,
  memberStatusSetInstructions,
  meterExportClaimInstructions,
  meterGapInstructions,
  findMeterPda,
  decodeMeter,
  nameReleaseInstructions,
  parsePaymentsEvents,
  parseRegistryEvents,
  parseRoutingEvents,
  partnerCaRemoveInstructions,
  partnerStatusSetInstructions,
  paymentsPauseSetInstructions,
  routeRevokeInstructions,
  tariffExportFundInstructions,
  tariffExportWithdrawInstructions,
  tariffExportWithdrawRequestInstructions,
  tariffUpdateInstructions,
  unitSellInstructions,
  usdeSurplusSweepInstructions,
  usdeUnwrapInstructions,
  utilityProgramStatusSetInstructions,
} from '@openvpp/sdk/web3';
import { mintUsdc } from '@openvpp/testing';

import { type Any, EventParser, programs } from '../../utils/anchor';
import { CA_FINGERPRINT, Runtime, fakeFingerprint, send } from '../../utils/harness';
import { EXPORT_CAP, INTERVALS, MIDNIGHT, USDC, reading } from '../../utils/payments';
import { type Rich, capsV2, key, norm, richWorld } from './world';

describe('sdk: Anchor parses every event as the SDK does', () => {
  it("parses every event type as the SDK's parsers do, in real transaction logs", async () => {
    // Every committed transaction of this test is read: the world's set-up, then the steps below.
    const logs: string[][] = [];
    const sendTransaction = Runtime.prototype.sendTransaction;
    Runtime.prototype.sendTransaction = function (this: Runtime, tx: Parameters<Runtime['sendTransaction']>[0]) {
      const outcome = sendTransaction.call(this, tx);
      if (!outcome.err) logs.push(outcome.logs);
      return outcome;
    };
    let w: Rich;
    try {
      w = richWorld();
      eventSteps(w);
    } finally {
      Runtime.prototype.sendTransaction = sendTransaction;
    }

    const p = programs(w.rt);
    const parsers: [Any, (l: string[]) => { name: string; data: unknown }[]][] = [
      [p.registry, parseRegistryEvents],
      [p.routing, parseRoutingEvents],
      [p.payments, parsePaymentsEvents],
    ];
    const events = (list: { name: string; data: unknown }[]) =>
      list.map((e) => ({ name: key(e.name), data: norm(e.data) }));
    const seen = new Set<string>();
    let compared = 0;
    for (const [i, txLogs] of logs.entries()) {
      for (const [program, parse] of parsers) {
        const fromAnchor = events([...new EventParser(program.programId, program.coder).parseLogs(txLogs)]);
        const fromSdk = events(parse(txLogs));
        expect(fromAnchor, `transaction ${i}: ${program.idl.metadata.name} events`).to.deep.equal(fromSdk);
        compared += fromSdk.length;
        for (const e of parse(txLogs)) seen.add(e.name);
      }
    }
    const all = parsers.flatMap(([program]) => ((program.rawIdl.events ?? []) as Any[]).map((e) => e.name as string));
    console.log(
      `      ${compared} events in ${logs.length} transactions parsed alike; ${seen.size} of ${all.length} event types`,
    );
    expect([...seen].sort()).to.deep.equal(all.sort());
  });
});

/** Steps that emit every event type the world's set-up does not. */
function eventSteps(w: Rich) {
  const { rt } = w;
  const owner = w.owner.publicKey;
  const utility = w.utility.publicKey;
  const vendor = w.vendor.publicKey;
  const admin = w.admin.publicKey;
  const deviceKey = w.deviceKey.publicKey;
  // registry
  send(rt, deviceCapabilitiesUpdateInstructions({ vendorAuthority: vendor, deviceKey, capabilities: capsV2 }), [
    w.vendor,
  ]);
  send(rt, nameReleaseInstructions({ name: w.name, target: w.device, authority: owner }), [w.owner]);
  send(rt, attestationRevokeInstructions({ authority: admin, subject: w.device, kind: 'openAdr3Conformance' }), [
    w.admin,
  ]);
  const retired = 'https://vtn.gridco.example/retired';
  send(
    rt,
    endpointAttestInstructions({
      authority: admin,
      payer: w.payer,
      endpoint: retired,
      kind: 'openAdr3Conformance',
      spkiSha256: fakeFingerprint(44),
      evidenceHash: fakeFingerprint(45),
      expiresAt: 4_000_000_000n,
    }),
    [w.admin],
  );
  send(rt, endpointAttestationRevokeInstructions({ authority: admin, endpoint: retired }), [w.admin]);
  for (const status of ['suspended', 'active'] as const) {
    send(rt, memberStatusSetInstructions({ authority: admin, wallet: owner, device: w.device, status }), [w.admin]);
  }
  for (const status of ['suspended', 'active'] as const) {
    send(
      rt,
      deviceStatusSetInstructions({ authority: vendor, vendor: w.vendorPda, deviceKey, status, member: w.member }),
      [w.vendor],
    );
  }
  // payments: an export the empty escrow cannot pay, then the refill and the claim
  send(rt, w.settle(reading(1n, 1n, 1_000n, 2_000n)));
  send(rt, tariffExportFundInstructions({ tariff: w.tariff, funder: utility, amount: 100_000n }), [w.utility]);
  send(rt, meterExportClaimInstructions({ device: w.device, owner, tariff: w.tariff }));
  // the device voids the two readings after its last settled one
  const meterPda = findMeterPda({ device: w.device })[0];
  const meter = decodeMeter(meterPda, rt.getAccount(meterPda)!.data);
  send(
    rt,
    meterGapInstructions({
      device: w.device,
      deviceKey,
      fromSeq: meter.lastSeq + 1n,
      toSeq: meter.lastSeq + 3n,
      deviceSecretKey: w.deviceKey.secretKey,
    }),
  );
  send(
    rt,
    tariffUpdateInstructions({
      tariff: w.tariff,
      authority: utility,
      latestRevision: 1,
      payer: w.payer,
      effectiveFrom: MIDNIGHT + 2n * 86_400n,
      intervals: INTERVALS,
      exportCap: EXPORT_CAP,
    }),
    [w.utility],
  );
  // the utility takes unused escrow back after the notice
  send(rt, tariffExportFundInstructions({ tariff: w.tariff, funder: utility, amount: 50_000n }), [w.utility]);
  send(rt, tariffExportWithdrawRequestInstructions({ tariff: w.tariff, authority: utility, amount: 50_000n }), [
    w.utility,
  ]);
  rt.setUnixTimestamp(BigInt(rt.getClock().unixTimestamp) + BigInt(EXPORT_WITHDRAW_NOTICE_SECS));
  send(rt, tariffExportWithdrawInstructions({ tariff: w.tariff, authority: utility }), [w.utility]);
  send(rt, unitSellInstructions({ user: owner, kind: 'kwh', feed: w.feed, unitAmount: 1_000n, minUsdeOut: 1n }), [
    w.owner,
  ]);
  send(rt, usdeUnwrapInstructions({ user: owner, usdcMint: w.usdcMint, amount: USDC }), [w.owner]);
  send(rt, [createTransferCheckedInstruction(w.userUsdc, w.usdcMint, findUsdcVaultPda()[0], owner, 1n, 6)], [w.owner]);
  mintUsdc(rt, { usdcMint: w.usdcMint, owner: w.authority.publicKey, amount: 0n });
  send(rt, usdeSurplusSweepInstructions({ authority: w.authority.publicKey, usdcMint: w.usdcMint }), [w.authority]);
  for (const paused of [true, false]) {
    send(rt, paymentsPauseSetInstructions({ authority: w.authority.publicKey, paused }), [w.authority]);
  }
  send(rt, drEventCloseInstructions({ event: w.event, authority: utility }), [w.utility]);
  send(rt, mandateRevokeInstructions({ device: w.device, owner }), [w.owner]);
  // routing
  send(rt, routeRevokeInstructions({ program: w.program, authority: utility, device: w.device }), [w.utility]);
  send(rt, enrollmentRevokeInstructions({ program: w.program, device: w.device, authority: utility }), [w.utility]);
  send(rt, utilityProgramStatusSetInstructions({ program: w.program, authority: utility, open: false }), [w.utility]);
  // registry: a transfer proposed and cancelled, then proposed and claimed
  const buyer = Keypair.generate();
  send(rt, deviceOwnerTransferInstructions({ deviceKey, owner, newOwner: buyer.publicKey }), [w.owner]);
  send(rt, deviceTransferCancelInstructions({ deviceKey, owner }), [w.owner]);
  send(rt, deviceOwnerTransferInstructions({ deviceKey, owner, newOwner: buyer.publicKey }), [w.owner]);
  send(rt, deviceClaimInstructions({ deviceKey, newOwner: buyer.publicKey, member: w.member }), [buyer]);
  send(rt, partnerCaRemoveInstructions({ authority: vendor, partner: w.vendorPda, fingerprint: CA_FINGERPRINT }), [
    w.vendor,
  ]);
  send(rt, partnerStatusSetInstructions({ authority: admin, partner: w.vendorPda, status: 'suspended' }), [w.admin]);
  const newAdmin = Keypair.generate();
  send(rt, configAuthoritySetInstructions({ authority: admin, newAuthority: newAdmin.publicKey }), [w.admin, newAdmin]);
}
