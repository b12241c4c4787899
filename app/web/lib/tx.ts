// Transactions: instructions from @openvpp/sdk's generated kit client, a v0 message whose fee
// payer is the service's relayer (owner actions: owners need no SOL) or the utility's own key
// (utility actions), signed by the wallet, sent with POST /v1/relay.
import {
  type Address,
  address,
  AccountRole,
  appendTransactionMessageInstructions,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  getAddressEncoder,
  getBase64Decoder,
  getBase64Encoder,
  getProgramDerivedAddress,
  getTransactionEncoder,
  type Instruction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Blockhash,
} from '@solana/kit';
import { payments, registry, routing } from '@openvpp/sdk';

import { apiGet, apiPost, type RelayInfo, type NetworkInfo } from './api';
import { signTransaction, type Connected } from './wallet';

export const TOKEN_2022 = address('TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb');
export const ATA_PROGRAM = address('ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL');
export const SYSTEM_ADDRESS = '11111111111111111111111111111111';
const SYSTEM = address(SYSTEM_ADDRESS);

export type FeePayer = 'relayer' | 'self';

const b64 = {
  encode: (bytes: Uint8Array): string => getBase64Decoder().decode(bytes),
  decode: (text: string): Uint8Array => new Uint8Array(getBase64Encoder().encode(text)),
};

/**
 * Builds, signs (wallet) and relays one transaction. `relayer`: the service pays the fee (owner
 * actions); `self`: the wallet's key pays (utility actions).
 */
export async function send(conn: Connected, instructions: Instruction[], feePayer: FeePayer): Promise<string> {
  const relay = await apiGet<RelayInfo>('/v1/relay');
  const payer = feePayer === 'relayer' ? address(relay.feePayer) : address(conn.account.address);
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(payer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: relay.blockhash as Blockhash, lastValidBlockHeight: BigInt(relay.lastValidBlockHeight) },
        m,
      ),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const wire = new Uint8Array(getTransactionEncoder().encode(compileTransaction(message)));
  const signed = await signTransaction(conn, wire);
  const { signature } = await apiPost<{ signature: string }>('/v1/relay', { transaction: b64.encode(signed) });
  return signature;
}

export { b64 };

const signer = (a: string) => createNoopSigner(address(a));

/**
 * Who pays the rent deposit of accounts an owner's instruction creates: the service's relayer
 * (owners need no SOL), named only in the instruction's payer slot; the relayer counts it against
 * its spend cap and the owner's daily rent budget.
 */
async function rentPayer() {
  const relay = await apiGet<RelayInfo>('/v1/relay');
  return signer(relay.feePayer);
}

/** The program-derived address of `seeds` under `programAddress` (its canonical bump). */
async function pdaOf(
  programAddress: Address,
  seeds: Parameters<typeof getProgramDerivedAddress>[0]['seeds'],
): Promise<Address> {
  const [pda] = await getProgramDerivedAddress({ programAddress, seeds });
  return pda;
}

export async function ata(owner: string, mint: string, tokenProgram: string = TOKEN_2022): Promise<Address> {
  const enc = getAddressEncoder();
  return pdaOf(ATA_PROGRAM, [enc.encode(address(owner)), enc.encode(address(tokenProgram)), enc.encode(address(mint))]);
}

/** Associated token account, created if missing (CreateIdempotent), paid by `payer`. */
export async function ataIdempotent(payer: string, owner: string, mint: string, tokenProgram: string = TOKEN_2022) {
  const account = await ata(owner, mint, tokenProgram);
  const ix: Instruction = {
    programAddress: ATA_PROGRAM,
    accounts: [
      { address: address(payer), role: AccountRole.WRITABLE_SIGNER },
      { address: account, role: AccountRole.WRITABLE },
      { address: address(owner), role: AccountRole.READONLY },
      { address: address(mint), role: AccountRole.READONLY },
      { address: SYSTEM, role: AccountRole.READONLY },
      { address: address(tokenProgram), role: AccountRole.READONLY },
    ],
    data: new Uint8Array([1]),
  };
  return { account, ix };
}

export async function usdeMint(): Promise<Address> {
  const [mint] = await payments.findUsdeMintPda();
  return mint;
}

// ---- owner actions (fee payer: relayer) ----

/** The consent step: the pending owner accepts the device. */
export async function claimDevice(conn: Connected, device: string, member: string | null): Promise<string> {
  const ix = registry.getDeviceClaimInstruction({
    device: address(device),
    newOwner: signer(conn.account.address),
    member: member ? address(member) : undefined,
  });
  return send(conn, [ix], 'relayer');
}

export async function enroll(conn: Connected, program: string, device: string, vendor: string): Promise<string> {
  const ix = await routing.getEnrollmentRequestInstructionAsync({
    program: address(program),
    device: address(device),
    vendor: address(vendor),
    requester: signer(conn.account.address),
    payer: await rentPayer(),
  });
  return send(conn, [ix], 'relayer');
}

export interface MandateCaps {
  maxPerPeriod: bigint;
  periodSecs: number;
  maxTotal: bigint;
}

async function mandateCreateIx(conn: Connected, device: string, utility: string, caps: MandateCaps) {
  return payments.getMandateCreateInstructionAsync({
    device: address(device),
    owner: signer(conn.account.address),
    utility: address(utility),
    payer: await rentPayer(),
    maxPerPeriod: caps.maxPerPeriod,
    periodSecs: caps.periodSecs,
    maxTotal: caps.maxTotal,
  });
}

export async function mandateCreate(conn: Connected, device: string, utility: string, caps: MandateCaps) {
  return send(conn, [await mandateCreateIx(conn, device, utility, caps)], 'relayer');
}

