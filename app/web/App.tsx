// The shell: wallet sign-in (sign the service's challenge → session token), navigation by hash
// route, the live feed (server-sent events) that refreshes the views when a reading settles.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { apiGet, apiPost, type Session, setToken } from './lib/api';
import { b64 } from './lib/tx';
import { connect, type Connected, disconnect, signMessage, type SolanaWallet, watchWallets } from './lib/wallet';
import { short } from './lib/format';
import { AppContext, type AppState, errorText } from './ui';
import { OwnerViews, OWNER_ROUTES } from './views/owner';
import { UtilityViews, UTILITY_ROUTES } from './views/utility';

function useHashRoute(): string {
  const [route, setRoute] = useState(() => location.hash.replace(/^#/, '') || '/');
  useEffect(() => {
    const on = () => setRoute(location.hash.replace(/^#/, '') || '/');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

async function signIn(conn: Connected): Promise<Session> {
  const addr = conn.account.address;
  const challenge = await apiGet<{ message: string; expiresAt: number }>(
    `/v1/auth/challenge?address=${encodeURIComponent(addr)}`,
  );
  const signature = await signMessage(conn, new TextEncoder().encode(challenge.message));
  return apiPost<Session>('/v1/auth/session', {
    address: addr,
    message: challenge.message,
    signature: b64.encode(signature),
  });
}

// The session survives a reload of the tab (sessionStorage: this tab only, gone when it closes);
// the wallet is found again by name, its account by address.
const STORED = 'openvpp.session';

interface Stored {
  session: Session;
  wallet: string;
}

function stored(): Stored | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORED) ?? 'null') as Stored | null;
    return s && s.session.expiresAt > Date.now() / 1000 ? s : null;
  } catch {
    return null;
  }
}

function store(s: Stored | null): void {
  try {
    if (s) sessionStorage.setItem(STORED, JSON.stringify(s));
    else sessionStorage.removeItem(STORED);
  } catch {
    // storage unavailable (private mode): sessions last until the tab reloads
  }
}

function SignIn({ onSignedIn }: { onSignedIn: (s: Session, c: Connected) => void }) {
  const [wallets, setWallets] = useState<SolanaWallet[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => watchWallets(setWallets), []);
  // Resume a stored session once its wallet is registered again and still holds the account.
  const [resume, setResume] = useState(stored);
  useEffect(() => {
    if (!resume) return;
    const w = wallets.find((x) => x.name === resume.wallet);
    const account = w?.accounts.find((a) => a.address === resume.session.address);
    if (w && account) {
      setResume(null);
      onSignedIn(resume.session, { wallet: w, account });
    }
  }, [wallets, resume, onSignedIn]);
  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <h1>OpenVPP World</h1>
        <p>
          Your devices, readings, bills and rewards — and, for utilities, programs, tariffs and payouts. Sign in with a
          Solana wallet: you sign a one-time message, nothing is sent on chain and no SOL is needed.
        </p>
        {wallets.length === 0 && (
          <p className="notice" role="status">
            No wallet found. Install a Solana wallet that supports Wallet Standard, or open this page in your
            wallet&apos;s browser.
          </p>
        )}
        <ul className="wallets" aria-label="Wallets">
          {wallets.map((w) => (
            <li key={w.name}>
              <button
                type="button"
                className="btn primary wallet-btn"
                disabled={busy !== null}
                aria-busy={busy === w.name}
                onClick={async () => {
                  setBusy(w.name);
                  setError(null);
                  try {
                    const conn = await connect(w);
                    const session = await signIn(conn);
                    onSignedIn(session, conn);
                  } catch (e) {
                    setError(errorText(e));
                  } finally {
                    setBusy(null);
                  }
                }}
              >
                {w.icon && <img src={w.icon} alt="" width={24} height={24} />}
                {busy === w.name ? 'Check your wallet…' : `Sign in with ${w.name}`}
              </button>
            </li>
          ))}
        </ul>
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
      </div>
    </main>
  );
}

interface Toast {
  id: number;
  text: string;
  tone: 'ok' | 'error';
}

function useLive(session: Session | null, onEvent: (kind: string) => void): boolean {
  const [connected, setConnected] = useState(false);
  const cb = useRef(onEvent);
  cb.current = onEvent;
  useEffect(() => {
    if (!session || typeof EventSource === 'undefined') return;
    const es = new EventSource(`/v1/live?token=${encodeURIComponent(session.token)}`);
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(false);
    for (const kind of ['reading', 'dr_reward', 'enrollment', 'message']) {
      es.addEventListener(kind, () => cb.current(kind));
    }
    return () => es.close();
  }, [session]);
  return connected;
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [conn, setConn] = useState<Connected | null>(null);
  const [tick, setTick] = useState(0);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const route = useHashRoute();
  const mainRef = useRef<HTMLElement>(null);

  const notify = useCallback((text: string, tone: 'ok' | 'error' = 'ok') => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t.slice(-2), { id, text, tone }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), tone === 'error' ? 12_000 : 5_000);
  }, []);
  const bump = useCallback(() => setTick((t) => t + 1), []);
  // After an action: reload now, and again shortly, since the indexer sees the transaction a
  // moment after the chain confirms it.
  const refresh = useCallback(() => {
    bump();
    setTimeout(bump, 1500);
    setTimeout(bump, 4000);
  }, [bump]);
  const live = useLive(session, (kind) => {
    bump();
    if (kind === 'reading') notify('A reading settled');
    if (kind === 'dr_reward') notify('A DR reward was paid');
    if (kind === 'enrollment') notify('An enrollment changed');
  });

  // Focus the page heading on navigation, so keyboard and screen-reader users land on it.
  useEffect(() => {
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route]);

  const onSignedIn = useCallback((s: Session, c: Connected) => {
    const resumed = stored()?.session.token === s.token;
    setToken(s.token);
    setSession(s);
    setConn(c);
    store({ session: s, wallet: c.wallet.name });
    if (!resumed && s.role === 'utility' && !location.hash.startsWith('#/utility')) location.hash = '#/utility';
  }, []);

  const state: AppState | null = useMemo(
    () => (session && conn ? { session, conn, tick, refresh, notify } : null),
    [session, conn, tick, refresh, notify],
  );

  if (!state) {
    return <SignIn onSignedIn={onSignedIn} />;
  }

  const isUtility = route.startsWith('/utility');
  const canUtility = state.session.utilities.length > 0 || state.session.role === 'utility';
  // One section's navigation at a time (it fits a phone), with a switch to the other.
  const routes = isUtility ? UTILITY_ROUTES : OWNER_ROUTES;
  const other = isUtility
    ? { path: '/', label: 'My devices →' }
    : canUtility
      ? { path: '/utility', label: 'Utility console →' }
      : null;
  return (
    <AppContext.Provider value={state}>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="#/">
          OpenVPP World
        </a>
        <span className={`live ${live ? 'on' : 'off'}`} role="status" aria-live="polite" data-testid="live">
          {live ? 'Live' : 'Offline'}
        </span>
        <span className="who" title={state.session.address}>
          {state.session.role === 'utility' ? 'Utility' : 'Owner'} · {short(state.session.address)}
        </span>
        <button
          type="button"
          className="btn secondary small"
          onClick={async () => {
            await disconnect(state.conn).catch(() => undefined);
            store(null);
            setToken(null);
            setSession(null);
            setConn(null);
          }}
        >
          Sign out
        </button>
      </header>
      <nav className="nav" aria-label="Sections">
        <ul>
          {routes.map((r) => (
            <li key={r.path}>
              <a href={`#${r.path}`} aria-current={route === r.path ? 'page' : undefined}>
                {r.label}
              </a>
            </li>
          ))}
          {other && (
            <li className="switch">
              <a href={`#${other.path}`}>{other.label}</a>
            </li>
          )}
        </ul>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {isUtility ? <UtilityViews route={route} /> : <OwnerViews route={route} />}
      </main>
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <p key={t.id} className={`toast ${t.tone}`} data-testid="toast">
            {t.text}
          </p>
        ))}
      </div>
    </AppContext.Provider>
  );
}
