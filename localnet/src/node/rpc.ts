// Solana JSON-RPC methods over a LocalnetNode, with the result shapes, encodings and error
// codes of an Agave validator (rpc/src/rpc.rs). Every commitment level is served from the
// same state: a transaction is reported only once its ledger record is fsynced, and nothing
// is rolled back, so processed = confirmed = finalized here.
import { VersionedMessage, VersionedTransaction } from '@solana/web3.js';
import bs58 from 'bs58';

import {
  encodeAccount,
  isTokenProgram,
  matches,
  parseDataSlice,
  parseEncoding,
  parseFilters,
  tokenKind,
  decodeTokenAccount,
  decodeMint,
  uiTokenAmount,
  type AccountState,
  type Encoding,
} from './accounts';
import { cheatcodes } from './cheatcodes';
import { LocalnetNode, simulationResult, type StoredTx } from './node';
import { RpcCode, RpcError, invalidParams } from './rpc-error';

export const SOLANA_CORE_VERSION = '2.3.0';
const FEATURE_SET = 3294202862;
const COMMITMENTS = new Set(['processed', 'confirmed', 'finalized', 'recent', 'single', 'singleGossip', 'root', 'max']);

type Params = unknown[];
type Handler = (node: LocalnetNode, params: Params) => unknown | Promise<unknown>;

function config(params: Params, at: number): Record<string, unknown> {
  const c = params[at];
  if (c === undefined || c === null) return {};
  if (typeof c !== 'object' || Array.isArray(c)) throw invalidParams('Invalid params: config must be an object');
  const commitment = (c as { commitment?: unknown }).commitment;
  if (commitment !== undefined && (typeof commitment !== 'string' || !COMMITMENTS.has(commitment))) {
    throw invalidParams(
      `Invalid params: unknown variant \`${String(commitment)}\`, expected one of \`processed\`, \`confirmed\`, \`finalized\`.`,
    );
  }
  return c as Record<string, unknown>;
}

function pubkey(v: unknown): string {
  if (typeof v !== 'string') throw invalidParams('Invalid params: expected a base-58 public key string');
  let bytes: Uint8Array;
  try {
    bytes = bs58.decode(v);
  } catch {
    throw invalidParams('Invalid param: Invalid');
  }
  if (bytes.length !== 32) throw invalidParams('Invalid param: WrongSize');
  return v;
}

function signatureParam(v: unknown): string {
  if (typeof v !== 'string') throw invalidParams('Invalid params: expected a base-58 signature string');
  let bytes: Uint8Array;
  try {
    bytes = bs58.decode(v);
  } catch {
    throw invalidParams('Invalid param: Invalid');
  }
  if (bytes.length !== 64) throw invalidParams('Invalid param: WrongSize');
  return v;
}

function u64Param(v: unknown, name: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'bigint' && v >= 0n) return v;
  throw invalidParams(`Invalid params: ${name} must be a non-negative integer`);
}

function context(node: LocalnetNode, c: Record<string, unknown>) {
  const min = c.minContextSlot;
  if (min !== undefined && min !== null) {
    if (typeof min !== 'number' || !Number.isSafeInteger(min)) throw invalidParams('Invalid params: minContextSlot');
    if (min > node.slot) {
      throw new RpcError(RpcCode.MinContextSlotNotReached, 'Minimum context slot has not been reached', {
        contextSlot: node.slot,
      });
    }
  }
  return { slot: node.slot, apiVersion: SOLANA_CORE_VERSION };
}

const withContext = (node: LocalnetNode, c: Record<string, unknown>, value: unknown) => ({
  context: context(node, c),
  value,
});

function accountParams(c: Record<string, unknown>, fallback: Encoding) {
  return { encoding: parseEncoding(c.encoding, fallback), slice: parseDataSlice(c.dataSlice) };
}

function decodeWire(v: unknown, encoding: unknown): Buffer {
  if (typeof v !== 'string') throw invalidParams('Invalid params: expected an encoded transaction string');
  const enc = encoding ?? 'base58';
  if (enc !== 'base58' && enc !== 'base64') {
    throw invalidParams(`Invalid params: unsupported encoding: ${String(enc)}. Supported encodings: base58, base64`);
  }
  const max = enc === 'base58' ? 1683 : 1644;
  if (v.length > max) {
    throw invalidParams(
      `${enc} encoded solana_transaction::versioned::VersionedTransaction too large: ${v.length} bytes (max: encoded/raw ${max}/1232)`,
    );
  }
  try {
    if (enc === 'base58') return Buffer.from(bs58.decode(v));
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new Error('invalid base64');
    return Buffer.from(v, 'base64');
  } catch (e) {
    throw invalidParams(`invalid ${enc} encoding: ${(e as Error).message}`);
  }
}

