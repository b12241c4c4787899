// The routing program's limits (`programs/ovpp-routing/src/constants.rs`).
export const MAX_PROGRAM_NAME_LEN = 64;
export const MAX_ENDPOINT_LEN = 200;
export const MAX_CERT_PINS = 4;
