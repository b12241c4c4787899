// Plain-fetch JSON-RPC: the three reads the indexer needs, no web3.js Connection.
import { IndexerDataError, IndexerRpcError, IndexerUnreachableError } from './errors';

export type Commitment = 'confirmed' | 'finalized';

export interface SignatureInfo {
  signature: string;
  slot: number;
  err: unknown;
  blockTime?: number | null;
}

export interface RpcTokenBalance {
  accountIndex: number;
  mint: string;
  owner?: string;
  uiTokenAmount: { amount: string; decimals: number };
}

export interface TransactionInfo {
  slot: number;
  blockTime?: number | null;
  meta: {
    err: unknown;
    logMessages?: string[] | null;
    preTokenBalances?: RpcTokenBalance[] | null;
    postTokenBalances?: RpcTokenBalance[] | null;
  } | null;
}

export interface AccountInfo {
  data: [string, 'base64'];
  owner: string;
  lamports: number;
}

export class JsonRpc {
  private id = 0;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async call<T>(method: string, params: unknown[]): Promise<T> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }),
      });
      text = await res.text();
    } catch (e) {
      throw new IndexerUnreachableError(method, this.url, (e as { cause?: unknown }).cause ?? e);
    }
    if (res.status !== 200) throw new IndexerRpcError(method, res.status, text.slice(0, 200), undefined, res.status);
    let body: { result?: T; error?: { code: number; message: string; data?: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      throw new IndexerDataError(`${method}: the node's answer is not JSON: ${text.slice(0, 200)}`);
    }
    if (body.error) throw new IndexerRpcError(method, body.error.code, body.error.message, body.error.data);
    if (!('result' in body)) throw new IndexerDataError(`${method}: the node's answer has no result`);
    return body.result as T;
  }

  getSignaturesForAddress(
    address: string,
    opts: { limit: number; before?: string; until?: string; commitment: Commitment },
  ): Promise<SignatureInfo[]> {
    const config: Record<string, unknown> = { limit: opts.limit, commitment: opts.commitment };
    if (opts.before) config.before = opts.before;
    if (opts.until) config.until = opts.until;
    return this.call('getSignaturesForAddress', [address, config]);
  }

  getTransaction(signature: string, commitment: Commitment): Promise<TransactionInfo | null> {
    return this.call('getTransaction', [
      signature,
      { encoding: 'json', commitment, maxSupportedTransactionVersion: 0 },
    ]);
  }

  async getAccountInfo(address: string, commitment: Commitment): Promise<AccountInfo | null> {
    const r = await this.call<{ value: AccountInfo | null }>('getAccountInfo', [
      address,
      { encoding: 'base64', commitment },
    ]);
    return r?.value ?? null;
  }
}
