import { useEffect, useRef, useState, type FormEvent, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client.ts';
import { Field } from '../components/field.tsx';
import { useTitle } from '../components/status.tsx';
import { useSession, type SecondFactor } from '../session.tsx';

/** Only same-app paths are followed after sign-in, never another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/work';
}

/**
 * Sign-in with username and password (the API sets the session cookie), then, for an account
 * with a second factor, a second step asking for the app's code or a recovery code.
 */
export default function LoginPage(): JSX.Element {
  const { t } = useTranslation('login');
  const { user, login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState({ username: false, password: false });
  const codeInput = useRef<HTMLInputElement>(null);
  const next = safeNext(params.get('next'));
  useTitle(step === 'code' ? t('factor.title') : t('title'));

  // biome-ignore lint/correctness/useExhaustiveDependencies: switching to a recovery code shows another input, which gets the focus too
  useEffect(() => {
    if (step === 'code') codeInput.current?.focus();
  }, [step, useRecovery]);

  if (user && !busy) return <Navigate to={next} replace />;

  function message(err: unknown): string {
    const c = err instanceof ApiError ? err.code : 'network';
    if (c === 'auth.invalid_credentials') return t('invalid');
    if (c === 'auth.rate_limited') return t('rateLimited');
    if (c === 'network') return t('network');
    return (err as Error).message;
  }

  async function attempt(factor?: SecondFactor) {
    setBusy(true);
    try {
      await login(username.trim(), password, factor);
      navigate(next, { replace: true });
    } catch (err) {
      const c = err instanceof ApiError ? err.code : 'network';
      if (c === 'auth.second_factor_required') {
        setStep('code');
      } else if (c === 'auth.second_factor_invalid' || (c === 'validation.invalid' && step === 'code')) {
        setCodeError(useRecovery ? t('factor.invalidRecovery') : t('factor.invalid'));
        codeInput.current?.focus();
      } else if (c === 'auth.invalid_credentials' && step === 'code') {
        // The password no longer works (changed meanwhile): start again from the first step.
        setStep('password');
        setError(message(err));
      } else {
        setError(message(err));
      }
    } finally {
      setBusy(false);
    }
  }

  async function submitPassword(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const missing = { username: username.trim() === '', password: password === '' };
    setMissing(missing);
    if (missing.username || missing.password) return;
    await attempt();
  }

  async function submitCode(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setCodeError(null);
    if (code.trim() === '') {
      setCodeError(t('required'));
      codeInput.current?.focus();
      return;
    }
    await attempt(useRecovery ? { recoveryCode: code.trim() } : { code: code.replace(/\s+/g, '') });
  }

  function startOver() {
    setStep('password');
    setPassword('');
    setCode('');
    setCodeError(null);
    setError(null);
    setUseRecovery(false);
  }

  if (step === 'code') {
    return (
      <section className="page narrow login-page">
        <h1>{t('factor.title')}</h1>
        <p className="muted">{useRecovery ? t('factor.leadRecovery') : t('factor.lead')}</p>
        <form onSubmit={(e) => void submitCode(e)} className="form" noValidate>
          {error ? (
            <p role="alert" className="notice notice-error">
              {error}
            </p>
          ) : null}
          <Field label={useRecovery ? t('factor.recoveryCode') : t('factor.code')} required error={codeError}>
            {(id, describedBy) => (
              <input
                id={id}
                ref={codeInput}
                name={useRecovery ? 'recoveryCode' : 'code'}
                required
                value={code}
                autoComplete={useRecovery ? 'off' : 'one-time-code'}
                inputMode={useRecovery ? 'text' : 'numeric'}
                spellCheck={false}
                maxLength={useRecovery ? 64 : 10}
                aria-describedby={describedBy}
                aria-invalid={codeError ? true : undefined}
                onChange={(e) => setCode(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('signingIn') : t('factor.submit')}
          </button>
          <p>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setUseRecovery(!useRecovery);
                setCode('');
                setCodeError(null);
              }}
            >
              {useRecovery ? t('factor.useCode') : t('factor.useRecovery')}
            </button>
            {' · '}
            <button type="button" className="link-button" onClick={startOver}>
              {t('factor.startOver')}
            </button>
          </p>
        </form>
      </section>
    );
  }

  return (
    <section className="page narrow login-page">
      <h1>{t('title')}</h1>
      <p className="muted">{t('lead')}</p>
      <form onSubmit={(e) => void submitPassword(e)} className="form" noValidate>
        {error ? (
          <p role="alert" className="notice notice-error">
            {error}
          </p>
        ) : null}
        <Field label={t('username')} required error={missing.username ? t('required') : null}>
          {(id, describedBy) => (
            <input
              id={id}
              name="username"
              autoComplete="username"
              required
              value={username}
              aria-describedby={describedBy}
              aria-invalid={missing.username || undefined}
              onChange={(e) => setUsername(e.target.value)}
              // biome-ignore lint/a11y/noAutofocus: the sign-in page has one task; the username field is where every visitor starts
              autoFocus
            />
          )}
        </Field>
        <Field label={t('password')} required error={missing.password ? t('required') : null}>
          {(id, describedBy) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              aria-describedby={describedBy}
              aria-invalid={missing.password || undefined}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signingIn') : t('submit')}
        </button>
      </form>
    </section>
  );
}
