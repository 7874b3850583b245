/** Who is signed in: loaded once from /auth/me, changed by login and logout. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type JSX, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { api, ApiError, onSessionEnded } from './api/client.ts';
import { clearAllDrafts } from './drafts.ts';

type Role = 'admin' | 'analyst' | 'documenter' | 'monitor' | 'viewer';

interface SessionUser {
  id: string;
  username: string;
  displayName?: string | null;
  role: Role;
}

/** The second step of a sign-in: the app's code, or a recovery code. */
export type SecondFactor = { code: string } | { recoveryCode: string };

export interface Session {
  user: SessionUser | null;
  loading: boolean;
  /** The user's role must have a second factor and they have none yet: only enrolment is open. */
  mustEnrol: boolean;
  /** Signs in; rejects with ApiError `auth.second_factor_required` when the account needs a code. */
  login(username: string, password: string, factor?: SecondFactor): Promise<void>;
  logout(): Promise<void>;
  /** Called once the second factor is on. */
  enrolled(): void;
}

const SessionContext = createContext<Session | null>(null);

/** Holds the session for the whole app; asks the API who is signed in when the app opens. */
export function SessionProvider(props: { children: ReactNode }): JSX.Element {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [mustEnrol, setMustEnrol] = useState(false);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    // A session that ended (idle, revoked, expired) takes the drafts typed in it along.
    onSessionEnded(clearAllDrafts);
    // Without the CSRF cookie there is no session to ask about: skip the call so an anonymous
    // visitor of the public site never touches a signed-in route.
    if (!document.cookie.split(';').some((c) => c.trim().startsWith('vigil_csrf='))) {
      clearAllDrafts();
      setLoading(false);
      return;
    }
    api<{ user: SessionUser; mustEnrol: boolean }>('GET', '/auth/me').then(
      (me) => {
        setUser(me.user);
        setMustEnrol(me.mustEnrol);
        setLoading(false);
      },
      () => {
        clearAllDrafts();
        setUser(null);
        setLoading(false);
      },
    );
  }, []);

  const login = useCallback(async (username: string, password: string, factor?: SecondFactor) => {
    const signed = await api<{ user: SessionUser; mustEnrol: boolean }>('POST', '/auth/login', {
      username,
      password,
      ...factor,
    });
    setMustEnrol(signed.mustEnrol);
    setUser(signed.user);
  }, []);

  const enrolled = useCallback(() => setMustEnrol(false), []);

  const logout = useCallback(async () => {
    try {
      await api('POST', '/auth/logout');
    } catch (err) {
      // An expired session is already signed out; anything else is still worth showing.
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
    } finally {
      clearAllDrafts();
      setUser(null);
      setMustEnrol(false);
    }
  }, []);

  const value = useMemo(
    () => ({ user, loading, mustEnrol, login, logout, enrolled }),
    [user, loading, mustEnrol, login, logout, enrolled],
  );
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

/** The current session; use inside SessionProvider. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Where a user who must set up a second factor is sent, whatever they asked for. */
const SECURITY_PATH = '/work/account/security';

/**
 * Shows its children to a signed-in user with one of `roles` (any role when omitted); otherwise
 * sends them to /login, or to the security page while their role waits for a second factor.
 */
export function RequireRole(props: { roles?: string[]; children: ReactNode }): JSX.Element {
  const { user, loading, mustEnrol } = useSession();
  const location = useLocation();
  if (loading)
    return (
      <p role="status" className="muted">
        …
      </p>
    );
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (mustEnrol && location.pathname !== SECURITY_PATH) return <Navigate to={SECURITY_PATH} replace />;
  if (props.roles && !props.roles.includes(user.role)) return <Forbidden />;
  return <>{props.children}</>;
}

function Forbidden(): JSX.Element {
  const { t } = useTranslation('common');
  return (
    <p role="alert" className="notice">
      {t('forbidden')}
    </p>
  );
}
