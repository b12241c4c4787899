// The JSON view of SDK records the API answers.
import { PublicKey } from '@solana/web3.js';

/** JSON-safe view: PublicKeys as base58, bigints as strings, bytes as hex. */
export function toJson(value: unknown): unknown {
  if (value instanceof PublicKey) return value.toBase58();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}
