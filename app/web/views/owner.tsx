// Owner views: home, devices (enroll, route, attestation), claim (consent), mandates, wallet
// (USDE wrap / unwrap, kWh and kg-CO2 tokens), energy (per day, per time-of-use band), bills
// (statement, CSV / PDF), rewards.
import { useMemo, useState } from 'react';

import { Chart } from '../Chart';
import {
  apiGet,
  type BillSummary,
  type DeviceRecord,
  download,
  type EnergyDay,
  type HistoryItem,
  type NetworkInfo,
  type OwnerDevice,
  type OwnerHome,
  type Page as PageOf,
  type ProgramSummary,
  q,
  type Statement,
} from '../lib/api';
import {
  daysAgo,
  enumLabel,
  kindLabel,
  kwh,
  minuteOfDay,
  parseUnits,
  periodLabel,
  short,
  today,
  units,
  usde,
  when,
} from '../lib/format';
import * as tx from '../lib/tx';
import {
  Action,
  ActionForm,
  Badge,
  Card,
  Empty,
  Field,
  Page,
  Pager,
  Stat,
  Stats,
  Status,
  statusTone,
  Table,
  useApi,
  useAppState,
  useClockDefault,
} from '../ui';

export const OWNER_ROUTES = [
  { path: '/', label: 'Home' },
  { path: '/devices', label: 'Devices' },
  { path: '/claim', label: 'Claim a device' },
  { path: '/mandates', label: 'Mandates' },
  { path: '/wallet', label: 'Wallet' },
  { path: '/energy', label: 'Energy' },
  { path: '/bills', label: 'Bills' },
  { path: '/rewards', label: 'Rewards' },
];

export function OwnerViews({ route }: { route: string }) {
  switch (route) {
    case '/devices':
      return <Devices />;
    case '/claim':
      return <Claim />;
    case '/mandates':
      return <Mandates />;
    case '/wallet':
      return <Wallet />;
    case '/energy':
      return <Energy />;
    case '/bills':
      return <Bills />;
    case '/rewards':
      return <Rewards />;
    default:
      return <Home />;
  }
}

const useOwner = () => useAppState().session.address;
const ownerPath = (owner: string, rest = '') => `/v1/owners/${owner}${rest}`;

function Home() {
  const owner = useOwner();
  const home = useApi<OwnerHome>(ownerPath(owner));
  const history = useApi<PageOf<HistoryItem>>(ownerPath(owner, `/history${q({ limit: 8 })}`));
  const h = home.data;
  return (
    <Page title="Home">
      <Status loaded={home} />
      {h && (
        <>
          <Card title={`Today (${h.day})`}>
            <Stats>
              <Stat label="Imported" value={kwh(h.today.importWh)} testId="today-import" />
              <Stat label="Exported" value={kwh(h.today.exportWh)} testId="today-export" />
              <Stat label="Billed" value={usde(h.today.billed)} testId="today-billed" />
              <Stat label="Export credit" value={usde(h.today.exportCredit)} />
              <Stat label="Export paid" value={usde(h.today.exportPaid)} />
              <Stat label="DR rewards" value={usde(h.today.rewards)} />
            </Stats>
          </Card>
          <Card title="Balances">
            <Stats>
              <Stat label="USDE" value={units(h.balances.usde)} testId="balance-usde" />
              <Stat label="kWh tokens" value={units(h.balances.kwh)} />
              <Stat label="kg-CO2 tokens" value={units(h.balances.co2)} />
              <Stat label="Export owed to you" value={usde(h.exportOwed)} hint="credit the escrow could not pay yet" />
              <Stat label="Devices" value={h.devices} />
            </Stats>
          </Card>
        </>
      )}
      <Card title="Recent activity">
        <Status loaded={history} />
        <HistoryTable items={history.data?.items ?? []} />
      </Card>
    </Page>
  );
}

