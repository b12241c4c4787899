export { buildApp, toJson, type ServiceOptions } from './app';
export { rpcBackend, runtimeBackend, SendFailedError, type Backend } from './backend';
export { openapi } from './openapi';
export { validateDeviceCertificate, type CertificateReport } from './x509';
export {
  createDrProgram,
  createUsdcMint,
  fundOwner,
  mintUsdc,
  onboardPartners,
  seedWorld,
  usdcLocalnetKeypair,
  type Partners,
  type SeededWorld,
} from './seed';