function status(tx: StoredTx) {
  return {
    slot: tx.slot,
    confirmations: null,
    err: tx.err,
    status: tx.err === null ? { Ok: null } : { Err: tx.err },
    confirmationStatus: 'finalized',
  };
}

function encodeTransaction(tx: StoredTx, encoding: string) {
  const bytes = Buffer.from(tx.tx!, 'base64');
  if (encoding === 'base64') return [tx.tx, 'base64'];
  if (encoding === 'base58') return [bs58.encode(bytes), 'base58'];
  const v = VersionedTransaction.deserialize(bytes);
  const m = v.message;
  const signatures = v.signatures.map((s) => bs58.encode(s));
  const lookups =
    tx.version === 0
      ? {
          addressTableLookups: m.addressTableLookups.map((l) => ({
            accountKey: l.accountKey.toBase58(),
            writableIndexes: l.writableIndexes,
            readonlyIndexes: l.readonlyIndexes,
          })),
        }
      : {};
  if (encoding === 'jsonParsed') {
    const nStatic = m.staticAccountKeys.length;
    return {
      signatures,
      message: {
        accountKeys: tx.accountKeys.map((pubkey, i) => ({
          pubkey,
          writable: tx.writable[i],
          signer: i < tx.signers,
          source: i < nStatic ? 'transaction' : 'lookupTable',
        })),
        recentBlockhash: m.recentBlockhash,
        instructions: m.compiledInstructions.map((ix) => ({
          programId: tx.accountKeys[ix.programIdIndex],
          accounts: ix.accountKeyIndexes.map((i) => tx.accountKeys[i]),
          data: bs58.encode(ix.data),
          stackHeight: null,
        })),
        ...lookups,
      },
    };
  }
  return {
    signatures,
    message: {
      accountKeys: m.staticAccountKeys.map((k) => k.toBase58()),
      header: m.header,
      recentBlockhash: m.recentBlockhash,
      instructions: m.compiledInstructions.map((ix) => ({
        programIdIndex: ix.programIdIndex,
        accounts: ix.accountKeyIndexes,
        data: bs58.encode(ix.data),
        stackHeight: null,
      })),
      ...lookups,
    },
  };
}

function meta(tx: StoredTx) {
  return {
    err: tx.err,
    status: tx.err === null ? { Ok: null } : { Err: tx.err },
    fee: tx.fee,
    preBalances: tx.preBalances,
    postBalances: tx.postBalances,
    innerInstructions: [],
    logMessages: tx.logs,
    preTokenBalances: tx.preTokenBalances,
    postTokenBalances: tx.postTokenBalances,
    rewards: [],
    loadedAddresses: tx.loadedAddresses,
    ...(tx.returnData ? { returnData: tx.returnData } : {}),
    computeUnitsConsumed: tx.computeUnitsConsumed,
  };
}

function tokenAccountsBy(
  node: LocalnetNode,
  params: Params,
  field: 'owner' | 'delegate',
): { pubkey: string; account: unknown }[] {
  const who = pubkey(params[0]);
  const filter = params[1] as { mint?: unknown; programId?: unknown } | undefined;
  if (!filter || typeof filter !== 'object' || (filter.mint === undefined) === (filter.programId === undefined)) {
    throw invalidParams('Invalid params: expected { mint } or { programId }');
  }
  const mint = filter.mint !== undefined ? pubkey(filter.mint) : null;
  const program = filter.programId !== undefined ? pubkey(filter.programId) : null;
  if (program && !isTokenProgram(program)) throw invalidParams('Invalid param: unrecognized Token program id');
  const c = config(params, 2);
  const { encoding, slice } = accountParams(c, 'binary');
  const out: { pubkey: string; account: unknown }[] = [];
  for (const address of node.knownAddresses()) {
    const a = node.getAccount(address);
    if (!a || tokenKind(a) !== 'account') continue;
    if (program && a.owner !== program) continue;
    const t = decodeTokenAccount(a.data);
    if ((field === 'owner' ? t.owner : t.delegate) !== who) continue;
    if (mint && t.mint !== mint) continue;
    out.push({ pubkey: address, account: encodeAccount(a, encoding, slice, node.mintDecimals) });
  }
  return out;
}

function tokenAccount(node: LocalnetNode, address: string) {
  const a = node.getAccount(address);
  if (!a || tokenKind(a) !== 'account') throw invalidParams('Invalid param: not a Token account');
  return a;
}