/** Changing caps = revoke and create again, in one transaction (the mandate's address is fixed). */
export async function mandateChange(
  conn: Connected,
  mandate: string,
  device: string,
  utility: string,
  caps: MandateCaps,
): Promise<string> {
  const revoke = payments.getMandateRevokeInstruction({
    mandate: address(mandate),
    owner: signer(conn.account.address),
  });
  return send(conn, [revoke, await mandateCreateIx(conn, device, utility, caps)], 'relayer');
}

export async function mandateRevoke(conn: Connected, mandate: string): Promise<string> {
  const ix = payments.getMandateRevokeInstruction({ mandate: address(mandate), owner: signer(conn.account.address) });
  return send(conn, [ix], 'relayer');
}

/** USDC → USDE (`wrap`) or back (`unwrap`), creating the owner's USDE / USDC accounts if missing. */
export async function usdeSwap(
  conn: Connected,
  net: NetworkInfo,
  direction: 'wrap' | 'unwrap',
  amount: bigint,
): Promise<string> {
  const owner = conn.account.address;
  if (!net.usdcMint || !net.usdcTokenProgram) throw new Error('Payments are not initialized on this server');
  const usdcMint = net.usdcMint;
  const usdcTokenProgram = net.usdcTokenProgram;
  const mint = await usdeMint();
  const [usdcVault] = await payments.findUsdcVaultPda();
  const payer = (await rentPayer()).address;
  const usde = await ataIdempotent(payer, owner, mint);
  const usdc = await ataIdempotent(payer, owner, usdcMint, usdcTokenProgram);
  const common = {
    user: signer(owner),
    usdcMint: address(usdcMint),
    usdeMint: mint,
    userUsdc: usdc.account,
    userUsde: usde.account,
    usdcVault,
    usdcTokenProgram: address(usdcTokenProgram),
    amount,
  };
  const ixs: Instruction[] =
    direction === 'wrap'
      ? [usde.ix, await payments.getUsdeWrapInstructionAsync(common)]
      : [usdc.ix, await payments.getUsdeUnwrapInstructionAsync(common)];
  return send(conn, ixs, 'relayer');
}

// ---- utility actions (fee payer: the utility's own key) ----

export async function enrollmentDecide(
  conn: Connected,
  utility: string,
  program: string,
  device: string,
  approve: boolean,
): Promise<string> {
  const ix = await routing.getEnrollmentDecideInstructionAsync({
    program: address(program),
    utility: address(utility),
    authority: signer(conn.account.address),
    device: address(device),
    approve,
  });
  return send(conn, [ix], 'self');
}

function revisionPda(tariff: string, revision: number): Promise<Address> {
  return pdaOf(
    payments.OVPP_PAYMENTS_PROGRAM_ADDRESS,
    payments.tariffRevisionSeeds1({ tariff: address(tariff), revision }),
  );
}

export interface IntervalInput {
  startMinute: number;
  importPrice: bigint;
  exportPrice: bigint;
}

/** Publishes revision `current + 1` of a tariff, in force from `effectiveFrom`. */
export async function tariffPublish(
  conn: Connected,
  utility: string,
  tariff: string,
  current: number,
  effectiveFrom: number,
  intervals: IntervalInput[],
  exportCap: { maxCredit: bigint; periodSecs: number },
): Promise<string> {
  const authority = signer(conn.account.address);
  const ix = payments.getTariffUpdateInstruction({
    tariff: address(tariff),
    utility: address(utility),
    authority,
    latest: await revisionPda(tariff, current),
    revision: await revisionPda(tariff, current + 1),
    payer: authority,
    effectiveFrom: BigInt(effectiveFrom),
    intervals,
    exportCap,
  });
  return send(conn, [ix], 'self');
}

export function drEventAddress(utility: string, eventId: number): Promise<Address> {
  return pdaOf(payments.OVPP_PAYMENTS_PROGRAM_ADDRESS, payments.drEventSeeds({ utility: address(utility), eventId }));
}

export interface DrEventInput {
  eventId: number;
  start: number;
  end: number;
  rewardPerKwh: bigint;
  budget: bigint;
}

/** Opens a DR event, its budget escrowed from the utility's own USDE account. */
export async function drEventCreate(conn: Connected, utility: string, e: DrEventInput): Promise<string> {
  const authority = signer(conn.account.address);
  const mint = await usdeMint();
  const ix = await payments.getDrEventCreateInstructionAsync({
    utility: address(utility),
    authority,
    event: await drEventAddress(utility, e.eventId),
    usdeMint: mint,
    funding: await ata(conn.account.address, mint),
    payer: authority,
    eventId: e.eventId,
    start: BigInt(e.start),
    end: BigInt(e.end),
    rewardPerKwh: e.rewardPerKwh,
    budget: e.budget,
  });
  return send(conn, [ix], 'self');
}

/** Pays one device's owner for `flexWh` of flexibility delivered in the event. */
export async function drRewardPay(
  conn: Connected,
  utility: string,
  event: string,
  device: string,
  owner: string,
  flexWh: bigint,
): Promise<string> {
  const authority = signer(conn.account.address);
  const mint = await usdeMint();
  // The owner's USDE account exists once they hold USDE (wrapping or settling creates it); a
  // utility's transaction carries OpenVPP instructions only.
  const ownerUsde = { account: await ata(owner, mint) };
  const ix = await payments.getDrRewardPayInstructionAsync({
    event: address(event),
    authority,
    utility: address(utility),
    device: address(device),
    usdeMint: mint,
    ownerUsde: ownerUsde.account,
    payer: authority,
    flexWh,
  });
  return send(conn, [ix], 'self');
}
