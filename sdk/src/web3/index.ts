/**
 * @openvpp/sdk/web3: the SDK for web3.js users. Every builder takes one object and returns
 * `TransactionInstruction[]` (built by the generated kit client); PDAs are `[PublicKey, bump]`;
 * account fetchers and decoders return `PublicKey` and `bigint` fields; events and program errors
 * are decoded from transaction logs. Program ids are overridable with `programId`. The recipes of
 * the root (quotes, identities, constants) are re-exported so one import serves a web3.js app.
 */
export * from './common';
export * from './hook';
export * from './payments';
export * from './registry';
export * from './routing';
