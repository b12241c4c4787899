// Account encodings as a validator returns them (base58, base64, jsonParsed for SPL Token and
// Token-2022 accounts and mints), `dataSlice`, `getProgramAccounts` filters, and token balances.
import bs58 from 'bs58';

import { RpcError, RpcCode, invalidParams } from './rpc-error';

export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
export const isTokenProgram = (owner: string) => owner === TOKEN_PROGRAM || owner === TOKEN_2022_PROGRAM;

/** An account as the node stores it. */
export interface AccountState {
  lamports: bigint;
  data: Buffer;
  owner: string;
  executable: boolean;
  rentEpoch: bigint;
}

export type Encoding = 'binary' | 'base58' | 'base64' | 'base64+zstd' | 'jsonParsed';
export interface DataSlice {
  offset: number;
  length: number;
}

const ENCODINGS = new Set(['base58', 'base64', 'base64+zstd', 'jsonParsed', 'binary']);

export function parseEncoding(value: unknown, fallback: Encoding): Encoding {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !ENCODINGS.has(value)) {
    throw invalidParams(
      `Invalid params: unknown variant \`${String(value)}\`, expected one of \`binary\`, \`base58\`, \`base64\`, \`jsonParsed\`, \`base64+zstd\`.`,
    );
  }
  if (value === 'base64+zstd') {
    throw invalidParams('Invalid params: base64+zstd encoding is not supported by this node; use base64');
  }
  return value as Encoding;
}

export function parseDataSlice(value: unknown): DataSlice | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value as { offset?: unknown; length?: unknown };
  if (typeof v !== 'object' || !Number.isSafeInteger(v.offset) || !Number.isSafeInteger(v.length)) {
    throw invalidParams('Invalid params: dataSlice needs integer offset and length');
  }
  if ((v.offset as number) < 0 || (v.length as number) < 0) throw invalidParams('Invalid params: negative dataSlice');
  return { offset: v.offset as number, length: v.length as number };
}

const u64 = (b: Buffer, at: number) => b.readBigUInt64LE(at);
const key = (b: Buffer, at: number) => bs58.encode(b.subarray(at, at + 32));
const coption = (b: Buffer, at: number) => (b.readUInt32LE(at) === 1 ? key(b, at + 4) : null);

/** Token-program account kind from its data (Token-2022 extensions carry the type at byte 165). */
export function tokenKind(a: AccountState): 'account' | 'mint' | null {
  if (!isTokenProgram(a.owner)) return null;
  const n = a.data.length;
  if (n === 165) return 'account';
  if (n === 82) return 'mint';
  if (a.owner === TOKEN_2022_PROGRAM && n > 165) {
    if (a.data[165] === 2) return 'account';
    if (a.data[165] === 1) return 'mint';
  }
  return null;
}

export interface UiTokenAmount {
  amount: string;
  decimals: number;
  uiAmount: number | null;
  uiAmountString: string;
}

export function uiTokenAmount(amount: bigint, decimals: number): UiTokenAmount {
  const s = amount.toString().padStart(decimals + 1, '0');
  const whole = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, '');
  const uiAmountString = frac ? `${whole}.${frac}` : whole;
  return { amount: amount.toString(), decimals, uiAmount: Number(uiAmountString), uiAmountString };
}

export interface TokenAccountFields {
  mint: string;
  owner: string;
  amount: bigint;
  delegate: string | null;
  state: number;
  isNative: bigint | null;
  delegatedAmount: bigint;
  closeAuthority: string | null;
}

export function decodeTokenAccount(d: Buffer): TokenAccountFields {
  return {
    mint: key(d, 0),
    owner: key(d, 32),
    amount: u64(d, 64),
    delegate: coption(d, 72),
    state: d[108],
    isNative: d.readUInt32LE(109) === 1 ? u64(d, 113) : null,
    delegatedAmount: u64(d, 121),
    closeAuthority: coption(d, 129),
  };
}

export function decodeMint(d: Buffer) {
  return {
    mintAuthority: coption(d, 0),
    supply: u64(d, 36),
    decimals: d[44],
    isInitialized: d[45] === 1,
    freezeAuthority: coption(d, 46),
  };
}

const STATES = ['uninitialized', 'initialized', 'frozen'];

