import { BorshCoder, type Idl } from '../common/anchor';

import idlJson from '../../idl/ovpp_registry.json';

/** The registry IDL as generated from the program (never edited by hand). */
export const REGISTRY_IDL = idlJson as unknown as Idl;
export const registryCoder = new BorshCoder(REGISTRY_IDL);
