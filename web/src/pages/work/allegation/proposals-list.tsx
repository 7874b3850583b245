/**
 * The open two-analyst proposals of an allegation (domain.md 3.1): who proposed which step, why,
 * and until when. Another analyst approves one here; its proposer may withdraw it. The API checks
 * every rule (not one's own, still open, from the current status) and says precisely why not.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { TextField } from '../components/form.tsx';
import { useFormat } from '../components/format.ts';
import { ErrorNote } from '../components/status.tsx';
import type { AllegationDetail } from '../components/types.ts';
import { useVocab } from '../../../i18n/vocab.ts';

/** A proposal as `GET /allegations/ID/proposals` answers it. */
export interface Proposal {
  id: string;
  fromStatus: string;
  toStatus: string;
  reason: string | null;
  proposer: { id: string; username: string | null };
  createdAt: string;
  expiresAt: string;
  status: 'open' | 'approved' | 'withdrawn' | 'expired' | 'superseded';
}

function OpenProposal({
  allegation,
  proposal,
  onChanged,
}: {
  allegation: AllegationDetail;
  proposal: Proposal;
  onChanged(message: string): void;
}) {
  const { t } = useTranslation('allegation');
  const vocab = useVocab();
  const { date } = useFormat();
  const { user } = useSession();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const step = vocab.label('verification_status', proposal.toStatus);
  const mine = user?.id === proposal.proposer.id;
  const mayApprove = user?.role === 'analyst' && !mine && proposal.fromStatus === allegation.verificationStatus;

  const run = async (call: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await call();
      onChanged(message);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 409 && err.code.startsWith('record.')
          ? new ApiError(409, err.code, t('work.stale'))
          : err,
      );
    } finally {
      setBusy(false);
    }
  };
  const base = `/allegations/${encodeURIComponent(allegation.id)}`;
  const approve = (e: React.FormEvent) => {
    e.preventDefault();
    void run(
      () =>
        api('POST', `${base}/transitions`, {
          to: proposal.toStatus,
          proposalId: proposal.id,
          version: allegation.version,
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        }),
      t('status.moved', { status: step }),
    );
  };
  const withdraw = () =>
    void run(
      () => api('POST', `${base}/proposals/${encodeURIComponent(proposal.id)}/withdraw`, {}),
      t('proposals.withdrawn', { status: step }),
    );

  return (
    <li className="card proposal">
      <p>
        <strong>{step}</strong> —{' '}
        {t('proposals.by', {
          user: proposal.proposer.username ?? proposal.proposer.id,
          date: date(proposal.createdAt.slice(0, 10)),
        })}
        <span className="muted"> · {t('proposals.expires', { date: date(proposal.expiresAt.slice(0, 10)) })}</span>
      </p>
      {proposal.reason ? (
        <p>
          {t('proposals.reason')}: {proposal.reason}
        </p>
      ) : null}
      {mayApprove ? (
        <form onSubmit={approve} className="status-form">
          <TextField
            label={t('proposals.approvalReason')}
            hint={t('status.reasonHint')}
            value={reason}
            onChange={setReason}
          />
          <button type="submit" className="primary" disabled={busy}>
            {t('proposals.approve', { status: step })}
          </button>
        </form>
      ) : (
        <p className="hint">
          {mine ? t('proposals.yours') : user?.role === 'analyst' ? '' : t('proposals.analystOnly')}
        </p>
      )}
      {mine ? (
        <button type="button" className="secondary" disabled={busy} onClick={withdraw}>
          {t('proposals.withdraw')}
        </button>
      ) : null}
      <ErrorNote error={error} context={t('status.refused')} />
    </li>
  );
}

/** The open proposals, or nothing when there are none. */
export function ProposalsList({
  allegation,
  proposals,
  onChanged,
}: {
  allegation: AllegationDetail;
  proposals: Proposal[];
  onChanged(message: string): void;
}) {
  const { t } = useTranslation('allegation');
  const open = proposals.filter((p) => p.status === 'open');
  if (open.length === 0) return null;
  return (
    <div className="proposals">
      <h3>{t('proposals.title')}</h3>
      <ul className="plain">
        {open.map((p) => (
          <OpenProposal key={p.id} allegation={allegation} proposal={p} onChanged={onChanged} />
        ))}
      </ul>
    </div>
  );
}