/** The `jsonParsed` form of an SPL Token / Token-2022 account or mint (extensions not parsed). */
function parseToken(a: AccountState, mintDecimals: (mint: string) => number | null) {
  const kind = tokenKind(a);
  if (!kind) return null;
  const program = a.owner === TOKEN_PROGRAM ? 'spl-token' : 'spl-token-2022';
  if (kind === 'mint') {
    const m = decodeMint(a.data);
    return {
      program,
      parsed: {
        type: 'mint',
        info: {
          mintAuthority: m.mintAuthority,
          supply: m.supply.toString(),
          decimals: m.decimals,
          isInitialized: m.isInitialized,
          freezeAuthority: m.freezeAuthority,
        },
      },
      space: a.data.length,
    };
  }
  const t = decodeTokenAccount(a.data);
  const decimals = mintDecimals(t.mint);
  if (decimals === null) return null;
  const info: Record<string, unknown> = {
    isNative: t.isNative !== null,
    mint: t.mint,
    owner: t.owner,
    state: STATES[t.state] ?? 'uninitialized',
    tokenAmount: uiTokenAmount(t.amount, decimals),
  };
  if (t.delegate) {
    info.delegate = t.delegate;
    info.delegatedAmount = uiTokenAmount(t.delegatedAmount, decimals);
  }
  if (t.isNative !== null) info.rentExemptReserve = uiTokenAmount(t.isNative, 9);
  if (t.closeAuthority) info.closeAuthority = t.closeAuthority;
  return { program, parsed: { type: 'account', info }, space: a.data.length };
}

/** An account in the RPC's `UiAccount` form. */
export function encodeAccount(
  a: AccountState,
  encoding: Encoding,
  slice: DataSlice | undefined,
  mintDecimals: (mint: string) => number | null,
) {
  let data: unknown;
  const sliced = slice ? a.data.subarray(slice.offset, slice.offset + slice.length) : a.data;
  if (encoding === 'jsonParsed' && !slice) {
    data = parseToken(a, mintDecimals) ?? [a.data.toString('base64'), 'base64'];
  } else if (encoding === 'base58' || encoding === 'binary') {
    if (sliced.length > 128) {
      throw new RpcError(
        RpcCode.InvalidRequest,
        'Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.',
      );
    }
    data = encoding === 'binary' ? bs58.encode(sliced) : [bs58.encode(sliced), 'base58'];
  } else {
    data = [sliced.toString('base64'), 'base64'];
  }
  return {
    data,
    executable: a.executable,
    lamports: a.lamports,
    owner: a.owner,
    rentEpoch: a.rentEpoch,
    space: a.data.length,
  };
}

export type AccountFilter = { kind: 'size'; size: number } | { kind: 'memcmp'; offset: number; bytes: Buffer };

/** `getProgramAccounts` filters (`memcmp` base58/base64, `dataSize`; at most 4 as on a validator). */
export function parseFilters(value: unknown): AccountFilter[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidParams('Invalid params: filters must be an array');
  if (value.length > 4) throw invalidParams(`Too many filters provided; max 4`);
  return value.map((f: unknown) => {
    const o = f as { dataSize?: unknown; memcmp?: { offset?: unknown; bytes?: unknown; encoding?: unknown } };
    if (o && typeof o === 'object' && 'dataSize' in o) {
      if (!Number.isSafeInteger(o.dataSize) || (o.dataSize as number) < 0)
        throw invalidParams('Invalid param: dataSize');
      return { kind: 'size', size: o.dataSize as number };
    }
    if (o && typeof o === 'object' && o.memcmp && typeof o.memcmp === 'object') {
      const { offset, bytes, encoding } = o.memcmp;
      if (!Number.isSafeInteger(offset) || (offset as number) < 0 || typeof bytes !== 'string') {
        throw invalidParams('Invalid params: memcmp needs offset and bytes');
      }
      let raw: Buffer;
      try {
        raw = encoding === 'base64' ? Buffer.from(bytes, 'base64') : Buffer.from(bs58.decode(bytes));
      } catch {
        throw invalidParams('Invalid param: could not decode memcmp bytes');
      }
      if (raw.length > 128) throw invalidParams('Invalid param: memcmp bytes too long (max 128)');
      return { kind: 'memcmp', offset: offset as number, bytes: raw };
    }
    throw invalidParams('Invalid params: unknown filter');
  });
}

export function matches(a: AccountState, filters: AccountFilter[]) {
  for (const f of filters) {
    if (f.kind === 'size' && a.data.length !== f.size) return false;
    if (f.kind === 'memcmp') {
      if (f.offset + f.bytes.length > a.data.length) return false;
      if (!a.data.subarray(f.offset, f.offset + f.bytes.length).equals(f.bytes)) return false;
    }
  }
  return true;
}
