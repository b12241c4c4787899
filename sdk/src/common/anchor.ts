import { BN, BorshCoder, type Idl } from '@coral-xyz/anchor';
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
