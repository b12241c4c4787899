export { ClientError, ProgramError, customCodeOf, type ClientErrorReason } from './errors';
export type { ProgramEvent } from './events';
export { decodeAs, type AccountReader } from './kit';
