/**
 * @openvpp/sdk: typed builders, PDAs, account decoders, quotes and errors for the OpenVPP
 * programs. Every builder takes one object and returns `TransactionInstruction[]`; amounts
 * are `bigint`; program ids are overridable with `programId`.
 */
export * from './common';
export * from './hook';
export * from './payments';
export * from './registry';
export * from './routing';
/** The client generated from the IDLs (Codama, `@solana/kit` types): `generated.registry.getDeviceRegisterInstruction`, decoders, PDAs, errors. */
export * as generated from './generated';
