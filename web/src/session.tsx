/** Who is signed in: loaded once from /auth/me, changed by login and logout. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type JSX, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { api, ApiError } from './api/client.ts';

export type Role = 'admin' | 'analyst' | 'documenter' | 'monitor' | 'viewer';

export interface SessionUser {
  id: string;
  username: string;
  displayName?: string | null;
  role: Role;
}

export interface Session {
  user: SessionUser | null;
  loading: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Holds the session for the whole app; asks the API who is signed in when the app opens. */
export function SessionProvider(props: { children: ReactNode }): JSX.Element {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    // Without the CSRF cookie there is no session to ask about: skip the call so an anonymous
    // visitor of the public site never touches a signed-in route.
    if (!document.cookie.split(';').some((c) => c.trim().startsWith('vigil_csrf='))) {
      setLoading(false);
      return;
    }
    api<{ user: SessionUser }>('GET', '/auth/me').then(
      (me) => { setUser(me.user); setLoading(false); },
      () => { setUser(null); setLoading(false); },
    );
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const signed = await api<{ user: SessionUser }>('POST', '/auth/login', { username, password });
    setUser(signed.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('POST', '/auth/logout');
    } catch (err) {
      // An expired session is already signed out; anything else is still worth showing.
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
    } finally {
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, loading, login, logout }), [user, loading, login, logout]);
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

/** The current session; use inside SessionProvider. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Shows its children to a signed-in user with one of `roles` (any role when omitted); otherwise sends them to /login. */
export function RequireRole(props: { roles?: string[]; children: ReactNode }): JSX.Element {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading) return <p role="status" className="muted">…</p>;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (props.roles && !props.roles.includes(user.role)) return <Forbidden />;
  return <>{props.children}</>;
}

function Forbidden(): JSX.Element {
  const { t } = useTranslation('common');
  return <p role="alert" className="notice">{t('forbidden')}</p>;
}
