import * as anchorNs from '@coral-xyz/anchor';
import type { Idl } from '@coral-xyz/anchor';

// @coral-xyz/anchor ships CommonJS only. Node's ESM loader exposes its module.exports as the
// namespace's `default` (named exports are not detected), while the CJS build's interop
// returns module.exports itself: take whichever holds the classes.
const anchor = ((anchorNs as unknown as { default?: typeof anchorNs }).default ?? anchorNs) as typeof anchorNs;
export const BN: typeof anchorNs.BN = anchor.BN;
export const BorshCoder: typeof anchorNs.BorshCoder = anchor.BorshCoder;
export type BN = InstanceType<typeof anchorNs.BN>;
export type BorshCoder = InstanceType<typeof anchorNs.BorshCoder>;
export type { Idl };
import { AccountMeta, PublicKey, TransactionInstruction } from '@solana/web3.js';

/**
 * Builds an instruction from the program's IDL: discriminator and Borsh args from the coder,
 * account order and writable/signer flags from the IDL itself, so builders cannot drift from
 * the program.
 */
export function buildInstruction(
  idl: Idl,
  coder: BorshCoder,
  programId: PublicKey,
  name: string,
  accounts: Record<string, PublicKey>,
  args: Record<string, unknown>,
): TransactionInstruction {
  const ix = idl.instructions.find((i) => i.name === name);
  if (!ix) throw new Error(`unknown instruction ${name}`);
  const keys: AccountMeta[] = ix.accounts.map((a) => {
    if (!('name' in a) || 'accounts' in a) throw new Error(`nested accounts unsupported in ${name}`);
    const pubkey = accounts[a.name];
    if (!pubkey) throw new Error(`${name}: missing account ${a.name}`);
    return { pubkey, isWritable: !!a.writable, isSigner: !!a.signer };
  });
  return new TransactionInstruction({ programId, keys, data: coder.instruction.encode(name, args) });
}

/** bigint -> BN for the Borsh coder (u64/i64 fields). */
export const bn = (v: bigint | number): BN => new BN(v.toString());

/** BN (or number) -> bigint for public types. */
export const big = (v: { toString(): string } | number): bigint => BigInt(v.toString());

/** `{ Active: {} }` / `{ active: {} }` -> `"active"`. */
export function enumName<T extends string>(value: Record<string, unknown>): T {
  const key = Object.keys(value)[0];
  return (key.charAt(0).toLowerCase() + key.slice(1)) as T;
}

/** `"active"` -> `{ Active: {} }`: the coder matches variant names as written in the IDL. */
export function enumValue(name: string): Record<string, Record<string, never>> {
  return { [name.charAt(0).toUpperCase() + name.slice(1)]: {} };
}

/** Minimal account reader: a web3.js `Connection` or the in-process `Runtime` both fit. */
export interface AccountReader {
  getAccountInfo(address: PublicKey): Promise<{ data: Buffer; owner: PublicKey } | null>;
}

/**
 * Reads `address` and decodes it as account type `name` (discriminator-checked by the coder)
 * after checking it is owned by `programId`; null when the account does not exist.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function fetchDecoded(
  reader: AccountReader,
  coder: BorshCoder,
  name: string,
  address: PublicKey,
  programId: PublicKey,
): Promise<Record<string, any> | null> {
  const info = await reader.getAccountInfo(address);
  if (!info) return null;
  if (!info.owner.equals(programId)) {
    throw new Error(`${address.toBase58()} is not owned by ${programId.toBase58()}`);
  }
  return coder.accounts.decode(name, info.data);
}

/** An event decoded from a `Program data:` log line (fields as the IDL names them). */
export interface ProgramEvent {
  name: string;
  data: Record<string, unknown>;
}

/** Decodes one program's events from transaction logs (`Program data:` lines) with its IDL's coder. */
export function parseProgramEvents(coder: BorshCoder, logs: string[]): ProgramEvent[] {
  const events: ProgramEvent[] = [];
  for (const line of logs) {
    if (!line.startsWith('Program data: ')) continue;
    const decoded = coder.events.decode(line.slice('Program data: '.length).split(' ')[0]);
    if (decoded) events.push({ name: decoded.name, data: decoded.data as Record<string, unknown> });
  }
  return events;
}