function HistoryTable({ items }: { items: HistoryItem[] }) {
  if (items.length === 0) return <Empty>Nothing yet.</Empty>;
  return (
    <Table caption="Activity" head={['When', 'What', 'Device', 'Energy', 'Amount', 'Transaction']}>
      {items.map((it) => (
        <tr key={`${it.signature}-${it.kind}-${it.device ?? ''}`} data-kind={it.kind}>
          <td>{when(it.blockTime)}</td>
          <td>{kindLabel(it.kind)}</td>
          <td>{short(it.device)}</td>
          <td>
            {it.importWh != null && it.kind === 'reading' ? `↓ ${kwh(it.importWh)}` : ''}
            {it.exportWh ? ` ↑ ${kwh(it.exportWh)}` : ''}
          </td>
          <td className="num">{it.amount != null ? units(it.amount) : ''}</td>
          <td>
            <code title={it.signature}>{short(it.signature, 6)}</code>
          </td>
        </tr>
      ))}
    </Table>
  );
}

function RouteCell({ e }: { e: OwnerDevice['enrollments'][number] }) {
  if (!e.route) return <span className="muted">no route</span>;
  const att = e.route.attestation?.status ?? 'none';
  return (
    <span>
      {e.route.protocol} <code>{e.route.endpoint}</code> <Badge tone={statusTone(att)}>attestation: {att}</Badge>
      {e.route.expiresAt ? <small className="muted"> until {when(e.route.expiresAt)}</small> : null}
    </span>
  );
}

function Devices() {
  const owner = useOwner();
  const devices = useApi<PageOf<OwnerDevice>>(ownerPath(owner, '/devices'));
  return (
    <Page title="Devices" actions={<a href="#/claim">Claim a device</a>}>
      <Status loaded={devices} />
      {devices.data && devices.data.items.length === 0 && (
        <Empty>
          No devices yet. <a href="#/claim">Claim one</a> your installer transferred to you.
        </Empty>
      )}
      {devices.data?.items.map((d) => (
        <DeviceCard key={d.device} d={d} />
      ))}
    </Page>
  );
}

