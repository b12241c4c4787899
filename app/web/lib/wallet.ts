// Wallets through Wallet Standard: any registered wallet with `standard:connect`,
// `solana:signMessage` and `solana:signTransaction` (browser extensions, mobile wallets' in-app
// browsers, the browser suite's test wallet).
import {
  SolanaSignMessage,
  type SolanaSignMessageFeature,
  SolanaSignTransaction,
  type SolanaSignTransactionFeature,
} from '@solana/wallet-standard-features';
import { getWallets } from '@wallet-standard/app';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import {
  StandardConnect,
  type StandardConnectFeature,
  StandardDisconnect,
  type StandardDisconnectFeature,
} from '@wallet-standard/features';

export type SolanaWallet = Wallet & {
  features: StandardConnectFeature & SolanaSignMessageFeature & SolanaSignTransactionFeature;
};

function usable(w: Wallet): w is SolanaWallet {
  return (
    StandardConnect in w.features &&
    SolanaSignMessage in w.features &&
    SolanaSignTransaction in w.features &&
    w.chains.some((c) => c.startsWith('solana:'))
  );
}

/** The usable wallets now, and a subscription to wallets registered later. */
export function watchWallets(onChange: (wallets: SolanaWallet[]) => void): () => void {
  const { get, on } = getWallets();
  const emit = () => onChange(get().filter(usable));
  emit();
  const offRegister = on('register', emit);
  const offUnregister = on('unregister', emit);
  return () => {
    offRegister();
    offUnregister();
  };
}

export interface Connected {
  wallet: SolanaWallet;
  account: WalletAccount;
}

export async function connect(wallet: SolanaWallet): Promise<Connected> {
  const { accounts } = await wallet.features[StandardConnect].connect();
  const account = accounts.find((a) => a.chains.some((c) => c.startsWith('solana:'))) ?? accounts[0];
  if (!account) throw new Error(`${wallet.name} returned no account`);
  return { wallet, account };
}

export async function disconnect({ wallet }: Connected): Promise<void> {
  const f = (wallet.features as Partial<StandardDisconnectFeature>)[StandardDisconnect];
  if (f) await f.disconnect();
}

export async function signMessage({ wallet, account }: Connected, message: Uint8Array): Promise<Uint8Array> {
  const [out] = await wallet.features[SolanaSignMessage].signMessage({ account, message });
  if (!out) throw new Error('The wallet returned no signature');
  return out.signature;
}

/** Signs a wire transaction (the wallet adds its signature; the other slots stay as they are). */
export async function signTransaction({ wallet, account }: Connected, transaction: Uint8Array): Promise<Uint8Array> {
  const chain = account.chains.find((c) => c.startsWith('solana:')) as `${string}:${string}` | undefined;
  const [out] = await wallet.features[SolanaSignTransaction].signTransaction({ account, transaction, chain });
  if (!out) throw new Error('The wallet returned no transaction');
  return out.signedTransaction;
}
