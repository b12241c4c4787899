// Small shared pieces: data loading, cards, stats, tables, labelled fields, action buttons.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useId, useMemo, useState } from 'react';

import { ApiError, apiGet, type NetworkInfo, type Session } from './lib/api';
import type { Connected } from './lib/wallet';

export interface AppState {
  session: Session;
  conn: Connected;
  /** Bumped by the live feed (a reading settled, a reward paid, ...): views reload. */
  tick: number;
  refresh: () => void;
  notify: (text: string, tone?: 'ok' | 'error') => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useAppState outside the signed-in app');
  return s;
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` (null: nothing yet), again whenever the live feed ticks or `reload()` is called. */
export function useApi<T>(path: string | null): Loaded<T> {
  const { tick } = useAppState();
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [n, setN] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    apiGet<T>(path).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (e: unknown) => live && setState((s) => ({ data: s.data, error: errorText(e), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [path, tick, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { ...state, reload };
}

/**
 * The cluster's unix time (seconds): the chain clock of GET /v1/network carried forward by the
 * browser's clock — "today" is the chain's day (a demo or test chain may run ahead of the wall
 * clock). The browser's own time until it loads.
 */
export function useClusterNow(): () => number {
  const net = useApi<NetworkInfo>('/v1/network');
  const offset = useMemo(() => (net.data ? net.data.clock.unixTimestamp - Date.now() / 1000 : 0), [net.data]);
  return useCallback(() => Date.now() / 1000 + offset, [offset]);
}

/** A form value whose default follows the cluster clock (`derive(now)`) until the user sets it. */
export function useClockDefault<T>(derive: (now: number) => T): [T, (v: T) => void] {
  const now = useClusterNow();
  const [chosen, setChosen] = useState<{ v: T } | null>(null);
  return [chosen ? chosen.v : derive(now()), useCallback((v: T) => setChosen({ v }), [])];
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return `${e.code}: ${e.message}`;
  if (e instanceof Error) return e.message;
  return String(e);
}

export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · OpenVPP World`;
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Card({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const hid = useId();
  return (
    <section className="card" aria-labelledby={hid} id={id}>
      <h2 id={hid}>{title}</h2>
      {children}
    </section>
  );
}

export function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: ReactNode;
  hint?: string;
  testId?: string;
}) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  );
}

export function Stats({ children }: { children: ReactNode }) {
  return <div className="stats">{children}</div>;
}

export function Status({ loaded }: { loaded: Loaded<unknown> }) {
  if (loaded.error)
    return (
      <p className="notice error" role="alert">
        {loaded.error}
      </p>
    );
  if (loaded.loading && loaded.data === null) return <p className="muted">Loading…</p>;
  return null;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}

export function Table({ caption, head, children }: { caption: string; head: string[]; children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: (id: string, describedBy?: string) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint && (
        <small id={hintId} className="muted">
          {hint}
        </small>
      )}
    </div>
  );
}

/**
 * Runs an async action once at a time: busy while it runs, its outcome announced (a signature
 * shortened), the views refreshed after success.
 */
function useRun(label: string, run?: () => Promise<string | void>): [boolean, () => Promise<void>] {
  const { notify, refresh } = useAppState();
  const [busy, setBusy] = useState(false);
  const start = async () => {
    if (!run) return;
    setBusy(true);
    try {
      const out = await run();
      notify(out ? `${label}: done (${out.slice(0, 12)}…)` : `${label}: done`);
      refresh();
    } catch (e) {
      notify(`${label} failed — ${errorText(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  return [busy, start];
}
/** A button that runs an async action, shows it is busy, and reports the outcome. */
export function Action({
  label,
  busyLabel,
  run,
  kind = 'primary',
  disabled,
  testId,
  type = 'button',
}: {
  label: string;
  busyLabel?: string;
  run?: () => Promise<string | void>;
  kind?: 'primary' | 'secondary' | 'danger';
  disabled?: boolean;
  testId?: string;
  type?: 'button' | 'submit';
}) {
  const [busy, start] = useRun(label, run);
  return (
    <button
      type={type}
      className={`btn ${kind}`}
      disabled={disabled || busy}
      aria-busy={busy}
      data-testid={testId}
      onClick={type === 'button' ? start : undefined}
    >
      {busy ? (busyLabel ?? 'Waiting for wallet…') : label}
    </button>
  );
}

/** A form whose submit runs an async action (Enter submits; the outcome is announced). */
export function ActionForm({
  label,
  run,
  children,
  testId,
}: {
  label: string;
  run: () => Promise<string | void>;
  children: ReactNode;
  testId?: string;
}) {
  const [busy, start] = useRun(label, run);
  return (
    <form
      className="form"
      aria-label={label}
      data-testid={testId}
      onSubmit={(ev) => {
        ev.preventDefault();
        void start();
      }}
    >
      {children}
      <button type="submit" className="btn primary" disabled={busy} aria-busy={busy}>
        {busy ? 'Waiting for wallet…' : label}
      </button>
    </form>
  );
}

export function Badge({ tone, children }: { tone?: 'ok' | 'warn' | 'bad' | 'info'; children: ReactNode }) {
  return <span className={`badge ${tone ?? 'info'}`}>{children}</span>;
}

export function statusTone(s: string | undefined | null): 'ok' | 'warn' | 'bad' | 'info' {
  switch (s) {
    case 'active':
    case 'approved':
    case 'valid':
      return 'ok';
    case 'pending':
    case 'requested':
    case 'suspended':
    case 'expired':
      return 'warn';
    case 'revoked':
    case 'rejected':
    case 'none':
      return 'bad';
    default:
      return 'info';
  }
}

export function Pager({ next, onMore }: { next: string | null; onMore: (cursor: string) => void }) {
  if (!next) return null;
  return (
    <button type="button" className="btn secondary" onClick={() => onMore(next)}>
      Load more
    </button>
  );
}
