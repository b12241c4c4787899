export { buildApp, type ServiceOptions } from './app';
export { startAppServer, type AppServer, type AppServerOptions } from './app-server';
export { assertStrongApiKey, generateApiKey, InsecureApiKeyError, MIN_API_KEY_LENGTH } from './plugins/auth';
export { toJson } from './json';
export { compressedRecord, type CompressedDeviceRow, type CompressedLookups } from './compressed';
export { rpcBackend, runtimeBackend, SendFailedError, type Backend } from './backend';
export { openapi } from './openapi';
export {
  CertificateInputError,
  validateDeviceCertificate,
  type CertificateProblemCode,
  type CertificateReport,
} from '@openvpp/integration/x509';
export type { AppQueries, LiveEvent, LiveSource, Statement, StatementLine } from './queries';
export { Sessions, type SessionClaims, type SessionOptions } from './sessions';
export { Relayer, DEFAULT_RELAY_LIMITS, type RelayLimits } from './relayer';
export { statementCsv, statementPdf } from './bills';
