// The instruction table's rows for the routing program (see instructions.test.ts).
import {
  enrollmentDecideInstructions,
  enrollmentRequestInstructions,
  enrollmentRevokeInstructions,
  routeRevokeInstructions,
  routeSetInstructions,
  utilityProgramCreateInstructions,
  utilityProgramStatusSetInstructions,
} from '@openvpp/sdk/web3';

import { type Entry, row } from './world';

export const ROUTING: Entry[] = [
  row(
    'utilityProgramCreateInstructions',
    (w) => ({
      utility: w.utilityPda,
      authority: w.utility.publicKey,
      payer: w.payer,
      utilityProgramId: 8,
      kind: 'tariff' as const,
      name: 'Time of use',
    }),
    utilityProgramCreateInstructions,
  ),
  row(
    'utilityProgramStatusSetInstructions',
    (w) => ({ program: w.program, authority: w.utility.publicKey, open: false }),
    utilityProgramStatusSetInstructions,
  ),
  row(
    'enrollmentRequestInstructions',
    (w) => ({
      program: w.program,
      device: w.device,
      vendor: w.vendorPda,
      requester: w.owner.publicKey,
      payer: w.payer,
    }),
    enrollmentRequestInstructions,
  ),
  row(
    'enrollmentDecideInstructions',
    (w) => ({ program: w.program, authority: w.utility.publicKey, device: w.device, approve: false }),
    enrollmentDecideInstructions,
  ),
  row(
    'enrollmentRevokeInstructions',
    (w) => ({ program: w.program, device: w.device, authority: w.utility.publicKey }),
    enrollmentRevokeInstructions,
  ),
  row('routeSetInstructions', (w) => ({ ...w.route, endpoint: 'https://vtn.gridco.example/v2' }), routeSetInstructions),
  row(
    'routeRevokeInstructions',
    (w) => ({ program: w.program, authority: w.utility.publicKey, device: w.device }),
    routeRevokeInstructions,
  ),
];
