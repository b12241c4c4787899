// Device-signed meter readings and sequence gaps: the messages, signatures and ed25519 checks.

import { Ed25519Program, PublicKey, TransactionInstruction } from '@solana/web3.js';
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { addr, pdaAddress as pda, programAddress, toLegacyInstructions as legacy } from '../common/kit';
import * as gen from '../../generated/payments';
import { GAP_DOMAIN, PAYMENTS_PROGRAM_ID, READING_DOMAIN } from './constants';
import { findMeterPda } from './pdas';
import type { MeterReading } from './types';
import { ClientError } from '../common/errors';
import { type ProgramOpt } from './options';

const le64 = (v: bigint, signed = false) => {
  const b = Buffer.alloc(8);
  if (signed) b.writeBigInt64LE(v);
  else b.writeBigUInt64LE(v);
  return b;
};

const le32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};

/**
 * What every reading of `deviceKey` against `tariff` is bound to (mirrors
 * `signature::reading_context`): `sha256(READING_DOMAIN ‖ program id ‖ device key ‖ tariff)`.
 */
export function readingContext({
  deviceKey,
  tariff,
  programId = PAYMENTS_PROGRAM_ID,
}: { deviceKey: PublicKey; tariff: PublicKey } & ProgramOpt): Buffer {
  return Buffer.from(
    sha256(Buffer.concat([READING_DOMAIN, programId.toBuffer(), deviceKey.toBuffer(), tariff.toBuffer()])),
  );
}

/** The exact 68 bytes a device signs for a reading (mirrors `signature::reading_message`). */
export function readingMessage({
  deviceKey,
  tariff,
  reading,
  programId = PAYMENTS_PROGRAM_ID,
}: { deviceKey: PublicKey; tariff: PublicKey; reading: MeterReading } & ProgramOpt): Buffer {
  return Buffer.concat([
    readingContext({ deviceKey, tariff, programId }),
    le32(reading.revision),
    le64(reading.seq),
    le64(reading.intervalStart, true),
    le64(reading.importWh),
    le64(reading.exportWh),
  ]);
}

/** The device's signature over a reading message (64 bytes), from its 64-byte secret key. */
export function signReading(message: Uint8Array, deviceSecretKey: Uint8Array): Uint8Array {
  return ed25519.sign(message, deviceSecretKey.subarray(0, 32));
}

/**
 * One ed25519 precompile instruction carrying a signature by `publicKey` per message, all
 * data inline and the public key stored once (what `meter_settle_batch` reads).
 */
export function ed25519VerifyInstruction({
  publicKey,
  messages,
  signatures,
}: {
  publicKey: PublicKey;
  messages: Uint8Array[];
  signatures: Uint8Array[];
}): TransactionInstruction {
  if (messages.length === 0 || messages.length !== signatures.length || messages.length > 255) {
    throw new ClientError('InvalidReading', 'ed25519VerifyInstruction: one signature per message, 1..255');
  }
  const header = 2 + 14 * messages.length;
  const size = header + 32 + messages.reduce((n, m) => n + 64 + m.length, 0);
  const data = Buffer.alloc(size);
  data[0] = messages.length;
  publicKey.toBuffer().copy(data, header);
  let at = header + 32;
  messages.forEach((message, i) => {
    const sigOff = at;
    Buffer.from(signatures[i]).copy(data, at);
    at += 64;
    const msgOff = at;
    Buffer.from(message).copy(data, at);
    at += message.length;
    const o = 2 + 14 * i;
    [sigOff, 0xffff, header, 0xffff, msgOff, message.length, 0xffff].forEach((v, j) =>
      data.writeUInt16LE(v, o + 2 * j),
    );
  });
  return new TransactionInstruction({ programId: Ed25519Program.programId, keys: [], data });
}

/**
 * The exact 48 bytes a device signs to declare its readings `fromSeq..toSeq` void (mirrors
 * `signature::gap_message`): `sha256(GAP_DOMAIN ‖ program id ‖ device key) ‖ fromSeq ‖ toSeq`.
 */
export function gapMessage({
  deviceKey,
  fromSeq,
  toSeq,
  programId = PAYMENTS_PROGRAM_ID,
}: { deviceKey: PublicKey; fromSeq: bigint; toSeq: bigint } & ProgramOpt): Buffer {
  return Buffer.concat([
    Buffer.from(sha256(Buffer.concat([GAP_DOMAIN, programId.toBuffer(), deviceKey.toBuffer()]))),
    le64(fromSeq),
    le64(toSeq),
  ]);
}

/**
 * The device declares readings it signed (`fromSeq..toSeq`, `fromSeq` right after the meter's
 * last reading) void because they can no longer settle (lost, or past their revision's
 * settlement window), so `toSeq` settles next: the ed25519 precompile carrying the device's
 * signature (from `deviceSecretKey`, or a ready `signature`) and `meter_gap`. Anyone relays it;
 * only the device can sign it.
 */
export function meterGapInstructions({
  device,
  deviceKey,
  fromSeq,
  toSeq,
  deviceSecretKey,
  signature,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  device: PublicKey;
  deviceKey: PublicKey;
  fromSeq: bigint;
  toSeq: bigint;
  deviceSecretKey?: Uint8Array;
  signature?: Uint8Array;
} & ProgramOpt): TransactionInstruction[] {
  if (toSeq <= fromSeq) throw new ClientError('InvalidReading', 'meterGapInstructions: toSeq must exceed fromSeq');
  const message = gapMessage({ deviceKey, fromSeq, toSeq, programId });
  const sig = signature ?? (deviceSecretKey && signReading(message, deviceSecretKey));
  if (!sig) throw new ClientError('InvalidReading', 'meterGapInstructions: give deviceSecretKey or signature');
  return [
    ed25519VerifyInstruction({ publicKey: deviceKey, messages: [message], signatures: [sig] }),
    ...legacy(
      gen.getMeterGapInstruction(
        {
          device: addr(device),
          meter: pda(findMeterPda({ device, programId })),
          fromSeq,
          toSeq,
        },
        programAddress(programId),
      ),
    ),
  ];
}
