// A Wallet Standard wallet that holds one ed25519 key in the page (WebCrypto Ed25519, PKCS#8) and
// approves every request — connect, solana:signMessage, solana:signTransaction — recording each
// in `window.__testWallet.log`. Two users: the browser suite registers it before the app loads
// (page.evaluateOnNewDocument), and the demo (`npm run demo -- --serve`) serves it as
// /demo-wallets.js for its throwaway localnet keys, so a person can act as the demo's owner or
// utility without a wallet extension. Never give it a key that holds anything real.
import { createPrivateKey, type KeyObject } from 'node:crypto';

/** What `demoWalletOptions` needs of a keypair (a web3.js `Keypair` has both). */
export interface DemoKeypair {
  publicKey: { toBase58(): string; toBytes(): Uint8Array };
  secretKey: Uint8Array;
}

export interface DemoWalletOptions {
  name: string;
  /** base58 address */
  address: string;
  publicKey: number[];
  /** PKCS#8 DER of the ed25519 private key */
  pkcs8: number[];
}

/** PKCS#8 of a Solana keypair's ed25519 seed (the first 32 bytes of its secret key). */
export function demoWalletOptions(name: string, kp: DemoKeypair): DemoWalletOptions {
  const seed = Buffer.from(kp.secretKey.subarray(0, 32));
  // RFC 8410: SEQUENCE { INTEGER 0, AlgorithmIdentifier { 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const key: KeyObject = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return {
    name,
    address: kp.publicKey.toBase58(),
    publicKey: [...kp.publicKey.toBytes()],
    pkcs8: [...key.export({ format: 'der', type: 'pkcs8' })],
  };
}

/** Runs in the page (serialized by puppeteer): must not close over anything. */
export function injectDemoWallet(opts: DemoWalletOptions): void {
  // The page's window, typed here without the DOM library (this file also compiles for Node).
  const win = globalThis as unknown as {
    __testWallet: unknown;
    addEventListener(type: string, fn: (e: { detail: unknown }) => void): void;
    dispatchEvent(e: unknown): boolean;
    CustomEvent: new (type: string, init: { detail: unknown }) => unknown;
  };
  const chains = ['solana:localnet', 'solana:devnet'] as const;
  const publicKey = new Uint8Array(opts.publicKey);
  const keyPromise = crypto.subtle.importKey('pkcs8', new Uint8Array(opts.pkcs8), { name: 'Ed25519' }, false, ['sign']);
  const log: { kind: string; bytes: number }[] = [];
  const sign = async (bytes: Uint8Array) =>
    new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, await keyPromise, new Uint8Array(bytes)));
  const account = {
    address: opts.address,
    publicKey,
    chains,
    features: ['solana:signMessage', 'solana:signTransaction'] as const,
  };
  // compact-u16 (shortvec): value and its byte length
  const shortvec = (b: Uint8Array, at: number): [number, number] => {
    let value = 0;
    for (let i = 0; i < 3; i++) {
      const byte = b[at + i];
      value |= (byte & 0x7f) << (7 * i);
      if ((byte & 0x80) === 0) return [value, i + 1];
    }
    throw new Error('bad shortvec');
  };
  const signWire = async (wire: Uint8Array): Promise<Uint8Array> => {
    const out = new Uint8Array(wire);
    const [sigCount, sigLen] = shortvec(out, 0);
    const messageAt = sigLen + 64 * sigCount;
    const message = out.subarray(messageAt);
    const headerAt = message[0] & 0x80 ? 1 : 0;
    const required = message[headerAt];
    const [, keysLen] = shortvec(message, headerAt + 3);
    const keysAt = headerAt + 3 + keysLen;
    for (let i = 0; i < required; i++) {
      const key = message.subarray(keysAt + 32 * i, keysAt + 32 * (i + 1));
      if (key.every((b, j) => b === publicKey[j])) {
        out.set(await sign(message), sigLen + 64 * i);
        return out;
      }
    }
    throw new Error('the test wallet is not a signer of this transaction');
  };
  const wallet = {
    version: '1.0.0' as const,
    name: opts.name,
    icon: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAyNCAyNCI+PGNpcmNsZSBjeD0iMTIiIGN5PSIxMiIgcj0iMTAiIGZpbGw9IiMxZDRlZDgiLz48L3N2Zz4=' as const,
    chains,
    accounts: [account],
    features: {
      'standard:connect': {
        version: '1.0.0',
        connect: async () => {
          log.push({ kind: 'connect', bytes: 0 });
          return { accounts: [account] };
        },
      },
      'standard:disconnect': { version: '1.0.0', disconnect: async () => undefined },
      'standard:events': { version: '1.0.0', on: () => () => undefined },
      'solana:signMessage': {
        version: '1.0.0',
        signMessage: async (...inputs: { message: Uint8Array }[]) =>
          Promise.all(
            inputs.map(async ({ message }) => {
              log.push({ kind: 'message', bytes: message.length });
              return { signedMessage: message, signature: await sign(message) };
            }),
          ),
      },
      'solana:signTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        signTransaction: async (...inputs: { transaction: Uint8Array }[]) =>
          Promise.all(
            inputs.map(async ({ transaction }) => {
              log.push({ kind: 'transaction', bytes: transaction.length });
              return { signedTransaction: await signWire(transaction) };
            }),
          ),
      },
    },
  };
  win.__testWallet = { log, address: opts.address };
  // The Wallet Standard registration protocol (what @wallet-standard/wallet's registerWallet does).
  type Api = { register: (w: unknown) => unknown };
  const callback = ({ register }: Api) => register(wallet);
  win.addEventListener('wallet-standard:app-ready', (e) => callback(e.detail as Api));
  win.dispatchEvent(new win.CustomEvent('wallet-standard:register-wallet', { detail: callback }));
}

/**
 * A script registering one demo wallet per entry (served as /demo-wallets.js by `openvpp serve`
 * in demo mode, loaded by the app's page before its own code).
 */
export function demoWalletScript(wallets: DemoWalletOptions[]): string {
  return wallets.map((w) => `(${injectDemoWallet.toString()})(${JSON.stringify(w)});`).join('\n');
}
