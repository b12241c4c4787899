// A statement as a document: CSV (RFC 4180, one row per line with its transaction signature,
// then the totals) and PDF (pdfkit). Amounts are exact: raw base units and USDE with all six
// decimals, computed on strings and bigints, never floats.
import PDFDocument from 'pdfkit';

import type { Statement, StatementLine } from './queries';

const USDE_DECIMALS = 6;

/** Raw USDE (base units, may be negative) as a decimal with all six places: `-1.500000`. */
export function usde(raw: string): string {
  const n = BigInt(raw);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const scale = 10n ** BigInt(USDE_DECIMALS);
  return `${neg ? '-' : ''}${abs / scale}.${(abs % scale).toString().padStart(USDE_DECIMALS, '0')}`;
}

const iso = (t: number | null | undefined) => (t === null || t === undefined ? '' : new Date(t * 1000).toISOString());
const hhmm = (m: number | null | undefined) =>
  m === null || m === undefined
    ? ''
    : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const CSV_COLUMNS = [
  'kind',
  'device',
  'interval_start',
  'band_start',
  'import_wh',
  'export_wh',
  'price_raw',
  'amount_raw',
  'amount_usde',
  'block_time',
  'slot',
  'signature',
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
const field = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const row = (cells: (string | number | null | undefined)[]) => cells.map(field).join(',');

const lineCells = (l: StatementLine) => [
  l.kind,
  l.device,
  iso(l.intervalStart),
  hhmm(l.bandStartMinute),
  l.importWh,
  l.exportWh,
  l.price,
  l.amount,
  usde(l.amount),
  iso(l.blockTime),
  l.slot,
  l.signature,
];

/** The statement as CSV: a header, one row per line, a blank row, then `total,<name>,raw,usde` rows. */
export function statementCsv(s: Statement): string {
  const rows = [row([...CSV_COLUMNS]), ...s.lines.map((l) => row(lineCells(l)))];
  rows.push('');
  rows.push(row(['total', 'name', 'amount_raw', 'amount_usde']));
  const totals: [string, string][] = [
    ['billed', s.totals.billed],
    ['export_credit', s.totals.exportCredit],
    ['export_paid', s.totals.exportPaid],
    ['rewards', s.totals.rewards],
    ['fees', s.totals.fees],
    ['net', s.totals.net],
    ['export_owed_at_end', s.exportOwedAtEnd],
  ];
  for (const [name, raw] of totals) rows.push(row(['total', name, raw, usde(raw)]));
  return `${rows.join('\r\n')}\r\n`;
}

const LINE_LABEL: Record<StatementLine['kind'], string> = {
  import: 'Import',
  export_credit: 'Export credit',
  export_paid: 'Export paid',
  dr_reward: 'DR reward',
  fee: 'Fee',
};

/** The statement as a PDF (A4): header, one entry per line with its signature, totals. */
export function statementPdf(s: Statement): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    info: { Title: `OpenVPP statement ${s.period}`, Author: 'OpenVPP', Subject: s.owner },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(16).text(`OpenVPP statement ${s.period}`);
  doc.font('Helvetica').fontSize(9);
  doc.text(`Owner: ${s.owner}`);
  doc.text(`Period: ${iso(s.from)} to ${iso(s.to)} (UTC)`);
  doc.text('Amounts in USDE (6 decimals); raw base units in brackets.');
  doc.moveDown();

  if (s.lines.length === 0) doc.text('No settled activity in this period.');
  for (const l of s.lines) {
    const energy = [
      l.importWh ? `import ${l.importWh} Wh` : '',
      l.exportWh ? `export ${l.exportWh} Wh` : '',
      l.price ? `price ${l.price}/kWh` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const when = l.intervalStart ? iso(l.intervalStart) : iso(l.blockTime);
    const band =
      l.bandStartMinute === null || l.bandStartMinute === undefined ? '' : ` band ${hhmm(l.bandStartMinute)}`;
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(`${LINE_LABEL[l.kind]}  ${usde(l.amount)} USDE [${l.amount}]`);
    doc
      .font('Helvetica')
      .fontSize(8)
      .text(`${when}${band}${energy ? `  ${energy}` : ''}  device ${l.device ?? '-'}`);
    doc.font('Courier').fontSize(6.5).text(`tx ${l.signature}`);
    doc.moveDown(0.4);
  }

  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(11).text('Totals');
  doc.font('Helvetica').fontSize(9);
  const t = s.totals;
  for (const [label, raw] of [
    ['Billed', t.billed],
    ['Export credit', t.exportCredit],
    ['Export paid', t.exportPaid],
    ['DR rewards', t.rewards],
    ['Fees', t.fees],
    ['Net', t.net],
    ['Export owed at end', s.exportOwedAtEnd],
  ] as const) {
    doc.text(`${label}: ${usde(raw)} USDE [${raw}]`);
  }
  doc.end();
  return done;
}
