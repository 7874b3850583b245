/**
 * A person as the work pages show them: the pseudonym. Documenters and analysts may reveal the
 * identity, which asks for a reason and is recorded in the audit log by the API.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { ErrorNote } from './status.tsx';
import type { Identity } from './types.ts';

const MAY_REVEAL = ['documenter', 'analyst'];

/** The pseudonym, and for those allowed a "reveal" control that needs a reason. */
export function PersonRef({ id, pseudonym }: { id: string; pseudonym: string }) {
  const { t } = useTranslation('allegation');
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [identity, setIdentity] = useState<Identity>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const may = user && MAY_REVEAL.includes(user.role);

  const reveal = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setIdentity(await api<Identity>('POST', `/people/${encodeURIComponent(id)}/identity`, { reason }));
      setOpen(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="person-ref">
      <span className="pseudonym">{pseudonym}</span>
      {identity ? (
        <span className="identity">
          {' '}
          — {identity.name ?? t('people.noName')}
          {identity.birthDate ? `, ${identity.birthDate}` : ''}
          {identity.contacts ? `, ${identity.contacts}` : ''}
        </span>
      ) : null}
      {may && !identity && !open ? (
        <button
          type="button"
          className="link-button"
          onClick={() => setOpen(true)}
          aria-label={t('people.revealFor', { pseudonym })}
        >
          {t('people.reveal')}
        </button>
      ) : null}
      {open ? (
        <form className="reveal-form" onSubmit={reveal}>
          <label htmlFor={fieldId}>{t('people.reason')}</label>
          <input id={fieldId} value={reason} required minLength={3} onChange={(e) => setReason(e.target.value)} />
          <button type="submit" disabled={busy || reason.trim().length === 0}>
            {t('people.revealConfirm')}
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            {t('work.cancel')}
          </button>
          <small className="hint">{t('people.audited')}</small>
        </form>
      ) : null}
      <ErrorNote error={error} />
    </span>
  );
}
