// `openvpp localnet`: a Solana JSON-RPC + PubSub node on the embedded runtime with a durable
// ledger. See README.md "Local node".
export { LocalnetNode, type NodeOptions, type StoredTx } from './node';
export { LedgeredRuntime } from './ledgered-runtime';
export {
  Ledger,
  LedgerCorruptError,
  LedgerFormatError,
  defaultLedgerDir,
  scanLedger,
  truncateAtCorruption,
  type LedgerProblem,
  type LedgerScan,
  type TornTail,
} from './ledger';
export { startLocalnet, handleBody, MAX_REQUEST_BYTES, type Localnet, type LocalnetOptions } from './server';
export { methods as rpcMethods } from './rpc';
export { RpcCode, RpcError } from './rpc-error';
