// The registry program's limits and capability/protocol bits (`programs/ovpp-registry/src/constants.rs`).
export const MAX_PARTNER_NAME_LEN = 64;
export const MAX_CA_FINGERPRINTS = 8;
export const MAX_NAME_LEN = 63;
export const LFDI_LEN = 20;

/** Capability flag bits (`Capabilities.flags`). */
export const CAP_IMPORT = 1 << 0;
export const CAP_EXPORT = 1 << 1;
export const CAP_CURTAIL = 1 << 2;
export const CAP_DISPATCH = 1 << 3;
export const CAP_V2G = 1 << 4;
export const CAP_METERING = 1 << 5;
export const CAP_FREQUENCY_RESPONSE = 1 << 6;
export const CAP_VOLTAGE_SUPPORT = 1 << 7;

/** Protocol bits (`Capabilities.protocols`). */
export const PROTOCOL_OPENADR3 = 1 << 0;
export const PROTOCOL_IEEE2030_5 = 1 << 1;
export const PROTOCOL_OCPP201 = 1 << 2;
