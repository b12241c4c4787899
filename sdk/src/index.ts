/**
 * @openvpp/sdk: the client generated from the programs' IDLs (Codama, `@solana/kit` types), one
 * namespace per program (`registry.getDeviceRegisterInstructionAsync`, `payments.fetchTariff`,
 * ...), the program addresses and typed errors flattened (`OVPP_REGISTRY_PROGRAM_ADDRESS`,
 * `isOvppRegistryError`, `OVPP_REGISTRY_ERROR__UNAUTHORIZED`), and the recipes on top: quotes
 * (the programs' math, bigint), device identities and name checks, the endpoint grammar, program
 * constants.
 * web3.js builders (`TransactionInstruction[]`, `PublicKey`) are in `@openvpp/sdk/web3`.
 */
export * as hook from './generated/hook';
export * as payments from './generated/payments';
export * as registry from './generated/registry';
export * as routing from './generated/routing';
export * from './generated/hook/errors';
export * from './generated/hook/programs';
export * from './generated/payments/errors';
export * from './generated/payments/programs';
export * from './generated/registry/errors';
export * from './generated/registry/programs';
export * from './generated/routing/errors';
export * from './generated/routing/programs';

export { ClientError, type ClientErrorReason } from './errors';
export * from './payments/constants';
export * from './payments/quote';
export * from './payments/types';
export * from './registry/constants';
export * from './registry/identity';
export * from './registry/compressed';
export * from './routing/constants';
export * from './routing/endpoint';
export * from './routing/types';
export type { Sender, SendFailure, SendOutcome, SenderAccount, SenderClock } from './sender';
