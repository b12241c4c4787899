// @openvpp/localnet: a local Solana node for OpenVPP (JSON-RPC + PubSub on the embedded
// runtime, with a durable ledger and development cheatcodes), the localnet keys, the `Sender`
// implementations (embedded runtime, a node's ledgered runtime, JSON-RPC) and the world
// builder. Localnet only: the keys it bundles are refused by every cluster deployment.
export * from './node';
export { localnetAdmin, usdcLocalnetKeypair } from './keys';
export { RuntimeSender, ledgeredSender, type SenderRuntime } from './sender/runtime';
export { JsonRpcError, RpcSender, RpcTransactionFailedError } from './sender/rpc';
export { apply, applySync, type Plan, type Step, type SyncRuntime } from './world/plan';
export {
  DEMO_SPKI_PIN,
  WORLD_CA,
  approveAndRouteInstructions,
  attestDemoEndpoint,
  buildWorld,
  createDrProgram,
  demoEndpointPlan,
  drProgramPlan,
  enrolledDevicePlan,
  onboardPartners,
  partnersPlan,
  registerEnrolledDevice,
  seedWorld,
  worldPlan,
  type DemoEndpointOptions,
  type EnrolledDeviceOptions,
  type PartnerOptions,
  type Partners,
  type SeededWorld,
  type World,
  type WorldOptions,
} from './world/world';
export {
  DEMO_TARIFF,
  createTariffProgram,
  createUsdcMint,
  enrollAndBind,
  enrollAndBindPlan,
  fundOwner,
  fundOwnerPlan,
  initPayments,
  mintUsdc,
  mintUsdcPlan,
  paymentsPlan,
  tariffPlan,
  tariffProgramPlan,
  usdcMintPlan,
  type EnrollAndBindOptions,
  type FundOwnerOptions,
  type TariffOptions,
} from './world/payments';
