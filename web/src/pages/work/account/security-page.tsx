/**
 * The signed-in user's second factor: set up an authenticator app (QR code, or the secret typed
 * by hand), confirm it with a first code, and see the recovery codes once. A user whose role must
 * have a second factor is sent here until they have one.
 */
import { useEffect, useRef, useState, type FormEvent, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { api, ApiError } from '../../../api/client.ts';
import { Field } from '../../../components/field.tsx';
import { useTitle } from '../../../components/status.tsx';
import { useSession } from '../../../session.tsx';
import { Section } from '../components/form.tsx';
import { ErrorNote, Loading } from '../components/status.tsx';
import { useLoad } from '../components/use-load.ts';
import '../work.css';

interface Status {
  enrolled: boolean;
  required: boolean;
  pending: boolean;
  recoveryCodesLeft: number;
}
interface Enrolment {
  secret: string;
  otpauthUrl: string;
  expiresAt: string;
}

/** The otpauth:// address as a QR code, drawn on a canvas here: the secret never leaves the page. */
function QrCode({ url, label }: { url: string; label: string }): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) void QRCode.toCanvas(canvas.current, url, { width: 224, margin: 2, errorCorrectionLevel: 'M' });
  }, [url]);
  return <canvas ref={canvas} role="img" aria-label={label} className="totp-qr" data-testid="totp-qr" />;
}

/** The secret in groups of four, as apps that take it by hand show it. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

export default function SecurityPage(): JSX.Element {
  const { t } = useTranslation('account');
  useTitle(t('title'));
  const { enrolled: markEnrolled } = useSession();
  const status = useLoad('second-factor', () => api<Status>('GET', '/auth/second-factor'));
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const codesHeading = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (recoveryCodes) codesHeading.current?.focus();
  }, [recoveryCodes]);

  async function start() {
    setError(undefined);
    setBusy(true);
    try {
      setEnrolment(await api<Enrolment>('POST', '/auth/totp'));
      setCode('');
      setCodeError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function confirm(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setCodeError(null);
    const digits = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(digits)) {
      setCodeError(t('enrol.codeFormat'));
      codeInput.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const done = await api<{ recoveryCodes: string[] }>('POST', '/auth/totp/confirm', { code: digits });
      setRecoveryCodes(done.recoveryCodes);
      setEnrolment(null);
      markEnrolled();
    } catch (err) {
      const c = err instanceof ApiError ? err.code : '';
      if (c === 'auth.second_factor_invalid' || c === 'validation.invalid') {
        setCodeError(t('enrol.codeInvalid'));
        codeInput.current?.focus();
      } else if (c === 'auth.enrolment_expired' || c === 'auth.enrolment_not_started') {
        setEnrolment(null);
        setError(new ApiError(409, c, t('enrol.expired')));
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  }

  function finish() {
    setRecoveryCodes(null);
    status.reload();
  }

  const s = status.data;
  return (
    <div className="work-page security-page">
      <h1>{t('title')}</h1>
      <p className="lead">{t('lead')}</p>
      {status.loading ? <Loading /> : null}
      <ErrorNote error={status.error} />
      <ErrorNote error={error} />

      {recoveryCodes ? (
        <Section title={t('codes.title')}>
          <p ref={codesHeading} tabIndex={-1} role="status" className="notice ok">
            {t('codes.on')}
          </p>
          <p>{t('codes.lead')}</p>
          <ol className="recovery-codes" data-testid="recovery-codes">
            {recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
          <p className="hint">{t('codes.once')}</p>
          <button type="button" className="primary" onClick={finish}>
            {t('codes.saved')}
          </button>
        </Section>
      ) : s?.enrolled ? (
        <Section title={t('status.title')}>
          <p role="status" className="notice ok">
            {t('status.on')}
          </p>
          <p>{t('status.codesLeft', { count: s.recoveryCodesLeft })}</p>
          <p className="hint">{t('status.lost')}</p>
        </Section>
      ) : s ? (
        <Section title={t('enrol.title')}>
          {s.required ? (
            <p role="alert" className="notice warn">
              {t('enrol.required')}
            </p>
          ) : (
            <p>{t('enrol.optional')}</p>
          )}
          {!enrolment ? (
            <button type="button" className="primary" onClick={() => void start()} disabled={busy}>
              {t('enrol.start')}
            </button>
          ) : (
            <ol className="enrol-steps">
              <li>
                <p>{t('enrol.scan')}</p>
                <QrCode url={enrolment.otpauthUrl} label={t('enrol.qrLabel')} />
              </li>
              <li>
                <p>{t('enrol.manual')}</p>
                <p>
                  <code className="totp-secret" data-testid="totp-secret" title={t('enrol.secretLabel')}>
                    {grouped(enrolment.secret)}
                  </code>
                </p>
              </li>
              <li>
                <form onSubmit={(e) => void confirm(e)} className="form" noValidate>
                  <Field label={t('enrol.code')} hint={t('enrol.codeHint')} required error={codeError}>
                    {(id, describedBy) => (
                      <input
                        id={id}
                        ref={codeInput}
                        name="code"
                        value={code}
                        required
                        inputMode="numeric"
                        autoComplete="one-time-code"
                        maxLength={10}
                        aria-describedby={describedBy}
                        aria-invalid={codeError ? true : undefined}
                        onChange={(e) => setCode(e.target.value)}
                      />
                    )}
                  </Field>
                  <button type="submit" className="primary" disabled={busy}>
                    {t('enrol.confirm')}
                  </button>
                </form>
              </li>
            </ol>
          )}
        </Section>
      ) : null}
    </div>
  );
}
