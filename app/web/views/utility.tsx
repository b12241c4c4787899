// Utility console: home (today, escrow and debt, programs, devices by status), the enrollment
// queue (approve / reject), routes and their attestation, tariffs (publish a revision, schedule),
// DR events (create, pay participants, payouts), revenue per day, devices by status.
import { useEffect, useMemo, useState } from 'react';

import { Chart } from '../Chart';
import {
  apiGet,
  type DrEvent,
  type Enrollment,
  type OwnerDevice,
  type Page as PageOf,
  q,
  type RevenueDay,
  type Tariff,
  type UtilityDevice,
  type UtilityHome,
} from '../lib/api';
import {
  daysAgo,
  enumLabel,
  isoMinute,
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

export const UTILITY_ROUTES = [
  { path: '/utility', label: 'Utility' },
  { path: '/utility/enrollments', label: 'Enrollments' },
  { path: '/utility/routes', label: 'Routes' },
  { path: '/utility/tariffs', label: 'Tariffs' },
  { path: '/utility/dr', label: 'DR events' },
  { path: '/utility/revenue', label: 'Revenue' },
  { path: '/utility/devices', label: 'Fleet' },
];

export function UtilityViews({ route }: { route: string }) {
  const { session } = useAppState();
  const [utility, setUtility] = useState(session.utilities[0] ?? '');
  if (!utility) {
    return (
      <Page title="Utility">
        <Empty>This wallet is not the authority of any utility.</Empty>
      </Page>
    );
  }
  const picker =
    session.utilities.length > 1 ? (
      <label className="picker">
        Utility{' '}
        <select value={utility} onChange={(e) => setUtility(e.target.value)}>
          {session.utilities.map((u) => (
            <option key={u} value={u}>
              {short(u, 6)}
            </option>
          ))}
        </select>
      </label>
    ) : null;
  const props = { utility, picker };
  switch (route) {
    case '/utility/enrollments':
      return <Enrollments {...props} />;
    case '/utility/routes':
      return <Routes {...props} />;
    case '/utility/tariffs':
      return <Tariffs {...props} />;
    case '/utility/dr':
      return <DrEvents {...props} />;
    case '/utility/revenue':
      return <Revenue {...props} />;
    case '/utility/devices':
      return <Fleet {...props} />;
    default:
      return <UtilityHomeView {...props} />;
  }
}

interface ViewProps {
  utility: string;
  picker: React.ReactNode;
}

const upath = (utility: string, rest = '') => `/v1/utilities/${utility}${rest}`;

function UtilityHomeView({ utility, picker }: ViewProps) {
  const home = useApi<UtilityHome>(upath(utility));
  const h = home.data;
  return (
    <Page title={h ? h.name : 'Utility'} actions={picker}>
      <Status loaded={home} />
      {h && (
        <>
          <Card title="Today">
            <Stats>
              <Stat label="Revenue" value={usde(h.today.revenue)} testId="u-today-revenue" />
              <Stat label="Export paid" value={usde(h.today.exportPaid)} />
              <Stat label="DR rewards paid" value={usde(h.today.rewardsPaid)} />
              <Stat label="Readings settled" value={h.today.readings} />
            </Stats>
          </Card>
          <Card title="Export escrow and debt">
            <Stats>
              <Stat label="Escrow balance" value={usde(h.escrow.balance)} />
              <Stat label="Owed to owners" value={usde(h.escrow.owed)} hint="export credit not yet paid" />
              <Stat
                label="Withdrawal pending"
                value={
                  typeof h.escrow.withdrawPending === 'string'
                    ? usde(h.escrow.withdrawPending)
                    : h.escrow.withdrawPending
                      ? 'yes'
                      : 'no'
                }
              />
            </Stats>
          </Card>
          <Card title="Programs">
            {h.programs.length === 0 ? (
              <Empty>No programs.</Empty>
            ) : (
              <Table caption="Programs" head={['Program', 'Kind', 'Enrollment', 'Enrolled']}>
                {h.programs.map((p) => (
                  <tr key={p.program}>
                    <td>
                      {p.name} <code className="muted">{short(p.program)}</code>
                    </td>
                    <td>{enumLabel(p.kind)}</td>
                    <td>
                      {p.open !== undefined && (
                        <Badge tone={p.open ? 'ok' : 'warn'}>{p.open ? 'open' : 'closed'}</Badge>
                      )}
                    </td>
                    <td className="num">{p.enrolled ?? ''}</td>
                  </tr>
                ))}
              </Table>
            )}
          </Card>
          <Card title="Devices by status">
            <Stats>
              {Object.entries(h.devicesByStatus).map(([k, v]) => (
                <Stat key={k} label={k} value={v} />
              ))}
            </Stats>
            <a href="#/utility/devices">Open the fleet</a>
          </Card>
        </>
      )}
    </Page>
  );
}

function Enrollments({ utility, picker }: ViewProps) {
  const { conn } = useAppState();
  const [status, setStatus] = useState('requested');
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useApi<PageOf<Enrollment>>(upath(utility, `/enrollments${q({ status, cursor })}`));
  const items = list.data?.items ?? [];
  return (
    <Page title="Enrollment queue" actions={picker}>
      <StatusTabs
        label="Enrollment status"
        value={status}
        options={['requested', 'approved', 'rejected', 'revoked']}
        onChange={(s) => {
          setStatus(s);
          setCursor(null);
        }}
      />
      <Status loaded={list} />
      {items.length === 0 ? (
        <Empty>No {status} enrollments.</Empty>
      ) : (
        <Table caption={`${status} enrollments`} head={['Device', 'Owner', 'Program', 'Updated', 'Status', 'Decision']}>
          {items.map((e) => (
            <tr key={e.enrollment} data-testid="enrollment-row">
              <td>
                <code>{short(e.device)}</code>
              </td>
              <td>
                <code>{short(e.owner)}</code>
              </td>
              <td>{e.programName ?? short(e.program)}</td>
              <td>{when(e.updatedAt)}</td>
              <td>
                <Badge tone={statusTone(e.status)}>{e.status}</Badge>
              </td>
              <td className="actions">
                {e.status === 'requested' && e.device && (
                  <>
                    <Action
                      label="Approve"
                      testId="approve"
                      run={() => tx.enrollmentDecide(conn, utility, e.program, e.device!, true)}
                    />
                    <Action
                      label="Reject"
                      kind="danger"
                      run={() => tx.enrollmentDecide(conn, utility, e.program, e.device!, false)}
                    />
                  </>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager next={list.data?.next ?? null} onMore={setCursor} />
    </Page>
  );
}

function StatusTabs({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
}) {
  return (
    <div className="tabs" role="group" aria-label={label}>
      {options.map((o) => (
        <button
          key={o}
          type="button"
          className={`tab ${o === value ? 'on' : ''}`}
          aria-pressed={o === value}
          onClick={() => onChange(o)}
        >
          {o}
        </button>
      ))}
    </div>
  );
}

/** Routes live on the enrollments: read through the owners' device views (a utility reads its customers'). */
function useCustomerEnrollments(utility: string) {
  const { tick } = useAppState();
  const devices = useApi<PageOf<UtilityDevice>>(upath(utility, `/devices${q({ limit: 200 })}`));
  const owners = useMemo(
    () => [...new Set((devices.data?.items ?? []).map((d) => d.owner).filter((o): o is string => !!o))],
    [devices.data],
  );
  const [rows, setRows] = useState<{ device: OwnerDevice; e: Enrollment }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all(owners.map((o) => apiGet<PageOf<OwnerDevice>>(`/v1/owners/${o}/devices${q({ limit: 200 })}`))).then(
      (pages) => {
        if (!live) return;
        setRows(
          pages.flatMap((p) =>
            p.items.flatMap((device) =>
              device.enrollments.filter((e) => e.utility === utility).map((e) => ({ device, e })),
            ),
          ),
        );
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [owners, utility, tick]);
  return { devices, rows, error };
}

function Routes({ utility, picker }: ViewProps) {
  const { devices, rows, error } = useCustomerEnrollments(utility);
  return (
    <Page title="Routes and attestation" actions={picker}>
      <Status loaded={devices} />
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <Card title="Enrolled devices">
        {rows && rows.length === 0 && <Empty>No enrolled devices.</Empty>}
        {rows && rows.length > 0 && (
          <Table
            caption="Routes"
            head={['Device', 'Program', 'Enrollment', 'Protocol', 'Endpoint', 'Route expires', 'Attestation']}
          >
            {rows.map(({ device: d, e }) => (
              <tr key={e.enrollment}>
                <td>
                  <code>{short(d.device)}</code>
                </td>
                <td>{e.programName ?? short(e.program)}</td>
                <td>
                  <Badge tone={statusTone(e.status)}>{e.status}</Badge>
                </td>
                <td>{e.route?.protocol ?? <span className="muted">no route</span>}</td>
                <td>{e.route ? <code>{e.route.endpoint}</code> : ''}</td>
                <td>{when(e.route?.expiresAt)}</td>
                <td>
                  {e.route && (
                    <Badge tone={statusTone(e.route.attestation?.status ?? 'none')}>
                      {e.route.attestation?.status ?? 'none'}
                      {e.route.attestation?.expiresAt ? ` until ${when(e.route.attestation.expiresAt)}` : ''}
                    </Badge>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </Page>
  );
}

function Tariffs({ utility, picker }: ViewProps) {
  const list = useApi<{ items: Tariff[] }>(upath(utility, '/tariffs'));
  const items = list.data?.items ?? [];
  return (
    <Page title="Tariffs" actions={picker}>
      <Status loaded={list} />
      {list.data && items.length === 0 && <Empty>No tariffs.</Empty>}
      {items.map((t) => (
        <TariffCard key={t.tariff} utility={utility} t={t} />
      ))}
    </Page>
  );
}

function TariffCard({ utility, t }: { utility: string; t: Tariff }) {
  const { conn } = useAppState();
  const [rows, setRows] = useState(() =>
    t.intervals.map((i) => ({
      startMinute: i.startMinute,
      importPrice: units(i.importPrice).replace(/,/g, ''),
      exportPrice: units(i.exportPrice).replace(/,/g, ''),
    })),
  );
  // The next whole hour after the next one, on the cluster's clock.
  const [from, setFrom] = useClockDefault((now) => isoMinute(Math.ceil(now / 3600) * 3600 + 3600));
  const [cap, setCap] = useState(() => ({
    maxCredit: units(t.exportCap?.maxCredit ?? '4000000').replace(/,/g, ''),
    days: String((t.exportCap?.periodSecs ?? 86_400) / 86_400),
  }));
  return (
    <Card title={`${t.name ?? `Tariff ${t.tariffId ?? ''}`} · revision ${t.revision}`} id={`tariff-${t.tariff}`}>
      <p className="muted">
        <code>{t.tariff}</code>
        {t.intervalSecs ? <> · readings every {periodLabel(t.intervalSecs)}</> : null}
        {t.escrow && (
          <>
            {' '}
            · export escrow {usde(t.escrow.balance)}, owed {usde(t.escrow.owed)}
          </>
        )}
        {t.exportCap && (
          <>
            {' '}
            · export credit cap {usde(t.exportCap.maxCredit)} per {periodLabel(t.exportCap.periodSecs)}
          </>
        )}
      </p>
      <Table caption="Prices in force" head={['From', 'Import /kWh', 'Export /kWh']}>
        {t.intervals.map((i) => (
          <tr key={i.startMinute}>
            <td>{minuteOfDay(i.startMinute)}</td>
            <td className="num">{usde(i.importPrice)}</td>
            <td className="num">{usde(i.exportPrice)}</td>
          </tr>
        ))}
      </Table>
      {t.revisions && t.revisions.length > 0 && (
        <>
          <h3>Schedule</h3>
          <Table caption="Revisions" head={['Revision', 'In force from', 'Until', 'Published']}>
            {t.revisions.map((r, i, all) => (
              <tr key={r.revision} data-testid="tariff-revision">
                <td>{r.revision}</td>
                <td>{r.effectiveFrom === 0 ? 'the start' : when(r.effectiveFrom)}</td>
                <td>{all[i + 1] ? when(all[i + 1].effectiveFrom) : 'further notice'}</td>
                <td>{when(r.publishedAt)}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
      <details className="inline-form">
        <summary>Publish a revision</summary>
        <ActionForm
          label="Publish revision"
          testId="tariff-form"
          run={() => {
            const effectiveFrom = Math.floor(Date.parse(`${from}:00Z`) / 1000);
            if (!Number.isFinite(effectiveFrom)) throw new Error('Choose when the revision takes effect');
            return tx.tariffPublish(
              conn,
              utility,
              t.tariff,
              t.revision,
              effectiveFrom,
              rows.map((r) => ({
                startMinute: r.startMinute,
                importPrice: parseUnits(r.importPrice),
                exportPrice: parseUnits(r.exportPrice),
              })),
              { maxCredit: parseUnits(cap.maxCredit), periodSecs: Math.round(Number(cap.days) * 86_400) },
            );
          }}
        >
          <Field label="In force from (UTC)" hint="Not in the past; prices never change retroactively.">
            {(id, hint) => (
              <input
                id={id}
                aria-describedby={hint}
                type="datetime-local"
                value={from}
                onChange={(e) => setFrom(e.target.value)}
              />
            )}
          </Field>
          <fieldset className="row">
            <legend>Export credit cap per device</legend>
            <Field label="Most credit (USDE)">
              {(id) => (
                <input
                  id={id}
                  inputMode="decimal"
                  value={cap.maxCredit}
                  onChange={(e) => setCap({ ...cap, maxCredit: e.target.value })}
                />
              )}
            </Field>
            <Field label="Per (days)">
              {(id) => (
                <input
                  id={id}
                  inputMode="numeric"
                  value={cap.days}
                  onChange={(e) => setCap({ ...cap, days: e.target.value })}
                />
              )}
            </Field>
          </fieldset>
          {rows.map((r, i) => (
            <fieldset key={r.startMinute} className="row">
              <legend>Band from {minuteOfDay(r.startMinute)}</legend>
              <Field label="Import USDE/kWh">
                {(id) => (
                  <input
                    id={id}
                    inputMode="decimal"
                    value={r.importPrice}
                    onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, importPrice: e.target.value } : x)))}
                  />
                )}
              </Field>
              <Field label="Export USDE/kWh">
                {(id) => (
                  <input
                    id={id}
                    inputMode="decimal"
                    value={r.exportPrice}
                    onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, exportPrice: e.target.value } : x)))}
                  />
                )}
              </Field>
            </fieldset>
          ))}
        </ActionForm>
      </details>
    </Card>
  );
}

function DrEvents({ utility, picker }: ViewProps) {
  const { conn } = useAppState();
  const list = useApi<{ items: DrEvent[] }>(upath(utility, '/dr-events'));
  const devices = useApi<PageOf<UtilityDevice>>(upath(utility, `/devices${q({ limit: 200 })}`));
  const items = list.data?.items ?? [];
  const nextId = items.reduce((m, e) => Math.max(m, e.eventId), 0) + 1;
  const [start, setStart] = useClockDefault((now) => isoMinute(Math.ceil(now / 60) * 60));
  const [form, setForm] = useState(() => ({
    hours: '2',
    reward: '0.5',
    budget: '100',
  }));
  const payouts = items.flatMap((e) => (e.payouts ?? []).map((p) => ({ e, p })));
  return (
    <Page title="DR events" actions={picker}>
      <Status loaded={list} />
      <Card title="Events">
        {items.length === 0 ? (
          <Empty>No DR events.</Empty>
        ) : (
          <Table caption="DR events" head={['Event', 'Window', 'Reward /kWh', 'Budget', 'Paid', 'Participants']}>
            {items.map((e) => (
              <tr key={e.event} data-testid="dr-event-row">
                <td>#{e.eventId}</td>
                <td>
                  {when(e.start)} – {when(e.end)}
                </td>
                <td className="num">{units(e.rewardPerKwh)}</td>
                <td className="num">{units(e.budget)}</td>
                <td className="num" data-testid={`dr-paid-${e.eventId}`}>
                  {units(e.paid)}
                </td>
                <td className="num">{e.participants}</td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title="Create an event">
        <ActionForm
          label="Create DR event"
          testId="dr-form"
          run={() => {
            const startAt = Math.floor(Date.parse(`${start}:00Z`) / 1000);
            if (!Number.isFinite(startAt)) throw new Error('Choose when the event starts');
            return tx.drEventCreate(conn, utility, {
              eventId: nextId,
              start: startAt,
              end: startAt + Math.round(Number(form.hours) * 3600),
              rewardPerKwh: parseUnits(form.reward),
              budget: parseUnits(form.budget),
            });
          }}
        >
          <Field label="Starts (UTC)">
            {(id) => <input id={id} type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />}
          </Field>
          <Field label="Duration (hours)">
            {(id) => (
              <input
                id={id}
                inputMode="decimal"
                value={form.hours}
                onChange={(e) => setForm({ ...form, hours: e.target.value })}
              />
            )}
          </Field>
          <Field label="Reward (USDE per kWh of flexibility)">
            {(id) => (
              <input
                id={id}
                inputMode="decimal"
                value={form.reward}
                onChange={(e) => setForm({ ...form, reward: e.target.value })}
              />
            )}
          </Field>
          <Field label="Budget (USDE, escrowed now)">
            {(id) => (
              <input
                id={id}
                inputMode="decimal"
                value={form.budget}
                onChange={(e) => setForm({ ...form, budget: e.target.value })}
              />
            )}
          </Field>
        </ActionForm>
      </Card>
      <Card title="Payouts">
        {payouts.length === 0 ? (
          <Empty>No payouts yet.</Empty>
        ) : (
          <Table caption="Payouts" head={['Event', 'Device', 'Owner', 'Flexibility', 'Amount', 'When', 'Transaction']}>
            {payouts.map(({ e, p }) => (
              <tr key={p.signature} data-testid="dr-payout-row">
                <td>#{e.eventId}</td>
                <td>
                  <code>{short(p.device)}</code>
                </td>
                <td>
                  <code>{short(p.owner)}</code>
                </td>
                <td className="num">{kwh(p.flexWh)}</td>
                <td className="num">{usde(p.amount)}</td>
                <td>{when(p.blockTime)}</td>
                <td>
                  <code title={p.signature}>{short(p.signature, 6)}</code>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {items.length > 0 && (
        <Card title="Pay a participant">
          <p className="muted">
            Rewards are paid once an event has ended, per kWh of flexibility the device delivered, from the event&apos;s
            escrowed budget.
          </p>
          <PayForm utility={utility} events={items} devices={devices.data?.items ?? []} />
        </Card>
      )}
    </Page>
  );
}

function PayForm({ utility, events, devices }: { utility: string; events: DrEvent[]; devices: UtilityDevice[] }) {
  const { conn } = useAppState();
  const owned = devices.filter((d) => d.owner);
  const [event, setEvent] = useState(events[0]?.event ?? '');
  const [device, setDevice] = useState('');
  const [flex, setFlex] = useState('2');
  const chosen = owned.find((d) => d.device === device) ?? owned[0];
  return (
    <ActionForm
      label="Pay reward"
      testId="dr-pay-form"
      run={() => {
        if (!chosen?.owner) throw new Error('Choose a device');
        return tx.drRewardPay(
          conn,
          utility,
          event || events[0].event,
          chosen.device,
          chosen.owner,
          BigInt(Math.round(Number(flex) * 1000)),
        );
      }}
    >
      <Field label="Event">
        {(id) => (
          <select id={id} value={event} onChange={(e) => setEvent(e.target.value)}>
            {events.map((e) => (
              <option key={e.event} value={e.event}>
                #{e.eventId}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Device">
        {(id) => (
          <select id={id} value={chosen?.device ?? ''} onChange={(e) => setDevice(e.target.value)}>
            {owned.map((d) => (
              <option key={d.device} value={d.device}>
                {short(d.device)} (owner {short(d.owner)})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Flexibility delivered (kWh)">
        {(id) => <input id={id} inputMode="decimal" value={flex} onChange={(e) => setFlex(e.target.value)} />}
      </Field>
    </ActionForm>
  );
}

function Revenue({ utility, picker }: ViewProps) {
  const [from, setFrom] = useClockDefault((now) => daysAgo(29, now));
  const [to, setTo] = useClockDefault(today);
  const rev = useApi<{ days: RevenueDay[] } | { items: RevenueDay[] }>(upath(utility, `/revenue${q({ from, to })}`));
  const days = rev.data ? ('days' in rev.data ? rev.data.days : rev.data.items) : [];
  const chart = useMemo(
    () => ({
      categories: days.map((d) => d.day.slice(5)),
      series: [
        { name: 'Revenue USDE', values: days.map((d) => Number(BigInt(d.revenue)) / 1e6), color: '#1d4ed8' },
        {
          name: 'Export paid USDE',
          values: days.map((d) => Number(BigInt(d.exportPaid ?? '0')) / 1e6),
          color: '#15803d',
        },
        {
          name: 'Rewards USDE',
          values: days.map((d) => Number(BigInt(d.rewardsPaid ?? '0')) / 1e6),
          color: '#a16207',
        },
      ],
    }),
    [days],
  );
  return (
    <Page title="Revenue" actions={picker}>
      <form className="form row" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
        <Field label="From">
          {(id) => <input id={id} type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label="To">
          {(id) => <input id={id} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />}
        </Field>
      </form>
      <Status loaded={rev} />
      <Card title="Per day">
        {days.length === 0 ? (
          <Empty>No revenue in this range.</Empty>
        ) : (
          <Chart label="Revenue per day" unit="USDE" {...chart} />
        )}
        {days.length > 0 && (
          <Table caption="Revenue per day" head={['Day', 'Revenue', 'Export paid', 'Rewards', 'Readings', 'Energy']}>
            {days.map((d) => (
              <tr key={d.day}>
                <td>{d.day}</td>
                <td className="num">{units(d.revenue)}</td>
                <td className="num">{units(d.exportPaid ?? '0')}</td>
                <td className="num">{units(d.rewardsPaid ?? '0')}</td>
                <td className="num">{d.readings ?? ''}</td>
                <td className="num">
                  {d.importWh !== undefined ? `↓ ${kwh(d.importWh)}` : ''} {d.exportWh ? `↑ ${kwh(d.exportWh)}` : ''}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </Page>
  );
}

function Fleet({ utility, picker }: ViewProps) {
  const [status, setStatus] = useState('active');
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useApi<PageOf<UtilityDevice>>(upath(utility, `/devices${q({ status, cursor })}`));
  const items = list.data?.items ?? [];
  return (
    <Page title="Fleet" actions={picker}>
      <StatusTabs
        label="Device status"
        value={status}
        options={['active', 'suspended', 'revoked']}
        onChange={(s) => {
          setStatus(s);
          setCursor(null);
        }}
      />
      <Status loaded={list} />
      {items.length === 0 ? (
        <Empty>No {status} devices.</Empty>
      ) : (
        <Table caption={`${status} devices`} head={['Device', 'Kind', 'Owner', 'Status']}>
          {items.map((d) => (
            <tr key={d.device}>
              <td>
                <code>{short(d.device)}</code>
              </td>
              <td>{enumLabel(d.kind)}</td>
              <td>
                <code>{short(d.owner)}</code>
              </td>
              <td>
                <Badge tone={statusTone(d.status)}>{d.status}</Badge>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager next={list.data?.next ?? null} onMore={setCursor} />
    </Page>
  );
}
