import { PublicKey } from '@solana/web3.js';

import { ROUTING_PROGRAM_ID, SEED_ENROLLMENT, SEED_PROGRAM, SEED_ROUTE } from './constants';

type ProgramOpt = { programId?: PublicKey };

const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** A utility program: `["program", utility_partner, program_id]`. */
export const findUtilityProgramPda = ({
  utility,
  utilityProgramId,
  programId = ROUTING_PROGRAM_ID,
}: { utility: PublicKey; utilityProgramId: number } & ProgramOpt) =>
  PublicKey.findProgramAddressSync([SEED_PROGRAM, utility.toBuffer(), u32le(utilityProgramId)], programId);

export const findEnrollmentPda = ({
  program,
  device,
  programId = ROUTING_PROGRAM_ID,
}: { program: PublicKey; device: PublicKey } & ProgramOpt) =>
  PublicKey.findProgramAddressSync([SEED_ENROLLMENT, program.toBuffer(), device.toBuffer()], programId);

export const findRoutePda = ({ enrollment, programId = ROUTING_PROGRAM_ID }: { enrollment: PublicKey } & ProgramOpt) =>
  PublicKey.findProgramAddressSync([SEED_ROUTE, enrollment.toBuffer()], programId);
