// The CSV formats of the demo commands, parsed and validated before anything is sent; every
// problem is reported with its line number.
import {
  PROTOCOL_IEEE2030_5,
  PROTOCOL_OCPP201,
  PROTOCOL_OPENADR3,
  type DeviceType,
  isValidName,
} from '@openvpp/sdk/web3';

const DEVICE_TYPES: DeviceType[] = ['meter', 'evCharger', 'battery', 'inverter', 'thermostat', 'other'];
const PROTOCOLS: Record<string, number> = {
  openadr3: PROTOCOL_OPENADR3,
  ieee2030_5: PROTOCOL_IEEE2030_5,
  ocpp201: PROTOCOL_OCPP201,
};

/** A row of the bulk-enrollment CSV: `name,type,max_import_w,protocols` (protocols `a|b`). */
export interface DeviceRow {
  line: number;
  name: string;
  type: DeviceType;
  maxImportW: number;
  protocols: number;
}

/** Parses and validates the CSV; every problem is reported with its line number. */
export function parseDeviceCsv(text: string): { rows: DeviceRow[]; errors: string[] } {
  const rows: DeviceRow[] = [];
  const errors: string[] = [];
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines
    .shift()
    ?.split(',')
    .map((h) => h.trim());
  if (!header || header.join(',') !== 'name,type,max_import_w,protocols') {
    return { rows, errors: ['line 1: header must be name,type,max_import_w,protocols'] };
  }
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    const line = i + 2;
    const [name, type, watts, protocols] = l.split(',').map((c) => c.trim());
    const problems: string[] = [];
    if (!isValidName(name ?? '')) problems.push(`invalid name ${JSON.stringify(name)}`);
    if (seen.has(name)) problems.push(`duplicate name ${name}`);
    if (!DEVICE_TYPES.includes(type as DeviceType)) problems.push(`type must be one of ${DEVICE_TYPES.join('|')}`);
    const w = Number(watts);
    if (!Number.isInteger(w) || w <= 0 || w > 0xffffffff) problems.push('max_import_w must be a positive integer');
    const bits = (protocols ?? '').split('|').map((p) => PROTOCOLS[p]);
    if (bits.some((b) => b === undefined))
      problems.push(`protocols must be ${Object.keys(PROTOCOLS).join('|')} joined by |`);
    if (problems.length) errors.push(`line ${line}: ${problems.join('; ')}`);
    else {
      seen.add(name);
      rows.push({ line, name, type: type as DeviceType, maxImportW: w, protocols: bits.reduce((a, b) => a | b, 0) });
    }
  });
  return { rows, errors };
}

/** A row of the readings CSV: `device,seq,hour,import_wh` (device = name from enroll-csv). */
export interface ReadingRow {
  line: number;
  device: string;
  seq: bigint;
  hour: number;
  importWh: bigint;
}

export function parseReadingCsv(text: string): { rows: ReadingRow[]; errors: string[] } {
  const rows: ReadingRow[] = [];
  const errors: string[] = [];
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.shift()?.replace(/\s/g, '') !== 'device,seq,hour,import_wh') {
    return { rows, errors: ['line 1: header must be device,seq,hour,import_wh'] };
  }
  lines.forEach((l, i) => {
    const [device, seq, hour, wh] = l.split(',').map((c) => c.trim());
    const problems: string[] = [];
    if (!isValidName(device ?? '')) problems.push('device must be a registered name');
    if (!/^[1-9][0-9]{0,18}$/.test(seq ?? '')) problems.push('seq must be a positive integer');
    if (!/^([01]?[0-9]|2[0-3])$/.test(hour ?? '')) problems.push('hour must be 0..23');
    if (!/^[0-9]{1,15}$/.test(wh ?? '')) problems.push('import_wh must be a non-negative integer');
    if (problems.length) errors.push(`line ${i + 2}: ${problems.join('; ')}`);
    else rows.push({ line: i + 2, device, seq: BigInt(seq), hour: Number(hour), importWh: BigInt(wh) });
  });
  return { rows, errors };
}
