import { useEffect, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client.ts';

/** "Loading…" for screen readers and eyes alike. */
export function Loading(): JSX.Element {
  const { t } = useTranslation('common');
  return (
    <p role="status" aria-live="polite" className="muted">
      {t('loading')}
    </p>
  );
}

/** An API error in words: not found, sign-in needed, or the API's own message. */
export function ErrorMessage(props: { error: ApiError }): JSX.Element {
  const { t } = useTranslation('common');
  const e = props.error;
  const text =
    e.status === 404
      ? t('error.notFound')
      : e.status === 401
        ? t('error.signIn')
        : e.status === 403
          ? t('forbidden')
          : e.status === 0
            ? t('error.network')
            : e.message;
  return (
    <p role="alert" className="notice notice-error">
      {text}
    </p>
  );
}

/** Sets the document title to "<title> · Vigil". */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Vigil` : 'Vigil';
  }, [title]);
}
