// @openvpp/testing: test fixtures (a dev dependency only). The sample PKI (certs.ts; the fixture
// files are in testing/fixtures/), the localnet keys and world builder of @openvpp/localnet
// re-exported for the tests, the demo and the benchmarks, and the tests' worlds built on them
// (worlds/: registry, payments and settlement, connect) on a runtime the caller owns.
export {
  DEMO_SPKI_PIN,
  WORLD_CA,
  apply,
  applySync,
  approveAndRouteInstructions,
  attestDemoEndpoint,
  buildWorld,
  createDrProgram,
  createTariffProgram,
  createUsdcMint,
  enrollAndBind,
  fundOwner,
  initPayments,
  localnetAdmin,
  mintUsdc,
  onboardPartners,
  registerEnrolledDevice,
  seedWorld,
  usdcLocalnetKeypair,
  type Partners,
  type SeededWorld,
  type World,
  type WorldOptions,
} from '@openvpp/localnet';
export { SAMPLE_CA_PEM, SAMPLE_DEVICE_NOT_AFTER, SAMPLE_DEVICE_PEM } from './certs';
export {
  CAPS,
  CERT_NOT_AFTER,
  fakeFingerprint,
  registerDevice,
  registryWorld,
  type RegistryWorld,
} from './worlds/registry';
export {
  EXPORT_CAP,
  HOUR,
  INTERVALS,
  KWH_PRICE,
  MARKET,
  MIDNIGHT,
  SETTLEMENT_WINDOW_SECS,
  USDC,
  createKwhMarket,
  createMarket,
  makeMember,
  paymentsWorld,
  reading,
  setFeed,
  settlementWorld,
  type PaymentsWorld,
  type SettlementOptions,
} from './worlds/payments';
export { connectWorld, publishRoute, type ConnectWorld } from './worlds/connect';
