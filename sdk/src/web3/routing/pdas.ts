import { PublicKey } from '@solana/web3.js';

import { addr, findPda } from '../common/kit';
import * as gen from '../../generated/routing';
import { ROUTING_PROGRAM_ID } from './constants';

// Every seed list comes from the generated `*Seeds` builders (rendered from the IDL's PDAs).
type ProgramOpt = { programId?: PublicKey };

/** A utility program: `["program", utility_partner, program_id]`. */
export const findUtilityProgramPda = ({
  utility,
  utilityProgramId,
  programId = ROUTING_PROGRAM_ID,
}: { utility: PublicKey; utilityProgramId: number } & ProgramOpt) =>
  findPda(gen.programSeeds({ utility: addr(utility), programId: utilityProgramId }), programId);

export const findEnrollmentPda = ({
  program,
  device,
  programId = ROUTING_PROGRAM_ID,
}: { program: PublicKey; device: PublicKey } & ProgramOpt) =>
  findPda(gen.enrollmentSeeds({ program: addr(program), device: addr(device) }), programId);

export const findRoutePda = ({ enrollment, programId = ROUTING_PROGRAM_ID }: { enrollment: PublicKey } & ProgramOpt) =>
  findPda(gen.routeSeeds({ enrollment: addr(enrollment) }), programId);
