import { useState, type FormEvent, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client.ts';
import { Field } from '../components/field.tsx';
import { useTitle } from '../components/status.tsx';
import { useSession } from '../session.tsx';

/** Only same-app paths are followed after sign-in, never another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/work';
}

/** Sign-in with username and password (the API sets the session cookie). */
export default function LoginPage(): JSX.Element {
  const { t } = useTranslation('login');
  useTitle(t('title'));
  const { user, login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState({ username: false, password: false });
  const next = safeNext(params.get('next'));

  if (user && !busy) return <Navigate to={next} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const missing = { username: username.trim() === '', password: password === '' };
    setMissing(missing);
    if (missing.username || missing.password) return;
    setBusy(true);
    try {
      await login(username.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'network';
      setError(code === 'auth.invalid_credentials' ? t('invalid') : code === 'auth.rate_limited' ? t('rateLimited') : code === 'network' ? t('network') : (err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="page narrow login-page">
      <h1>{t('title')}</h1>
      <p className="muted">{t('lead')}</p>
      <form onSubmit={(e) => void submit(e)} className="form" noValidate>
        {error ? <p role="alert" className="notice notice-error">{error}</p> : null}
        <Field label={t('username')} required error={missing.username ? t('required') : null}>
          {(id, describedBy) => (
            <input id={id} name="username" autoComplete="username" required value={username}
              aria-describedby={describedBy} aria-invalid={missing.username || undefined} onChange={(e) => setUsername(e.target.value)} autoFocus />
          )}
        </Field>
        <Field label={t('password')} required error={missing.password ? t('required') : null}>
          {(id, describedBy) => (
            <input id={id} name="password" type="password" autoComplete="current-password" required value={password}
              aria-describedby={describedBy} aria-invalid={missing.password || undefined} onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>{busy ? t('signingIn') : t('submit')}</button>
      </form>
    </section>
  );
}
