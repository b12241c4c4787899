// Anchor events without Anchor: an `emit!` is a `Program data: <base64>` log line whose bytes
// are the event's 8-byte discriminator (`sha256("event:<Name>")[..8]`, listed in the IDL) and
// its borsh body. The body is read here from the IDL's type definitions, with the values Anchor's
// `BorshCoder` gives: `PublicKey` for keys, `BN` for 64- and 128-bit integers, numbers below,
// `{ Variant: {} }` for enums, field names as the program spells them.
import { PublicKey } from '@solana/web3.js';
import BN from 'bn.js';

/** An event decoded from a `Program data:` log line (fields as the IDL names them). */
export interface ProgramEvent {
  name: string;
  data: Record<string, unknown>;
}

type IdlType = string | { [kind: string]: unknown };
type IdlFields = ({ name: string; type: IdlType } | IdlType)[];
type IdlTypeDef = { kind: string; fields?: IdlFields; variants?: { name: string; fields?: IdlFields }[] };

/** The part of an Anchor IDL (JSON) the event decoder reads. */
export interface EventIdl {
  events?: { name: string; discriminator: number[] }[];
  types?: { name: string; type: IdlTypeDef }[];
}

const INTEGERS: Record<string, [bytes: number, signed: boolean]> = {
  u8: [1, false],
  i8: [1, true],
  u16: [2, false],
  i16: [2, true],
  u32: [4, false],
  i32: [4, true],
  u64: [8, false],
  i64: [8, true],
  u128: [16, false],
  i128: [16, true],
};

class Reader {
  private offset = 0;
  constructor(private readonly data: Buffer) {}

  take(n: number): Buffer {
    if (this.offset + n > this.data.length) throw new RangeError('event data ends early');
    this.offset += n;
    return this.data.subarray(this.offset - n, this.offset);
  }

  integer(bytes: number, signed: boolean): number | BN {
    const unsigned = new BN(this.take(bytes), 'le');
    const value = signed ? unsigned.fromTwos(bytes * 8) : unsigned;
    return bytes <= 4 ? value.toNumber() : value;
  }

  length(): number {
    return this.take(4).readUInt32LE(0);
  }
}

/** A decoder of one program's events from its IDL: `(logs) => events`, in log order. */
export function eventDecoder(idl: EventIdl): (logs: string[]) => ProgramEvent[] {
  const types = new Map((idl.types ?? []).map((t) => [t.name, t.type]));
  const events = (idl.events ?? []).map((e) => ({ name: e.name, discriminator: Buffer.from(e.discriminator) }));

  const readFields = (r: Reader, fields: IdlFields = []): Record<string, unknown> =>
    Object.fromEntries(
      fields.map((f, i) =>
        typeof f === 'object' && 'name' in f && 'type' in f
          ? [f.name, read(r, f.type as IdlType)]
          : [String(i), read(r, f as IdlType)],
      ),
    );

  const read = (r: Reader, type: IdlType): unknown => {
    if (typeof type === 'string') {
      if (type in INTEGERS) return r.integer(...INTEGERS[type]);
      if (type === 'bool') return r.take(1)[0] !== 0;
      if (type === 'pubkey') return new PublicKey(r.take(32));
      if (type === 'string') return r.take(r.length()).toString('utf8');
      if (type === 'bytes') return Buffer.from(r.take(r.length()));
    } else if ('option' in type) {
      return r.take(1)[0] === 0 ? null : read(r, type.option as IdlType);
    } else if ('vec' in type) {
      return Array.from({ length: r.length() }, () => read(r, type.vec as IdlType));
    } else if ('array' in type) {
      const [inner, len] = type.array as [IdlType, number];
      return Array.from({ length: len }, () => read(r, inner));
    } else if ('defined' in type) {
      const name = (type.defined as { name: string }).name;
      const def = types.get(name);
      if (def?.kind === 'struct') return readFields(r, def.fields);
      const variant = def?.variants?.[r.take(1)[0]];
      if (variant) return { [variant.name]: readFields(r, variant.fields) };
    }
    throw new TypeError(`cannot decode IDL type ${JSON.stringify(type)}`);
  };

  const decode = (base64: string): ProgramEvent | null => {
    const bytes = Buffer.from(base64, 'base64');
    const event = bytes.length >= 8 && events.find((e) => e.discriminator.equals(bytes.subarray(0, 8)));
    if (!event) return null;
    const data = read(new Reader(bytes.subarray(8)), { defined: { name: event.name } });
    return { name: event.name, data: data as Record<string, unknown> };
  };

  return (logs) =>
    logs.flatMap((line) => {
      if (!line.startsWith('Program data: ')) return [];
      const event = decode(line.slice('Program data: '.length).split(' ')[0]);
      return event ? [event] : [];
    });
}
