// @openvpp/testing: test fixtures (a dev dependency only). The sample PKI (certs.ts; the fixture
// files are in testing/fixtures/), the localnet keys and world builder of @openvpp/localnet
// re-exported for the tests, the demo and the benchmarks, and the tests' worlds built on them
// (worlds/: registry, payments and settlement, connect) on a runtime the caller owns; a throwaway
// PostgreSQL server on 127.0.0.1 (postgres.ts) and a bare JSON-RPC call (rpc.ts).
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
export { type Postgres, postgresBin, startPostgres } from './postgres';
export { jsonRpc } from './rpc';
export { SAMPLE_CA_PEM, SAMPLE_DEVICE_NOT_AFTER, SAMPLE_DEVICE_PEM } from './certs';
export * from './worlds/registry';
export * from './worlds/payments';
export * from './worlds/connect';
export * from './worlds/compressed';