function programAccounts(node: LocalnetNode, program: string, accept: (a: AccountState) => boolean) {
  const out: [string, AccountState][] = [];
  for (const address of node.knownAddresses()) {
    const a = node.getAccount(address);
    if (a && a.owner === program && accept(a)) out.push([address, a]);
  }
  return out;
}

export const methods: Record<string, Handler> = {
  getAccountInfo(node, p) {
    const address = pubkey(p[0]);
    const c = config(p, 1);
    const { encoding, slice } = accountParams(c, 'binary');
    const a = node.getAccount(address);
    return withContext(node, c, a ? encodeAccount(a, encoding, slice, node.mintDecimals) : null);
  },
  getMultipleAccounts(node, p) {
    if (!Array.isArray(p[0])) throw invalidParams('Invalid params: expected an array of public keys');
    if (p[0].length > 100) throw invalidParams('Too many inputs provided; max 100');
    const keys = p[0].map(pubkey);
    const c = config(p, 1);
    const { encoding, slice } = accountParams(c, 'base64');
    return withContext(
      node,
      c,
      keys.map((k) => {
        const a = node.getAccount(k);
        return a ? encodeAccount(a, encoding, slice, node.mintDecimals) : null;
      }),
    );
  },
  getProgramAccounts(node, p) {
    const program = pubkey(p[0]);
    const c = config(p, 1);
    const { encoding, slice } = accountParams(c, 'binary');
    const filters = parseFilters(c.filters);
    const value = programAccounts(node, program, (a) => matches(a, filters)).map(([k, a]) => ({
      pubkey: k,
      account: encodeAccount(a, encoding, slice, node.mintDecimals),
    }));
    return c.withContext ? withContext(node, c, value) : (context(node, c), value);
  },
  getBalance(node, p) {
    const address = pubkey(p[0]);
    const c = config(p, 1);
    return withContext(node, c, node.getAccount(address)?.lamports ?? 0n);
  },
  getLatestBlockhash(node, p) {
    const c = config(p, 0);
    return withContext(node, c, node.latestBlockhash());
  },
  isBlockhashValid(node, p) {
    if (typeof p[0] !== 'string') throw invalidParams('Invalid params: expected a blockhash string');
    let len = 0;
    try {
      len = bs58.decode(p[0]).length;
    } catch {
      throw invalidParams('Invalid param: Invalid');
    }
    if (len !== 32) throw invalidParams('Invalid param: WrongSize');
    const c = config(p, 1);
    return withContext(node, c, node.isBlockhashValid(p[0]));
  },
  getFeeForMessage(node, p) {
    if (typeof p[0] !== 'string') throw invalidParams('Invalid params: expected a base64 message');
    const c = config(p, 1);
    let message: VersionedMessage;
    try {
      message = VersionedMessage.deserialize(Buffer.from(p[0], 'base64'));
    } catch (e) {
      throw invalidParams(`invalid message: ${(e as Error).message}`);
    }
    const fake = new VersionedTransaction(message);
    const known =
      node.latestBlockhash().blockhash === message.recentBlockhash || node.isBlockhashValid(message.recentBlockhash);
    return withContext(node, c, known ? node.fee(fake) : null);
  },
  getMinimumBalanceForRentExemption(node, p) {
    const len = p[0];
    if (typeof len !== 'number' || !Number.isSafeInteger(len) || len < 0) {
      throw invalidParams('Invalid params: expected a data length');
    }
    if (len > 10 * 1024 * 1024) throw invalidParams('Invalid params: data length exceeds 10 MiB');
    config(p, 1);
    return node.minimumBalanceForRentExemption(len);
  },
  getSlot(node, p) {
    context(node, config(p, 0));
    return node.slot;
  },
  getBlockHeight(node, p) {
    context(node, config(p, 0));
    return node.slot;
  },
  getTransactionCount(node, p) {
    context(node, config(p, 0));
    return node.transactionCount;
  },
  getEpochInfo(node, p) {
    context(node, config(p, 0));
    const e = node.epochOf(node.slot);
    return {
      absoluteSlot: node.slot,
      blockHeight: node.slot,
      epoch: e.epoch,
      slotIndex: e.slotIndex,
      slotsInEpoch: e.slotsInEpoch,
      transactionCount: node.transactionCount,
    };
  },
  getEpochSchedule(node) {
    const s = node.epochSchedule;
    return {
      firstNormalEpoch: s.firstNormalEpoch,
      firstNormalSlot: s.firstNormalSlot,
      leaderScheduleSlotOffset: s.slotsPerEpoch,
      slotsPerEpoch: s.slotsPerEpoch,
      warmup: s.warmup,
    };
  },
  getVersion() {
    return { 'solana-core': SOLANA_CORE_VERSION, 'feature-set': FEATURE_SET };
  },
  getHealth() {
    return 'ok';
  },
  getGenesisHash(node) {
    return node.genesisHash;
  },
  getIdentity(node) {
    return { identity: node.identity };
  },
  getSlotLeader(node) {
    return node.identity;
  },
  getFirstAvailableBlock() {
    return 0;
  },
  minimumLedgerSlot() {
    return 0;
  },
  async requestAirdrop(node, p) {
    const address = pubkey(p[0]);
    const lamports = u64Param(p[1], 'lamports');
    config(p, 2);
    if (lamports > 1_000_000n * 1_000_000_000n)
      throw invalidParams('Invalid params: airdrop of more than 1,000,000 SOL');
    return node.requestAirdrop(address, lamports);
  },
  async sendTransaction(node, p) {
    const c = config(p, 1);
    const bytes = decodeWire(p[0], c.encoding);
    context(node, c);
    if (c.preflightCommitment !== undefined && !COMMITMENTS.has(String(c.preflightCommitment))) {
      throw invalidParams('Invalid params: unknown preflightCommitment');
    }
    return node.sendTransaction(bytes, { skipPreflight: c.skipPreflight === true });
  },
  simulateTransaction(node, p) {
    const c = config(p, 1);
    const bytes = decodeWire(p[0], c.encoding);
    if (c.sigVerify && c.replaceRecentBlockhash) {
      throw invalidParams('Invalid params: sigVerify may not be used with replaceRecentBlockhash');
    }
    let tx = node.decode(bytes);
    if (c.sigVerify && !node.verifySignatures(tx)) {
      throw new RpcError(RpcCode.TransactionSignatureVerificationFailure, 'Transaction signature verification failure');
    }
    let replacementBlockhash = null;
    if (c.replaceRecentBlockhash) {
      replacementBlockhash = node.latestBlockhash();
      tx = new VersionedTransaction(tx.message, tx.signatures);
      tx.message.recentBlockhash = replacementBlockhash.blockhash;
    }
    let accounts: unknown[] | null = null;
    const want = c.accounts as { addresses?: unknown; encoding?: unknown } | undefined;
    if (want !== undefined) {
      if (!want || !Array.isArray(want.addresses)) throw invalidParams('Invalid params: accounts.addresses');
      const addrs = want.addresses.map(pubkey);
      const encoding = parseEncoding(want.encoding, 'base64');
      if (encoding === 'binary' || encoding === 'base58') {
        throw invalidParams('Invalid params: base58 encoding not supported for returned accounts');
      }
      accounts = addrs;
    }
    const ctx = context(node, c);
    const sim = node.simulate(tx);
    // Returned accounts: the runtime's simulation does not expose post-simulation state, so
    // these are the accounts as of the simulated slot.
    const encodedAccounts =
      accounts &&
      (accounts as string[]).map((k) => {
        const a = node.getAccount(k);
        return a ? encodeAccount(a, parseEncoding(want!.encoding, 'base64'), undefined, node.mintDecimals) : null;
      });
    return {
      context: ctx,
      value: { ...simulationResult(sim), accounts: encodedAccounts, replacementBlockhash },
    };
  },
  getSignatureStatuses(node, p) {
    if (!Array.isArray(p[0])) throw invalidParams('Invalid params: expected an array of signatures');
    if (p[0].length > 256) throw invalidParams('Too many inputs provided; max 256');
    const sigs = p[0].map(signatureParam);
    const c = config(p, 1);
    return withContext(
      node,
      c,
      sigs.map((s) => {
        const tx = node.status(s);
        return tx ? status(tx) : null;
      }),
    );
  },
  getTransaction(node, p) {
    const sig = signatureParam(p[0]);
    const c = typeof p[1] === 'string' ? { encoding: p[1] } : config(p, 1);
    if (c.commitment === 'processed') throw invalidParams('Method does not support commitment below `confirmed`');
    const encoding = (c.encoding as string | undefined) ?? 'json';
    if (!['json', 'jsonParsed', 'base64', 'base58', 'binary'].includes(encoding)) {
      throw invalidParams(`Invalid params: unknown variant \`${encoding}\``);
    }
    const tx = node.status(sig);
    if (!tx || tx.tx === null) return null;
    const max = c.maxSupportedTransactionVersion;
    if (max !== undefined && max !== null && max !== 0)
      throw invalidParams('Invalid params: unsupported transaction version');
    if (tx.version === 0 && (max === undefined || max === null)) {
      throw new RpcError(
        RpcCode.UnsupportedTransactionVersion,
        'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
      );
    }
    return {
      slot: tx.slot,
      blockTime: tx.blockTime,
      transaction: encodeTransaction(tx, encoding === 'binary' ? 'base58' : encoding),
      meta: meta(tx),
      ...(max === undefined || max === null ? {} : { version: tx.version }),
    };
  },
  getSignaturesForAddress(node, p) {
    const address = pubkey(p[0]);
    const c = config(p, 1);
    const limit = c.limit ?? 1000;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw invalidParams('Invalid limit; max 1000');
    }
    const before = c.before !== undefined ? signatureParam(c.before) : null;
    const until = c.until !== undefined ? signatureParam(c.until) : null;
    context(node, c);
    let list = node.signaturesFor(address);
    if (before) {
      const i = list.findIndex((t) => t.signature === before);
      list = i >= 0 ? list.slice(i + 1) : [];
    }
    if (until) {
      const i = list.findIndex((t) => t.signature === until);
      if (i >= 0) list = list.slice(0, i);
    }
    return list.slice(0, limit).map((t) => ({
      signature: t.signature,
      slot: t.slot,
      err: t.err,
      memo: null,
      blockTime: t.blockTime,
      confirmationStatus: 'finalized',
    }));
  },
  getTokenAccountBalance(node, p) {
    const address = pubkey(p[0]);
    const c = config(p, 1);
    const t = decodeTokenAccount(tokenAccount(node, address).data);
    const decimals = node.mintDecimals(t.mint);
    if (decimals === null) throw invalidParams('Invalid param: could not find mint');
    return withContext(node, c, uiTokenAmount(t.amount, decimals));
  },
  getTokenSupply(node, p) {
    const address = pubkey(p[0]);
    const c = config(p, 1);
    const a = node.getAccount(address);
    if (!a || tokenKind(a) !== 'mint') throw invalidParams('Invalid param: not a Token mint');
    const m = decodeMint(a.data);
    return withContext(node, c, uiTokenAmount(m.supply, m.decimals));
  },
  getTokenLargestAccounts(node, p) {
    const mint = pubkey(p[0]);
    const c = config(p, 1);
    const decimals = node.mintDecimals(mint);
    if (decimals === null) throw invalidParams('Invalid param: not a Token mint');
    const holders: { address: string; amount: bigint }[] = [];
    for (const address of node.knownAddresses()) {
      const a = node.getAccount(address);
      if (!a || tokenKind(a) !== 'account') continue;
      const t = decodeTokenAccount(a.data);
      if (t.mint === mint) holders.push({ address, amount: t.amount });
    }
    holders.sort((x, y) => (y.amount > x.amount ? 1 : y.amount < x.amount ? -1 : 0));
    return withContext(
      node,
      c,
      holders.slice(0, 20).map((h) => ({ address: h.address, ...uiTokenAmount(h.amount, decimals) })),
    );
  },
  getTokenAccountsByOwner(node, p) {
    return withContext(node, config(p, 2), tokenAccountsBy(node, p, 'owner'));
  },
  getTokenAccountsByDelegate(node, p) {
    return withContext(node, config(p, 2), tokenAccountsBy(node, p, 'delegate'));
  },
  getRecentPrioritizationFees(node, p) {
    const addrs = p[0] === undefined || p[0] === null ? [] : p[0];
    if (!Array.isArray(addrs)) throw invalidParams('Invalid params: expected an array of public keys');
    if (addrs.length > 128) throw invalidParams('Too many inputs provided; max 128');
    return node.recentPrioritizationFees(addrs.map(pubkey));
  },
};

/** Runs one JSON-RPC call; `RpcError`s keep their code, anything else is -32603. */
export async function call(node: LocalnetNode, method: string, params: unknown): Promise<unknown> {
  const own = (table: Record<string, Handler>) =>
    Object.prototype.hasOwnProperty.call(table, method) ? table[method] : undefined;
  const handler = own(methods) ?? (node.cheatcodes ? own(cheatcodes) : undefined);
  if (!handler) throw new RpcError(RpcCode.MethodNotFound, 'Method not found');
  if (params !== undefined && params !== null && !Array.isArray(params)) {
    throw invalidParams('Invalid params: expected an array of parameters');
  }
  return handler(node, (params as Params | undefined) ?? []);
}
