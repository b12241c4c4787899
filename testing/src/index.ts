// @openvpp/testing: localnet keys and world builders for the embedded runtime (@openvpp/runtime),
// shared by the TypeScript tests, the demo, the benchmarks and the CLI's embedded modes.
// Localnet only: the keys it bundles are refused by every cluster deployment.
export { localnetAdmin, usdcLocalnetKeypair } from './keys';
export { createTariffProgram, createUsdcMint, enrollAndBind, fundOwner, initPayments, mintUsdc } from './payments';
export {
  approveAndRouteInstructions,
  attestDemoEndpoint,
  DEMO_SPKI_PIN,
  createDrProgram,
  onboardPartners,
  registerEnrolledDevice,
  seedWorld,
  type Partners,
  type SeededWorld,
} from './world';
export { SAMPLE_CA_PEM, SAMPLE_DEVICE_NOT_AFTER, SAMPLE_DEVICE_PEM } from './certs';
export { RpcRuntime, RpcTransactionFailedError, type RuntimeLike } from './rpc-runtime';
export { JsonRpcError, SyncRpc } from './sync-rpc';
