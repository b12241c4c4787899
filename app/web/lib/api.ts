// The service's app API (JSON shapes of issue 18's brief): amounts are raw USDE base units as
// decimal strings, energy in Wh, times unix seconds, days YYYY-MM-DD, periods YYYY-MM (UTC).

export type Raw = string;

export interface Session {
  token: string;
  address: string;
  role: 'owner' | 'utility';
  utilities: string[];
  expiresAt: number;
}

export interface OwnerHome {
  owner: string;
  day: string;
  today: { importWh: number; exportWh: number; billed: Raw; exportCredit: Raw; exportPaid: Raw; rewards: Raw };
  exportOwed: Raw;
  balances: { usde: Raw; kwh: Raw; co2: Raw };
  devices: number;
}

export interface Attestation {
  status: 'valid' | 'expired' | 'revoked' | 'none';
  expiresAt?: number | null;
}

export interface RouteInfo {
  protocol: string;
  endpoint: string;
  version?: number | string;
  expiresAt?: number | null;
  attestation?: Attestation | null;
}

export interface Enrollment {
  enrollment: string;
  program: string;
  programName?: string;
  utility: string;
  status: string;
  device?: string;
  owner?: string | null;
  updatedAt?: number;
  route?: RouteInfo | null;
}

export interface Mandate {
  mandate: string;
  utility: string;
  maxPerPeriod: Raw;
  periodSecs: number;
  maxTotal: Raw;
  spentTotal: Raw;
  revoked: boolean;
}

export interface OwnerDevice {
  device: string;
  kind: string;
  status: string;
  lfdi: string;
  name?: string | null;
  vendor?: string;
  member?: string | null;
  meter?: {
    totalImportWh: number;
    totalExportWh: number;
    totalPaid: Raw;
    totalExportCredit: Raw;
    totalExportPaid: Raw;
  } | null;
  enrollments: Enrollment[];
  mandates: Mandate[];
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface Band {
  /** null for readings settled before band starts were recorded in the event */
  bandStartMinute: number | null;
  importWh: number;
  exportWh: number;
  billed: Raw;
  exportCredit: Raw;
}

export interface EnergyDay {
  day: string;
  bands: Band[];
}

export interface HistoryItem {
  kind: string;
  signature: string;
  slot: number;
  blockTime: number | null;
  device?: string;
  amount?: Raw;
  importWh?: number | null;
  exportWh?: number | null;
  [extra: string]: unknown;
}

export interface BillSummary {
  period: string;
  billed: Raw;
  exportCredit: Raw;
  exportPaid: Raw;
  rewards: Raw;
  net: Raw;
}

export interface StatementLine {
  kind: 'import' | 'export_credit' | 'export_paid' | 'dr_reward' | 'fee';
  device: string;
  signature: string;
  slot: number;
  blockTime: number | null;
  intervalStart?: number | null;
  bandStartMinute?: number | null;
  importWh?: number | null;
  exportWh?: number | null;
  price?: Raw | null;
  amount: Raw;
}

export interface Statement {
  owner: string;
  period: string;
  from: number;
  to: number;
  lines: StatementLine[];
  totals: { billed: Raw; exportCredit: Raw; exportPaid: Raw; rewards: Raw; fees: Raw; net: Raw };
  exportOwedAtEnd: Raw;
}

export interface ProgramSummary {
  program: string;
  programId?: number;
  name: string;
  utilityName?: string | null;
  kind?: string;
  open?: boolean;
  utility?: string;
  enrolled?: number;
  createdAt?: number;
}

export interface UtilityHome {
  utility: string;
  name: string;
  today: { revenue: Raw; exportPaid: Raw; rewardsPaid: Raw; readings: number };
  escrow: { balance: Raw; owed: Raw; withdrawPending: Raw | null | boolean };
  programs: ProgramSummary[];
  devicesByStatus: Record<string, number>;
}

export interface TariffInterval {
  startMinute: number;
  importPrice: Raw;
  exportPrice: Raw;
}

export interface TariffRevision {
  revision: number;
  effectiveFrom: number;
  publishedAt?: number;
}

export interface Tariff {
  tariff: string;
  tariffId?: number;
  name?: string;
  revision: number;
  intervalSecs?: number;
  intervals: TariffInterval[];
  effectiveFrom?: number;
  settlementWindowSecs?: number;
  exportCap?: { maxCredit: Raw; periodSecs: number } | null;
  revisions?: TariffRevision[];
  escrow?: { balance: Raw; owed: Raw; withdrawPending: Raw; withdrawReadyAt?: number };
}

export interface DrEvent {
  event: string;
  eventId: number;
  start: number;
  end: number;
  rewardPerKwh: Raw;
  budget: Raw;
  paid: Raw;
  participants: number;
  closed?: boolean;
  payouts?: Array<{
    device: string;
    owner: string;
    flexWh: number;
    amount: Raw;
    signature: string;
    slot: number;
    blockTime: number | null;
  }>;
}

export interface RevenueDay {
  day: string;
  revenue: Raw;
  exportPaid?: Raw;
  rewardsPaid?: Raw;
  readings?: number;
  importWh?: number;
  exportWh?: number;
}

export interface UtilityDevice {
  device: string;
  owner?: string | null;
  kind?: string;
  status: string;
}

export interface RelayInfo {
  feePayer: string;
  blockhash: string;
  lastValidBlockHeight: number | string;
  limits?: Record<string, unknown>;
}

export interface NetworkInfo {
  /** null: payments are not initialized on this cluster. */
  usdcMint: string | null;
  usdeMint: string;
  usdcTokenProgram: string | null;
  usdeTokenProgram: string;
  programs: { registry: string; routing: string; payments: string; hook: string };
  /** The cluster clock: the app's "today" is its day, not the browser's. */
  clock: { unixTimestamp: number; day: string };
}

export interface DeviceRecord {
  address: string;
  deviceType: string;
  status: string;
  deviceKey: string;
  vendor: string;
  owner: string;
  pendingOwner: string;
  member: string;
  lfdi: string;
  certNotAfter: string | number;
}

/** A named error from the service (`{ error, message }`), or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let token: string | null = null;

export function setToken(t: string | null): void {
  token = t;
}

export function getToken(): string | null {
  return token;
}

async function failure(res: Response): Promise<ApiError> {
  let code = `Http${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: string; code?: string; message?: string };
    code = body.error ?? body.code ?? code;
    message = body.message ?? message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message);
}

function headers(json: boolean): HeadersInit {
  const h: Record<string, string> = {};
  if (json) h['content-type'] = 'application/json';
  if (token) h.authorization = `Bearer ${token}`;
  return h;
}

export async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: headers(false) });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export async function apiPost<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: headers(true), body: JSON.stringify(body) });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** Fetches a file (bill CSV / PDF) with the session's token and saves it under `filename`. */
export async function download(path: string, filename: string): Promise<number> {
  const res = await fetch(path, { headers: headers(false) });
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob.size;
}

export const q = (params: Record<string, string | number | undefined | null>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const out = s.toString();
  return out ? `?${out}` : '';
};
