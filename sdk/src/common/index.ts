export { ProgramError, customCodeOf, programErrors } from './errors';
export type { AccountReader } from './anchor';
export { decodeAs } from './kit';