function DeviceCard({ d }: { d: OwnerDevice }) {
  return (
    <Card title={`${d.name ?? enumLabel(d.kind)} · ${short(d.device)}`} id={`device-${d.device}`}>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <Badge tone={statusTone(d.status)}>{d.status}</Badge>
        </dd>
        <dt>Kind</dt>
        <dd>{enumLabel(d.kind)}</dd>
        <dt>LFDI</dt>
        <dd>
          <code>{d.lfdi}</code>
        </dd>
        <dt>Address</dt>
        <dd>
          <code>{d.device}</code>
        </dd>
        {d.meter && (
          <>
            <dt>Meter</dt>
            <dd>
              ↓ {kwh(d.meter.totalImportWh)} · ↑ {kwh(d.meter.totalExportWh)} · paid {usde(d.meter.totalPaid)} · export
              credit {usde(d.meter.totalExportCredit)}
            </dd>
          </>
        )}
      </dl>
      <h3>Enrollments</h3>
      {d.enrollments.length === 0 ? (
        <Empty>Not enrolled in any program.</Empty>
      ) : (
        <Table caption={`Enrollments of ${d.device}`} head={['Program', 'Status', 'Route and attestation']}>
          {d.enrollments.map((e) => (
            <tr key={e.enrollment}>
              <td>{e.programName ?? short(e.program)}</td>
              <td>
                <Badge tone={statusTone(e.status)}>{e.status}</Badge>
              </td>
              <td>
                <RouteCell e={e} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <EnrollForm d={d} />
    </Card>
  );
}

/** The device's vendor (a partner account), which the enrollment instruction names. */
async function vendorOf(d: OwnerDevice): Promise<string> {
  if (d.vendor) return d.vendor;
  const rec = await apiGet<DeviceRecord>(`/v1/lfdi/${d.lfdi}`);
  return rec.vendor;
}

function EnrollForm({ d }: { d: OwnerDevice }) {
  const { conn } = useAppState();
  const programs = useApi<PageOf<ProgramSummary>>(`/v1/programs${q({ limit: 200 })}`);
  // Programs the device is already enrolled in are not offered again.
  const enrolled = new Set(d.enrollments.map((e) => e.program));
  const choices = (programs.data?.items ?? []).filter((p) => !enrolled.has(p.program));
  const [picked, setPicked] = useState('');
  const program = picked || choices[0]?.program || '';
  const chosen = choices.find((p) => p.program === program);
  return (
    <details className="inline-form">
      <summary>Enroll in a utility program</summary>
      <ActionForm
        label="Request enrollment"
        testId="enroll-form"
        run={async () => {
          if (!program) throw new Error('Pick a program: no utility program is open for enrollment');
          return tx.enroll(conn, program, d.device, await vendorOf(d));
        }}
      >
        <Field label="Program" hint="Open programs of the utilities; the utility approves or rejects the request.">
          {(id, hint) => (
            <select id={id} aria-describedby={hint} value={program} onChange={(e) => setPicked(e.target.value)}>
              {choices.map((p) => (
                <option key={p.program} value={p.program}>
                  {p.name} — {p.utilityName ?? short(p.utility ?? '', 6)} ({enumLabel(p.kind)})
                </option>
              ))}
            </select>
          )}
        </Field>
        {chosen && (
          <p className="notice" role="status">
            {chosen.name}: a {enumLabel(chosen.kind)} program of {chosen.utilityName ?? 'utility'}{' '}
            <code>{short(chosen.utility ?? '', 6)}</code>
          </p>
        )}
        {programs.data && choices.length === 0 && (
          <p className="notice" role="status">
            No other utility program is open for enrollment.
          </p>
        )}
        {programs.error && (
          <p className="notice error" role="alert">
            {programs.error}
          </p>
        )}
      </ActionForm>
    </details>
  );
}

function Claim() {
  const { session, conn } = useAppState();
  const [key, setKey] = useState('');
  const [found, setFound] = useState<DeviceRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [consent, setConsent] = useState(false);
  const lookup = async () => {
    setError(null);
    setFound(null);
    setConsent(false);
    const k = key.trim();
    try {
      const rec = /^[0-9a-fA-F]{40}$/.test(k)
        ? await apiGet<DeviceRecord>(`/v1/lfdi/${k}`)
        : await apiGet<DeviceRecord>(`/v1/devices/${encodeURIComponent(k)}`);
      setFound(rec);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const forMe = found?.pendingOwner === session.address;
  return (
    <Page title="Claim a device">
      <Card title="Find the device">
        <form
          className="form"
          aria-label="Find the device"
          onSubmit={(e) => {
            e.preventDefault();
            void lookup();
          }}
        >
          <Field label="Device key or LFDI" hint="Printed on the device or its installation papers.">
            {(id, hint) => (
              <input
                id={id}
                aria-describedby={hint}
                value={key}
                onChange={(e) => setKey(e.target.value)}
                autoComplete="off"
                required
              />
            )}
          </Field>
          <button type="submit" className="btn primary">
            Look up
          </button>
        </form>
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
      </Card>
      {found && (
        <Card title="Consent">
          <dl className="facts">
            <dt>Device</dt>
            <dd>
              <code>{found.address}</code>
            </dd>
            <dt>Kind</dt>
            <dd>{found.deviceType}</dd>
            <dt>Vendor</dt>
            <dd>
              <code>{short(found.vendor, 6)}</code>
            </dd>
            <dt>Status</dt>
            <dd>
              <Badge tone={statusTone(found.status)}>{found.status}</Badge>
            </dd>
            <dt>Offered to</dt>
            <dd>{forMe ? 'you' : <code>{short(found.pendingOwner, 6)}</code>}</dd>
          </dl>
          {!forMe ? (
            <p className="notice" role="status">
              This device has not been offered to your wallet. Ask the installer to transfer it to{' '}
              <code>{session.address}</code>.
            </p>
          ) : (
            <>
              <p>By claiming this device you accept that:</p>
              <ul>
                <li>you become its owner of record; the previous owner&apos;s rights end;</li>
                <li>its signed meter readings settle against your USDE balance under the tariffs you agree to;</li>
                <li>programs and utilities see it only after you enroll it; you can revoke mandates at any time.</li>
              </ul>
              <label className="check">
                <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> I consent and
                want to claim this device
              </label>
              <Action
                label="Claim device"
                testId="claim-button"
                disabled={!consent}
                run={() =>
                  tx.claimDevice(conn, found.address, found.member === tx.SYSTEM_ADDRESS ? null : found.member)
                }
              />
            </>
          )}
        </Card>
      )}
    </Page>
  );
}

const PERIODS = [
  { secs: 86_400, label: 'per day' },
  { secs: 7 * 86_400, label: 'per week' },
  { secs: 30 * 86_400, label: 'per 30 days' },
];

function MandateFields({
  values,
  set,
}: {
  values: { perPeriod: string; periodSecs: number; total: string };
  set: (v: { perPeriod: string; periodSecs: number; total: string }) => void;
}) {
  return (
    <>
      <Field label="Most per period (USDE)">
        {(id) => (
          <input
            id={id}
            inputMode="decimal"
            value={values.perPeriod}
            onChange={(e) => set({ ...values, perPeriod: e.target.value })}
            required
          />
        )}
      </Field>
      <Field label="Period">
        {(id) => (
          <select
            id={id}
            value={values.periodSecs}
            onChange={(e) => set({ ...values, periodSecs: Number(e.target.value) })}
          >
            {PERIODS.map((p) => (
              <option key={p.secs} value={p.secs}>
                {p.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Most in total (USDE)">
        {(id) => (
          <input
            id={id}
            inputMode="decimal"
            value={values.total}
            onChange={(e) => set({ ...values, total: e.target.value })}
            required
          />
        )}
      </Field>
    </>
  );
}

function Mandates() {
  const { session, conn } = useAppState();
  const devices = useApi<PageOf<OwnerDevice>>(ownerPath(session.address, '/devices'));
  const items = devices.data?.items ?? [];
  const [device, setDevice] = useState('');
  const [utility, setUtility] = useState('');
  const [caps, setCaps] = useState({ perPeriod: '50', periodSecs: 30 * 86_400, total: '600' });
  const chosen = items.find((d) => d.device === device) ?? items[0];
  const utilities = [...new Set((chosen?.enrollments ?? []).map((e) => e.utility))];
  const rows = items.flatMap((d) => d.mandates.map((m) => ({ d, m })));
  return (
    <Page title="Mandates">
      <p className="lead">
        A mandate lets a utility bill a device&apos;s settlements from your USDE, up to the caps you set. You can change
        the caps or revoke it at any time.
      </p>
      <Status loaded={devices} />
      <Card title="Your mandates">
        {rows.length === 0 ? (
          <Empty>No mandates.</Empty>
        ) : (
          <Table caption="Mandates" head={['Device', 'Utility', 'Caps', 'Spent', 'State', 'Actions']}>
            {rows.map(({ d, m }) => (
              <MandateRow key={m.mandate} device={d.device} m={m} />
            ))}
          </Table>
        )}
      </Card>
      <Card title="Create a mandate">
        {items.length === 0 ? (
          <Empty>Claim a device first.</Empty>
        ) : (
          <ActionForm
            label="Create mandate"
            testId="mandate-form"
            run={() =>
              tx.mandateCreate(conn, chosen.device, utility || utilities[0], {
                maxPerPeriod: parseUnits(caps.perPeriod),
                periodSecs: caps.periodSecs,
                maxTotal: parseUnits(caps.total),
              })
            }
          >
            <Field label="Device">
              {(id) => (
                <select id={id} value={chosen?.device} onChange={(e) => setDevice(e.target.value)}>
                  {items.map((d) => (
                    <option key={d.device} value={d.device}>
                      {d.name ?? enumLabel(d.kind)} ({short(d.device)})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Utility" hint="The utility of a program the device is enrolled in.">
              {(id, hint) =>
                utilities.length > 0 ? (
                  <select
                    id={id}
                    aria-describedby={hint}
                    value={utility || utilities[0]}
                    onChange={(e) => setUtility(e.target.value)}
                  >
                    {utilities.map((u) => (
                      <option key={u} value={u}>
                        {short(u, 6)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    aria-describedby={hint}
                    placeholder="Utility address"
                    value={utility}
                    onChange={(e) => setUtility(e.target.value.trim())}
                    required
                  />
                )
              }
            </Field>
            <MandateFields values={caps} set={setCaps} />
          </ActionForm>
        )}
      </Card>
    </Page>
  );
}

function MandateRow({ device, m }: { device: string; m: OwnerDevice['mandates'][number] }) {
  const { conn } = useAppState();
  const [editing, setEditing] = useState(false);
  const [caps, setCaps] = useState({
    perPeriod: units(m.maxPerPeriod, 0).replace(/,/g, ''),
    periodSecs: m.periodSecs,
    total: units(m.maxTotal, 0).replace(/,/g, ''),
  });
  return (
    <tr data-testid="mandate-row">
      <td>{short(device)}</td>
      <td>{short(m.utility)}</td>
      <td>
        {usde(m.maxPerPeriod)} per {periodLabel(m.periodSecs)}; {usde(m.maxTotal)} total
        {editing && (
          <ActionForm
            label="Save caps"
            run={async () => {
              const sig = await tx.mandateChange(conn, m.mandate, device, m.utility, {
                maxPerPeriod: parseUnits(caps.perPeriod),
                periodSecs: caps.periodSecs,
                maxTotal: parseUnits(caps.total),
              });
              setEditing(false);
              return sig;
            }}
          >
            <MandateFields values={caps} set={setCaps} />
          </ActionForm>
        )}
      </td>
      <td className="num">{usde(m.spentTotal)}</td>
      <td>
        <Badge tone={m.revoked ? 'bad' : 'ok'}>{m.revoked ? 'revoked' : 'active'}</Badge>
      </td>
      <td className="actions">
        {!m.revoked && (
          <>
            <button type="button" className="btn secondary small" onClick={() => setEditing((x) => !x)}>
              {editing ? 'Cancel' : 'Change caps'}
            </button>
            <Action label="Revoke" kind="danger" run={() => tx.mandateRevoke(conn, m.mandate)} />
          </>
        )}
      </td>
    </tr>
  );
}

function Wallet() {
  const { session, conn } = useAppState();
  const home = useApi<OwnerHome>(ownerPath(session.address));
  const net = useApi<NetworkInfo>('/v1/network');
  const [amount, setAmount] = useState('10');
  const [direction, setDirection] = useState<'wrap' | 'unwrap'>('wrap');
  const h = home.data;
  return (
    <Page title="Wallet">
      <Status loaded={home} />
      {h && (
        <Card title="Balances">
          <Stats>
            <Stat label="USDE" value={units(h.balances.usde)} hint="the settlement dollar (1 USDE = 1 USDC)" />
            <Stat label="kWh tokens" value={units(h.balances.kwh)} hint="energy units" />
            <Stat label="kg-CO2 tokens" value={units(h.balances.co2)} hint="carbon units" />
          </Stats>
        </Card>
      )}
      <Card title="Wrap and unwrap USDE">
        {net.error || (net.data && !net.data.usdcMint) ? (
          <p className="notice" role="status">
            Wrapping is not available on this server ({net.error ?? 'payments are not initialized'}).
          </p>
        ) : (
          <ActionForm
            label={direction === 'wrap' ? 'Wrap USDC into USDE' : 'Unwrap USDE into USDC'}
            run={() => {
              if (!net.data) throw new Error('Network details are still loading');
              return tx.usdeSwap(conn, net.data, direction, parseUnits(amount));
            }}
          >
            <fieldset className="radios">
              <legend>Direction</legend>
              <label>
                <input type="radio" checked={direction === 'wrap'} onChange={() => setDirection('wrap')} /> USDC → USDE
              </label>
              <label>
                <input type="radio" checked={direction === 'unwrap'} onChange={() => setDirection('unwrap')} /> USDE →
                USDC
              </label>
            </fieldset>
            <Field label="Amount">
              {(id) => <input id={id} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
            </Field>
          </ActionForm>
        )}
      </Card>
    </Page>
  );
}

const bandLabel = (m: number) => (m < 0 ? 'band not recorded' : `from ${minuteOfDay(m)}`);

/** Every day of [from, to] (UTC), with the API's days where it has any (it lists days with readings). */
function everyDay(from: string, to: string, known: EnergyDay[]): EnergyDay[] {
  const byDay = new Map(known.map((d) => [d.day, d]));
  const out: EnergyDay[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length <= 366; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { day, bands: [] });
  }
  return out;
}

function Energy() {
  const owner = useOwner();
  const [from, setFrom] = useClockDefault((now) => daysAgo(13, now));
  const [to, setTo] = useClockDefault(today);
  const energy = useApi<{ days: EnergyDay[] }>(ownerPath(owner, `/energy${q({ from, to })}`));
  const days = useMemo(() => everyDay(from, to, energy.data?.days ?? []), [from, to, energy.data]);
  const perDay = useMemo(
    () => ({
      categories: days.map((d) => d.day.slice(5)),
      series: [
        {
          name: 'Import kWh',
          values: days.map((d) => d.bands.reduce((s, b) => s + b.importWh, 0) / 1000),
          color: '#c2410c',
        },
        {
          name: 'Export kWh',
          values: days.map((d) => d.bands.reduce((s, b) => s + b.exportWh, 0) / 1000),
          color: '#15803d',
        },
      ],
    }),
    [days],
  );
  const bands = useMemo(() => {
    const by = new Map<number, { importWh: number; exportWh: number; billed: bigint; credit: bigint }>();
    for (const d of days)
      for (const b of d.bands) {
        // -1: readings settled before bands were recorded (no band start in the event)
        const key = b.bandStartMinute ?? -1;
        const cur = by.get(key) ?? { importWh: 0, exportWh: 0, billed: 0n, credit: 0n };
        cur.importWh += b.importWh;
        cur.exportWh += b.exportWh;
        cur.billed += BigInt(b.billed);
        cur.credit += BigInt(b.exportCredit);
        by.set(key, cur);
      }
    return [...by.entries()].sort((a, b) => a[0] - b[0]);
  }, [days]);
  const perBand = useMemo(
    () => ({
      categories: bands.map(([m]) => bandLabel(m)),
      series: [
        { name: 'Import kWh', values: bands.map(([, b]) => b.importWh / 1000), color: '#c2410c' },
        { name: 'Export kWh', values: bands.map(([, b]) => b.exportWh / 1000), color: '#15803d' },
      ],
    }),
    [bands],
  );
  return (
    <Page title="Energy">
      <form className="form row" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
        <Field label="From">
          {(id) => <input id={id} type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label="To">
          {(id) => <input id={id} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />}
        </Field>
      </form>
      <Status loaded={energy} />
      <Card title="Per day">
        {days.length === 0 ? (
          <Empty>No readings in this range.</Empty>
        ) : (
          <Chart label="Energy per day" unit="kWh" {...perDay} />
        )}
      </Card>
      <Card title="Per time-of-use band">
        {bands.length === 0 ? (
          <Empty>No readings in this range.</Empty>
        ) : (
          <>
            <Chart label="Energy per time-of-use band" unit="kWh" {...perBand} />
            <Table caption="Per band" head={['Band', 'Imported', 'Exported', 'Billed', 'Export credit']}>
              {bands.map(([m, b]) => (
                <tr key={m}>
                  <td>{bandLabel(m)}</td>
                  <td className="num">{kwh(b.importWh)}</td>
                  <td className="num">{kwh(b.exportWh)}</td>
                  <td className="num">{usde(b.billed)}</td>
                  <td className="num">{usde(b.credit)}</td>
                </tr>
              ))}
            </Table>
          </>
        )}
      </Card>
    </Page>
  );
}

function Bills() {
  const owner = useOwner();
  const bills = useApi<{ items: BillSummary[] }>(ownerPath(owner, '/bills'));
  const [selected, setSelected] = useState<string | null>(null);
  const items = bills.data?.items ?? [];
  const current = selected ?? items[0]?.period ?? null;
  const statement = useApi<Statement>(current ? ownerPath(owner, `/bills/${current}`) : null);
  const { notify } = useAppState();
  const get = async (fmt: 'csv' | 'pdf') => {
    if (!current) return;
    try {
      const size = await download(ownerPath(owner, `/bills/${current}/${fmt}`), `openvpp-bill-${current}.${fmt}`);
      notify(`Downloaded the ${fmt.toUpperCase()} bill (${size} bytes)`);
    } catch (e) {
      notify(`Download failed — ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  };
  const s = statement.data;
  return (
    <Page title="Bills">
      <Status loaded={bills} />
      <Card title="Months">
        {items.length === 0 ? (
          <Empty>No bills yet.</Empty>
        ) : (
          <Table caption="Bills per month" head={['Month', 'Billed', 'Export credit', 'Export paid', 'Rewards', 'Net']}>
            {items.map((b) => (
              <tr key={b.period} aria-selected={b.period === current}>
                <td>
                  <button type="button" className="link" onClick={() => setSelected(b.period)}>
                    {b.period}
                  </button>
                </td>
                <td className="num">{units(b.billed)}</td>
                <td className="num">{units(b.exportCredit)}</td>
                <td className="num">{units(b.exportPaid)}</td>
                <td className="num">{units(b.rewards)}</td>
                <td className="num" data-testid={`bill-net-${b.period}`}>
                  {units(b.net)}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {current && (
        <Card title={`Statement ${current}`}>
          <div className="actions">
            <button type="button" className="btn secondary" onClick={() => void get('csv')}>
              Download CSV
            </button>
            <button type="button" className="btn secondary" data-testid="bill-pdf" onClick={() => void get('pdf')}>
              Download PDF
            </button>
          </div>
          <Status loaded={statement} />
          {s && (
            <>
              <Stats>
                <Stat label="Billed" value={usde(s.totals.billed)} testId="statement-billed" />
                <Stat label="Export credit" value={usde(s.totals.exportCredit)} />
                <Stat label="Export paid" value={usde(s.totals.exportPaid)} />
                <Stat label="DR rewards" value={usde(s.totals.rewards)} />
                <Stat label="Fees" value={usde(s.totals.fees)} />
                <Stat label="Net" value={usde(s.totals.net)} testId="statement-net" />
                <Stat label="Export owed at end" value={usde(s.exportOwedAtEnd)} />
              </Stats>
              <Table
                caption={`Statement lines ${current}`}
                head={['When', 'Line', 'Device', 'Band', 'Energy', 'Price /kWh', 'Amount', 'Transaction']}
              >
                {s.lines.map((l, i) => (
                  <tr key={`${l.signature}-${i}`}>
                    <td>{when(l.intervalStart ?? l.blockTime)}</td>
                    <td>{kindLabel(l.kind)}</td>
                    <td>{short(l.device)}</td>
                    <td>{l.bandStartMinute != null ? minuteOfDay(l.bandStartMinute) : ''}</td>
                    <td className="num">
                      {l.importWh ? kwh(l.importWh) : ''}
                      {l.exportWh ? kwh(l.exportWh) : ''}
                    </td>
                    <td className="num">{l.price != null ? units(l.price) : ''}</td>
                    <td className="num">{units(l.amount)}</td>
                    <td>
                      <code title={l.signature}>{short(l.signature, 6)}</code>
                    </td>
                  </tr>
                ))}
              </Table>
            </>
          )}
        </Card>
      )}
    </Page>
  );
}

function Rewards() {
  const owner = useOwner();
  const [cursor, setCursor] = useState<string | null>(null);
  const history = useApi<PageOf<HistoryItem>>(ownerPath(owner, `/history${q({ limit: 200, cursor })}`));
  const rewards = (history.data?.items ?? []).filter((i) => i.kind === 'dr_reward');
  const total = rewards.reduce((s, r) => s + BigInt(r.amount ?? '0'), 0n);
  return (
    <Page title="Rewards">
      <Status loaded={history} />
      <Card title="Demand-response rewards">
        <Stats>
          <Stat label="Earned (shown)" value={usde(total)} testId="rewards-total" />
          <Stat label="Payouts" value={rewards.length} />
        </Stats>
        <HistoryTable items={rewards} />
        <Pager next={history.data?.next ?? null} onMore={setCursor} />
      </Card>
    </Page>
  );
}
