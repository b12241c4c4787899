// OpenVPP events of one transaction's logs, in log order, each attributed to the program that
// emitted it (the top of the invoke stack when its `Program data:` line was written), decoded
// with that program's SDK parser; and the JSON form the store keeps.
import { parsePaymentsEvents, parseRegistryEvents, parseRoutingEvents } from '@openvpp/sdk/web3';

export interface DecodedEvent {
  /** The emitting program's id (base58). */
  program: string;
  name: string;
  data: Record<string, unknown>;
}

export type EventParser = (logs: string[]) => { name: string; data: Record<string, unknown> }[];

/** The SDK's event parser per program id (base58) that emits events. */
export function eventParsers(ids: { registry: string; routing: string; payments: string }): Map<string, EventParser> {
  return new Map<string, EventParser>([
    [ids.registry, parseRegistryEvents as EventParser],
    [ids.routing, parseRoutingEvents as EventParser],
    [ids.payments, parsePaymentsEvents as EventParser],
  ]);
}

const INVOKE = /^Program (\w+) invoke \[\d+\]$/;
const EXIT = /^Program (\w+) (success|failed)/;

/** The events in `logs` emitted by the programs `parsers` knows, in log order. */
export function decodeLogs(logs: string[], parsers: Map<string, EventParser>): DecodedEvent[] {
  const stack: string[] = [];
  const out: DecodedEvent[] = [];
  for (const line of logs) {
    const invoke = INVOKE.exec(line);
    if (invoke) {
      stack.push(invoke[1]);
      continue;
    }
    const exit = EXIT.exec(line);
    if (exit) {
      if (stack[stack.length - 1] === exit[1]) stack.pop();
      continue;
    }
    if (!line.startsWith('Program data: ')) continue;
    const program = stack[stack.length - 1];
    const parse = program === undefined ? undefined : parsers.get(program);
    if (!parse) continue;
    for (const e of parse([line])) out.push({ program, name: e.name, data: e.data });
  }
  return out;
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * A decoded value as plain JSON: public keys as base58, 64/128-bit integers (`BN`, bigint) as
 * decimal strings, byte arrays as hex; objects and arrays field by field.
 */
export function toJsonValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString(10);
  if (typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return v.map(toJsonValue);
  const o = v as Record<string, unknown> & { toBase58?: unknown; toTwos?: unknown; words?: unknown };
  if (typeof o.toBase58 === 'function') return (o.toBase58 as () => string)();
  if (typeof o.toTwos === 'function' && 'words' in o) return (o as { toString(base: number): string }).toString(10);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, toJsonValue(x)]));
}
