// Shared by the anchor-every-instruction tests (instructions, accounts, events): the
// normalisation the comparisons share, the world they read, and the instruction table's row type.
import { TOKEN_2022_PROGRAM_ID, createAssociatedTokenAccountIdempotentInstruction } from '@solana/spl-token';
import { Keypair, PublicKey, TransactionInstruction } from '@solana/web3.js';

import {
  attestationIssueInstructions,
  drEventCreateInstructions,
  drRewardPayInstructions,
  findDrEventPda,
  findMemberPda,
  findToken2022Ata,
  findUnitMintPda,
  memberRegisterInstructions,
  nameRegisterInstructions,
  unitBuyInstructions,
} from '@openvpp/sdk/web3';

import { activateCompressed, compressedFleet, registerCompressed } from '@openvpp/testing';

import { BN, fullWorld } from '../../utils/anchor';
import { CAPS, CA_FINGERPRINT, fakeFingerprint, send } from '../../utils/harness';
import { MIDNIGHT, USDC } from '../../utils/payments';

// ---------------------------------------------------------------------------------------------
// Normalisation shared by the three comparisons.

/** `nameHash` / `name_hash` / `NameHash` -> `namehash`. */
export const key = (k: string) => k.toLowerCase().replace(/_/g, '');
const isBytes = (v: unknown): v is ArrayLike<number> =>
  v instanceof Uint8Array ||
  (Array.isArray(v) &&
    v.length > 0 &&
    v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 256));

/**
 * A comparable form: BN/bigint/number -> decimal string, PublicKey/Address -> base58, byte
 * arrays -> hex, Anchor enums `{ variant: {} }` -> `'variant'`, object keys snake/camel-blind.
 */
export function norm(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (typeof v === 'bigint' || typeof v === 'number') return v.toString();
  if (BN.isBN(v)) return (v as InstanceType<typeof BN>).toString();
  if (v instanceof PublicKey) return v.toBase58();
  if (isBytes(v)) return Buffer.from(Uint8Array.from(v as ArrayLike<number>)).toString('hex');
  if (Array.isArray(v)) return v.map(norm);
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    // An Anchor enum value: one variant name mapping to an empty object (unit variant).
    if (
      entries.length === 1 &&
      entries[0][1] &&
      typeof entries[0][1] === 'object' &&
      Object.keys(entries[0][1] as object).length === 0
    ) {
      return entries[0][0].charAt(0).toLowerCase() + entries[0][0].slice(1);
    }
    return Object.fromEntries(entries.map(([k, x]) => [key(k), norm(x)]));
  }
  return v;
}

/** A struct value (not a BN, key, array or byte array). */
export const plainObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

// ---------------------------------------------------------------------------------------------
// The world every comparison reads: fullWorld() plus a member, a name, an attestation, a
// demand-response event with one reward paid, the owner's kWh, the utility's USDE, and compressed
// devices (a protocol tree with the LFDI chain's head, a vendor tree; devices provisioned in
// both, one activated).

export function richWorld() {
  const w = fullWorld();
  const { rt, payer } = w;
  const admin = w.reg.admin;
  const vendor = w.reg.vendor;
  w.fundUtility(20n * USDC);
  send(rt, memberRegisterInstructions({ deviceKey: w.deviceKey.publicKey, owner: w.owner.publicKey, payer }), [
    w.owner,
  ]);
  const name = 'meter-1';
  send(rt, nameRegisterInstructions({ target: w.device, authority: w.owner.publicKey, payer, name }), [w.owner]);
  const evidenceHash = fakeFingerprint(41);
  send(
    rt,
    attestationIssueInstructions({
      authority: admin.publicKey,
      subject: w.device,
      payer,
      kind: 'openAdr3Conformance',
      evidenceHash,
      expiresAt: 4_000_000_000n,
    }),
    [admin],
  );
  const now = MIDNIGHT + 86_400n;
  send(
    rt,
    drEventCreateInstructions({
      utility: w.utilityPda,
      authority: w.utility.publicKey,
      payer,
      eventId: 7,
      start: now - 7_200n,
      end: now - 3_600n,
      rewardPerKwh: 400_000n,
      budget: 10n * USDC,
    }),
    [w.utility],
  );
  const event = findDrEventPda({ utility: w.utilityPda, eventId: 7 })[0];
  send(
    rt,
    drRewardPayInstructions({
      event,
      authority: w.utility.publicKey,
      device: w.device,
      owner: w.owner.publicKey,
      payer,
      flexWh: 2_500n,
    }),
    [w.utility],
  );
  // The owner (a member now) buys kWh; the utility (a partner) gets a kWh account.
  send(
    rt,
    unitBuyInstructions({ user: w.owner.publicKey, kind: 'kwh', feed: w.feed, usdeAmount: 3n * USDC, minUnitsOut: 1n }),
    [w.owner],
  );
  const unitMint = findUnitMintPda({ kind: 'kwh' })[0];
  send(rt, [
    createAssociatedTokenAccountIdempotentInstruction(
      payer,
      findToken2022Ata({ mint: unitMint, owner: w.utility.publicKey }),
      w.utility.publicKey,
      unitMint,
      TOKEN_2022_PROGRAM_ID,
    ),
  ]);
  // Compressed devices: 2 provisioned in the vendor's tree (one activated), 1 in the protocol tree.
  const fleet = compressedFleet({ rt, admin, vendor, ca: CA_FINGERPRINT });
  const compressedOwner = Keypair.generate();
  const [active, provisioned] = registerCompressed(fleet, { count: 2, seed: 500, owner: compressedOwner.publicKey });
  const [inProtocolTree] = registerCompressed(fleet, {
    count: 1,
    seed: 510,
    owner: compressedOwner.publicKey,
    merkleTree: fleet.protocolTree,
  });
  activateCompressed(fleet, active);
  return {
    ...w,
    admin,
    vendor,
    fleet,
    compressedOwner,
    compressed: {
      active: fleet.mirror.leaf(fleet.vendorTree, active.index)!,
      provisioned,
      inProtocolTree,
    },
    name,
    evidenceHash,
    event,
    unitMint,
    member: findMemberPda({ wallet: w.owner.publicKey })[0],
  };
}

export type Rich = ReturnType<typeof richWorld>;

// ---------------------------------------------------------------------------------------------
// Instructions.

export interface Entry {
  /** The SDK call (and variant) this row makes. */
  label: string;
  /**
   * The SDK's instructions, and the builder's inputs: every decoded instruction argument with
   * the same (snake/camel-blind) name, here or one object level down, must hold the same value.
   */
  run: (w: Rich) => { ixs: TransactionInstruction[]; input?: object };
}

/** A row calling `builder` with `params(w)`, whose inputs are checked against the decoded arguments. */
export function row<P extends object>(
  label: string,
  params: (w: Rich) => P,
  builder: (p: P) => TransactionInstruction[],
): Entry {
  return {
    label,
    run: (w) => {
      const input = params(w);
      return { ixs: builder(input), input };
    },
  };
}

/** The capabilities a device is updated to (instruction table and event steps). */
export const capsV2 = { ...CAPS, maxImportW: 12_000, energyCapacityWh: 20_000n };
