export { ClientError, ProgramError, customCodeOf, programErrors, type ClientErrorReason } from './errors';
export type { AccountReader } from './anchor';
export { decodeAs } from './kit';
