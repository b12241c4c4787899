'use strict';
// @openvpp/runtime/anchor-bankrun: anchor-bankrun's `BankrunProvider` over
// `@openvpp/runtime/bankrun`, so `new Program(idl, new BankrunProvider(context))` and
// `.methods.x().rpc()` run in-process. Anchor itself is the caller's dependency.
const { PublicKey, VersionedTransaction } = require('@solana/web3.js');

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Base58 of a signature (64 bytes). */
function encode58(bytes) {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
const isVersioned = (tx) => 'version' in tx || tx instanceof VersionedTransaction;

/** A wallet over a keypair, shaped like Anchor's `Wallet` (NodeWallet). */
class BankrunWallet {
  constructor(payer) {
    this.payer = payer;
  }

  get publicKey() {
    return this.payer.publicKey;
  }

  async signTransaction(tx) {
    if (isVersioned(tx)) tx.sign([this.payer]);
    else tx.partialSign(this.payer);
    return tx;
  }

  async signAllTransactions(txs) {
    return Promise.all(txs.map((tx) => this.signTransaction(tx)));
  }
}

/**
 * The parts of `Connection` Anchor's `Program` uses (account fetches and the resolver's
 * lookups, rent, blockhash, slot), answered by the bank.
 */
class BankrunConnectionProxy {
  constructor(context) {
    this.context = context;
    this.banksClient = context.banksClient;
    this.rpcEndpoint = 'openvpp-runtime://bankrun';
    this.commitment = 'confirmed';
  }

  async getAccountInfo(address) {
    const a = await this.banksClient.getAccount(new PublicKey(address));
    return a ? { ...a, data: Buffer.from(a.data) } : null;
  }

  async getAccountInfoAndContext(address) {
    return { context: { slot: Number(await this.banksClient.getSlot()) }, value: await this.getAccountInfo(address) };
  }

  async getMultipleAccountsInfo(addresses) {
    return Promise.all(addresses.map((a) => this.getAccountInfo(a)));
  }

  async getMultipleAccountsInfoAndContext(addresses) {
    return {
      context: { slot: Number(await this.banksClient.getSlot()) },
      value: await this.getMultipleAccountsInfo(addresses),
    };
  }

  async getBalance(address) {
    return Number(await this.banksClient.getBalance(new PublicKey(address)));
  }

  async getMinimumBalanceForRentExemption(dataLength) {
    return Number((await this.banksClient.getRent()).minimumBalance(BigInt(dataLength)));
  }

  async getLatestBlockhash() {
    const [blockhash, lastValidBlockHeight] = await this.banksClient.getLatestBlockhash();
    return { blockhash, lastValidBlockHeight: Number(lastValidBlockHeight) };
  }

  async getSlot() {
    return Number(await this.banksClient.getSlot());
  }
}

/** anchor-bankrun's provider: `.rpc()`, `.simulate()` and `.view()` go to the bank. */
class BankrunProvider {
  constructor(context, wallet) {
    this.context = context;
    this.wallet = wallet ?? new BankrunWallet(context.payer);
    this.connection = new BankrunConnectionProxy(context);
    this.publicKey = this.wallet.publicKey;
    this.opts = { commitment: 'confirmed', preflightCommitment: 'confirmed' };
  }

  async _prepare(tx, signers) {
    if (isVersioned(tx)) {
      if (signers && signers.length) tx.sign(signers);
    } else {
      tx.feePayer = tx.feePayer ?? this.wallet.publicKey;
      tx.recentBlockhash = (await this.context.banksClient.getLatestBlockhash())[0];
      for (const s of signers ?? []) tx.partialSign(s);
    }
    return this.wallet.signTransaction(tx);
  }

  /** Signs (wallet + `signers`), processes, returns the first signature; throws on failure. */
  async sendAndConfirm(tx, signers, _opts) {
    const signed = await this._prepare(tx, signers);
    const signature = isVersioned(signed) ? signed.signatures[0] : signed.signature;
    await this.context.banksClient.processTransaction(signed);
    return encode58(signature);
  }

  async sendAll(txWithSigners, opts) {
    const signatures = [];
    for (const { tx, signers } of txWithSigners) signatures.push(await this.sendAndConfirm(tx, signers, opts));
    return signatures;
  }

  /** Shaped like `Connection.simulateTransaction`'s value, as Anchor's simulate/view read it. */
  async simulate(tx, signers, _commitment, includeAccounts) {
    if (includeAccounts !== undefined) throw new Error('simulate with includeAccounts is not supported');
    const signed = await this._prepare(tx, signers);
    const res = await this.context.banksClient.simulateTransaction(signed);
    const meta = res.meta;
    const returnData = meta?.returnData
      ? {
          programId: meta.returnData.programId.toBase58(),
          data: [Buffer.from(meta.returnData.data).toString('base64'), 'base64'],
        }
      : null;
    const value = {
      err: res.result,
      logs: meta?.logMessages ?? [],
      unitsConsumed: meta ? Number(meta.computeUnitsConsumed) : 0,
      returnData,
      accounts: null,
    };
    if (res.result) {
      const err = new Error(`Simulation failed: ${res.result}`);
      err.simulationResponse = value;
      err.logs = value.logs;
      throw err;
    }
    return value;
  }
}

module.exports = { BankrunProvider, BankrunConnectionProxy, BankrunWallet };
