// The official Anchor client (@coral-xyz/anchor 0.31, `Program` over the committed IDLs) over
// the in-process runtime, and the world the Anchor-compatibility tests build their inputs from.
import * as anchorNs from '@coral-xyz/anchor';
import { PublicKey, TransactionInstruction } from '@solana/web3.js';
import { expect } from 'chai';

import hookIdl from '../../sdk/idl/ovpp_hook.json';
import paymentsIdl from '../../sdk/idl/ovpp_payments.json';
import registryIdl from '../../sdk/idl/ovpp_registry.json';
import routingIdl from '../../sdk/idl/ovpp_routing.json';
import {
  enrollmentDecideInstructions,
  enrollmentRequestInstructions,
  findPartnerPda,
  findUtilityProgramPda,
  routeSetInstructions,
  endpointAttestInstructions,
  utilityProgramCreateInstructions,
} from '@openvpp/sdk/web3';

import { type Runtime, fakeFingerprint, send } from './harness';
import { createKwhMarket, settlementWorld } from './payments';

export const anchor = ((anchorNs as unknown as { default?: typeof anchorNs }).default ?? anchorNs) as typeof anchorNs;
export const { AnchorProvider, BN, EventParser, Program } = anchor;
export type Idl = anchorNs.Idl;
export const HOOK_IDL = hookIdl as unknown as Idl;
export const PAYMENTS_IDL = paymentsIdl as unknown as Idl;
export const REGISTRY_IDL = registryIdl as unknown as Idl;
export const ROUTING_IDL = routingIdl as unknown as Idl;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

/** A read-only `Connection` over the embedded runtime: all Anchor's resolver (and spl-token's) needs. */
export function connectionOf(rt: Runtime) {
  const get = (k: PublicKey) => rt.getAccountInfo(k);
  return {
    getAccountInfo: get,
    getAccountInfoAndContext: async (k: PublicKey) => ({ context: { slot: 0 }, value: await get(k) }),
    getMultipleAccountsInfo: (ks: PublicKey[]) => Promise.all(ks.map(get)),
    getMultipleAccountsInfoAndContext: async (ks: PublicKey[]) => ({
      context: { slot: 0 },
      value: await Promise.all(ks.map(get)),
    }),
  };
}

/** `new Program(idl, provider)` for the four programs, the provider's wallet being the runtime payer. */
export function programs(rt: Runtime) {
  const wallet = {
    publicKey: rt.payer.publicKey,
    signTransaction: async <T>(t: T) => t,
    signAllTransactions: async <T>(t: T[]) => t,
  };
  const provider = new AnchorProvider(connectionOf(rt) as Any, wallet as Any, {});
  return {
    registry: new Program(REGISTRY_IDL as Idl, provider) as Any,
    routing: new Program(ROUTING_IDL as Idl, provider) as Any,
    payments: new Program(PAYMENTS_IDL as Idl, provider) as Any,
    hook: new Program(HOOK_IDL, provider) as Any,
  };
}

export const metas = (ix: TransactionInstruction) =>
  ix.keys.map((k) => `${k.pubkey.toBase58()} ${k.isSigner ? 's' : '-'}${k.isWritable ? 'w' : '-'}`);

/** Byte-identical: program id, account metas (with flags) and data. */
export function expectSame(what: string, sdk: TransactionInstruction, fromAnchor: TransactionInstruction) {
  expect(fromAnchor.programId.toBase58(), `${what}: program id`).to.equal(sdk.programId.toBase58());
  expect(metas(fromAnchor), `${what}: accounts`).to.deep.equal(metas(sdk));
  expect(Buffer.from(fromAnchor.data).toString('hex'), `${what}: data`).to.equal(Buffer.from(sdk.data).toString('hex'));
}

/** The one instruction of `ixs` addressed to `programId` (the SDK may prepend ATA creation or ed25519). */
export const only = (ixs: TransactionInstruction[], programId: PublicKey) => {
  const mine = ixs.filter((i) => i.programId.equals(programId));
  expect(mine).to.have.length(1);
  return mine[0];
};

/**
 * One world with every account kind: registry (config, utility, vendor, a metered device owned
 * by a funded user, with a mandate for the utility), payments (config, tariff with revision 1,
 * the device's binding, meter, kWh market), routing (a tariff program and a demand-response
 * program, approved enrollments in both, and a route).
 */
export function fullWorld() {
  const s = settlementWorld();
  const { rt, reg } = s;
  const payer = rt.payer.publicKey;
  createKwhMarket(s);
  const vendorPda = findPartnerPda({ authority: reg.vendor.publicKey })[0];
  const program = findUtilityProgramPda({ utility: s.utilityPda, utilityProgramId: 7 })[0];
  send(
    rt,
    utilityProgramCreateInstructions({
      utility: s.utilityPda,
      authority: s.utility.publicKey,
      payer,
      utilityProgramId: 7,
      kind: 'demandResponse',
      name: 'Summer DR',
    }),
    [s.utility],
  );
  send(
    rt,
    enrollmentRequestInstructions({
      program,
      device: s.device,
      vendor: vendorPda,
      requester: s.owner.publicKey,
      payer,
    }),
    [s.owner],
  );
  send(rt, enrollmentDecideInstructions({ program, authority: s.utility.publicKey, device: s.device, approve: true }), [
    s.utility,
  ]);
  const route = {
    program,
    authority: s.utility.publicKey,
    device: s.device,
    payer,
    protocol: 'openAdr3Vtn' as const,
    endpoint: 'https://vtn.gridco.example/openadr3',
    certPins: [fakeFingerprint(5)],
    expiresAt: 4_000_000_000n,
  };
  // The integration service attested the VTN with the route's pin (what route_set requires).
  send(
    rt,
    endpointAttestInstructions({
      authority: s.reg.admin.publicKey,
      payer,
      endpoint: route.endpoint,
      kind: 'openAdr3Conformance',
      spkiSha256: route.certPins[0],
      evidenceHash: fakeFingerprint(6),
      expiresAt: 4_000_000_000n,
    }),
    [s.reg.admin],
  );
  const routeOutcome = send(rt, routeSetInstructions(route), [s.utility]);
  // `program` is the demand-response program below; the device's tariff binding was opened from
  // its enrollment in the utility's tariff program (`tariffProgram`).
  return { ...s, payer, vendorPda, tariffProgram: s.program, program, route, routeOutcome };
}

export type FullWorld = ReturnType<typeof fullWorld>;
