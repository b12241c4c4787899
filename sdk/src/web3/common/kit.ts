// The bridge between the generated client (sdk/src/generated, `@solana/kit` types) and the
// web3.js-style public API of this SDK (`PublicKey`, `TransactionInstruction`). Every
// instruction's accounts, flags and argument layout come from the generated builders; this file
// only converts key and instruction types.
import {
  AccountRole,
  address,
  createNoopSigner,
  type Address,
  type Decoder,
  type Instruction,
  type ReadonlyUint8Array,
  type TransactionSigner,
} from '@solana/kit';
import { PublicKey, TransactionInstruction } from '@solana/web3.js';

import { ClientError } from './errors';

/** Minimal account reader: a web3.js `Connection` or the in-process `Runtime` both fit. */
export interface AccountReader {
  getAccountInfo(address: PublicKey): Promise<{ data: Buffer; owner: PublicKey } | null>;
}

/** A web3.js key as a kit `Address` (a non-signing account of a generated builder). */
export const addr = (key: PublicKey): Address => address(key.toBase58());

/**
 * A web3.js key as a kit signer for a generated builder's signer account. It never signs: the
 * returned instruction only marks the account as a signer; the caller signs the transaction.
 */
export const signer = (key: PublicKey): TransactionSigner => createNoopSigner(addr(key));

/** `{ programAddress }` for a generated builder, from an overridable web3.js program id. */
export const programAddress = (programId: PublicKey) => ({ programAddress: addr(programId) });

/** A generated (kit) instruction as a web3.js `TransactionInstruction`. */
export function toLegacyInstruction(ix: Instruction): TransactionInstruction {
  return new TransactionInstruction({
    programId: new PublicKey(ix.programAddress),
    keys: (ix.accounts ?? []).map((meta) => ({
      pubkey: new PublicKey(meta.address),
      isSigner: meta.role === AccountRole.READONLY_SIGNER || meta.role === AccountRole.WRITABLE_SIGNER,
      isWritable: meta.role === AccountRole.WRITABLE || meta.role === AccountRole.WRITABLE_SIGNER,
    })),
    data: Buffer.from(ix.data ?? new Uint8Array()),
  });
}

/** Generated (kit) instructions as the SDK builders' `TransactionInstruction[]`. */
export const toLegacyInstructions = (...ixs: Instruction[]): TransactionInstruction[] => ixs.map(toLegacyInstruction);

/** The address of a `find*Pda` result (`[PublicKey, bump]`) for a generated builder. */
export const pdaAddress = (found: [PublicKey, number]): Address => addr(found[0]);

/** A kit `Address` (as the generated decoders return) as a web3.js `PublicKey`. */
export const pubkey = (a: Address | string): PublicKey => new PublicKey(a);

/** Bytes from a generated decoder, as a plain `Uint8Array`. */
export const bytes = (b: ReadonlyUint8Array | number[]): Uint8Array => Uint8Array.from(b);

type NumericEnum = Record<string, string | number>;

const variantNames = (kitEnum: NumericEnum): string =>
  Object.keys(kitEnum)
    .filter((k) => typeof kitEnum[k] === 'number')
    .map((k) => k.charAt(0).toLowerCase() + k.slice(1))
    .join(', ');

/** `'evCharger'` -> `DeviceType.EvCharger`: the SDK's variant names are the generated enum's, camel-cased. */
export function toKitEnum<E extends NumericEnum>(kitEnum: E, name: string): E[keyof E] {
  const value = kitEnum[name.charAt(0).toUpperCase() + name.slice(1)];
  if (typeof value !== 'number') {
    throw new ClientError('UnknownVariant', `${JSON.stringify(name)} is not one of ${variantNames(kitEnum)}`);
  }
  return value as E[keyof E];
}

/** `DeviceType.EvCharger` -> `'evCharger'`. */
export function fromKitEnum<T extends string>(kitEnum: NumericEnum, value: number): T {
  const name = kitEnum[value];
  if (typeof name !== 'string')
    throw new ClientError('UnknownVariant', `variant ${value} is not one of ${variantNames(kitEnum)}`);
  return (name.charAt(0).toLowerCase() + name.slice(1)) as T;
}

/**
 * Decodes account data with a generated decoder after checking its discriminator; null when the
 * data is of another account type (or too short).
 */
export function decodeAs<T>(decoder: Decoder<T>, discriminator: ReadonlyUint8Array, data: Uint8Array): T | null {
  if (data.length < discriminator.length || discriminator.some((b, i) => data[i] !== b)) return null;
  return decoder.decode(data);
}

/**
 * Reads `address` and decodes it with a generated account decoder after checking that
 * `programId` owns it and the discriminator matches; null when the account does not exist.
 */
export async function fetchWith<T>(
  reader: AccountReader,
  decoder: Decoder<T>,
  address: PublicKey,
  programId: PublicKey,
  discriminator: ReadonlyUint8Array,
): Promise<T | null> {
  const info = await reader.getAccountInfo(address);
  if (!info) return null;
  if (!info.owner.equals(programId)) {
    throw new ClientError(
      'WrongAccountOwner',
      `${address.toBase58()} is owned by ${info.owner.toBase58()}, not ${programId.toBase58()}: check the address and the programId`,
    );
  }
  const decoded = decodeAs(decoder, discriminator, info.data);
  if (!decoded) {
    throw new ClientError('WrongAccountType', `${address.toBase58()} holds another kind of account: check the address`);
  }
  return decoded;
}

/** `PublicKey.findProgramAddressSync` over seed bytes from a generated `*Seeds` builder. */
export const findPda = (seeds: ReadonlyUint8Array[], programId: PublicKey): [PublicKey, number] =>
  PublicKey.findProgramAddressSync(
    seeds.map((s) => Uint8Array.from(s)),
    programId,
  );
