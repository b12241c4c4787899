import { BorshCoder, type Idl } from '../common/anchor';

import idlJson from '../../idl/ovpp_routing.json';

/** The routing IDL as generated from the program (never edited by hand). */
export const ROUTING_IDL = idlJson as unknown as Idl;
export const routingCoder = new BorshCoder(ROUTING_IDL);
