// @openvpp/runtime/anchor-bankrun: anchor-bankrun's BankrunProvider over @openvpp/runtime/bankrun.
import type {
  AccountInfo,
  Commitment,
  ConfirmOptions,
  Keypair,
  PublicKey,
  SendOptions,
  Signer,
  Transaction,
  TransactionSignature,
  VersionedTransaction,
} from '@solana/web3.js';
import type { ProgramTestContext } from './bankrun';

export declare class BankrunWallet {
  constructor(payer: Keypair);
  readonly payer: Keypair;
  readonly publicKey: PublicKey;
  signTransaction<T extends Transaction | VersionedTransaction>(tx: T): Promise<T>;
  signAllTransactions<T extends Transaction | VersionedTransaction>(txs: T[]): Promise<T[]>;
}

/** The parts of `Connection` Anchor's `Program` uses, answered by the bank. */
export declare class BankrunConnectionProxy {
  constructor(context: ProgramTestContext);
  getAccountInfo(address: PublicKey): Promise<AccountInfo<Buffer> | null>;
  getAccountInfoAndContext(
    address: PublicKey,
  ): Promise<{ context: { slot: number }; value: AccountInfo<Buffer> | null }>;
  getMultipleAccountsInfo(addresses: PublicKey[]): Promise<(AccountInfo<Buffer> | null)[]>;
  getMultipleAccountsInfoAndContext(
    addresses: PublicKey[],
  ): Promise<{ context: { slot: number }; value: (AccountInfo<Buffer> | null)[] }>;
  getBalance(address: PublicKey): Promise<number>;
  getMinimumBalanceForRentExemption(dataLength: number): Promise<number>;
  getLatestBlockhash(): Promise<{ blockhash: string; lastValidBlockHeight: number }>;
  getSlot(): Promise<number>;
}

export interface SimulatedTransaction {
  err: string | null;
  logs: string[];
  unitsConsumed: number;
  returnData: { programId: string; data: [string, 'base64'] } | null;
  accounts: null;
}

/** anchor-bankrun's provider: `new Program(idl, provider)`, `.methods.x().rpc()` in-process. */
export declare class BankrunProvider {
  constructor(context: ProgramTestContext, wallet?: BankrunWallet);
  readonly context: ProgramTestContext;
  readonly wallet: BankrunWallet;
  // The proxy implements what Anchor's Program calls; typed loosely so it fits `Provider`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly connection: any;
  readonly publicKey: PublicKey;
  readonly opts: ConfirmOptions;
  sendAndConfirm(
    tx: Transaction | VersionedTransaction,
    signers?: Signer[],
    opts?: ConfirmOptions,
  ): Promise<TransactionSignature>;
  sendAll<T extends Transaction | VersionedTransaction>(
    txWithSigners: { tx: T; signers?: Signer[] }[],
    opts?: ConfirmOptions | SendOptions,
  ): Promise<TransactionSignature[]>;
  simulate(
    tx: Transaction | VersionedTransaction,
    signers?: Signer[],
    commitment?: Commitment,
    includeAccounts?: boolean | PublicKey[],
  ): Promise<SimulatedTransaction>;
}
