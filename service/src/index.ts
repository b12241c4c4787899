export { buildApp, type ServiceOptions } from './app';
export { assertStrongApiKey, generateApiKey, InsecureApiKeyError, MIN_API_KEY_LENGTH } from './plugins/auth';
export { toJson } from './json';
export { rpcBackend, runtimeBackend, SendFailedError, type Backend } from './backend';
export { openapi } from './openapi';
export {
  CertificateInputError,
  validateDeviceCertificate,
  type CertificateProblemCode,
  type CertificateReport,
} from '@openvpp/integration/x509';
