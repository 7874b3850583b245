/** Loading, error and empty states of the work pages, announced to screen readers. */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';

/** A polite "loading" line. */
export function Loading() {
  const { t } = useTranslation('allegation');
  return (
    <p role="status" className="muted">
      {t('work.loading')}
    </p>
  );
}

/** An API error with its stable code and field; `context` says what failed ("the file could not be uploaded"). */
export function ErrorNote({ error, context }: { error: unknown; context?: string }) {
  const { t } = useTranslation('allegation');
  if (!error) return null;
  const e =
    error instanceof ApiError
      ? error
      : new ApiError(0, 'internal', error instanceof Error ? error.message : String(error));
  const known = t(`work.errors.${e.code.replace(/\./g, '_')}`, { defaultValue: '' });
  return (
    <div role="alert" className="notice error">
      {context ? <strong>{context} </strong> : null}
      <span>{known || e.message}</span>
      {e.path ? (
        <span>
          {' '}
          ({t('work.field')}: <code>{e.path}</code>)
        </span>
      ) : null}
      {known && e.message && known !== e.message ? <span className="muted"> — {e.message}</span> : null}
      {e.issues?.length ? (
        <ul>
          {e.issues.map((i) => (
            <li key={i.path + i.message}>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A short success line. */
export function Done({ children }: { children: React.ReactNode }) {
  return (
    <p role="status" className="notice ok">
      {children}
    </p>
  );
}

/** An upload or long operation's progress, as a labelled native progress bar. */
export function Progress({ label, loaded, total }: { label: string; loaded: number; total: number }) {
  const pct = total > 0 ? Math.round((loaded / total) * 100) : 0;
  return (
    <div className="progress-row">
      <label>
        <span>{label}</span>
        <progress max={100} value={pct} aria-valuetext={`${pct}%`} />
        <span aria-hidden="true"> {pct}%</span>
      </label>
    </div>
  );
}

/** True when the API has no such route yet (rather than no such record). */
function isMissingRoute(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'request.route_not_found';
}

const missing = new Set<string>();

/**
 * Reads a route that a newer server has and an older one may not: null (asked once per page
 * load) when the server answers that the route does not exist.
 */
export async function optionalRoute<T>(key: string, read: () => Promise<T>): Promise<T | null> {
  if (missing.has(key)) return null;
  try {
    return await read();
  } catch (err) {
    if (!isMissingRoute(err)) throw err;
    missing.add(key);
    return null;
  }
}
