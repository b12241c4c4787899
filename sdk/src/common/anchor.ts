import * as anchorNs from '@coral-xyz/anchor';
import type { Idl } from '@coral-xyz/anchor';

// @coral-xyz/anchor ships CommonJS only. Node's ESM loader exposes its module.exports as the
// namespace's `default` (named exports are not detected), while the CJS build's interop
// returns module.exports itself: take whichever holds the classes.
const anchor = ((anchorNs as unknown as { default?: typeof anchorNs }).default ?? anchorNs) as typeof anchorNs;
export const BorshCoder: typeof anchorNs.BorshCoder = anchor.BorshCoder;
export type BorshCoder = InstanceType<typeof anchorNs.BorshCoder>;
export type { Idl };
import type { PublicKey } from '@solana/web3.js';

/** Minimal account reader: a web3.js `Connection` or the in-process `Runtime` both fit. */
export interface AccountReader {
  getAccountInfo(address: PublicKey): Promise<{ data: Buffer; owner: PublicKey } | null>;
}

/** An event decoded from a `Program data:` log line (fields as the IDL names them). */
export interface ProgramEvent {
  name: string;
  data: Record<string, unknown>;
}

/** Decodes one program's events from transaction logs (`Program data:` lines) with its IDL's coder. */
export function parseProgramEvents(coder: BorshCoder, logs: string[]): ProgramEvent[] {
  const events: ProgramEvent[] = [];
  for (const line of logs) {
    if (!line.startsWith('Program data: ')) continue;
    const decoded = coder.events.decode(line.slice('Program data: '.length).split(' ')[0]);
    if (decoded) events.push({ name: decoded.name, data: decoded.data as Record<string, unknown> });
  }
  return events;
}
