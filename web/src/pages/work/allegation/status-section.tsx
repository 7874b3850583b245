/**
 * Verification status and the steps the signed-in user may take from it, as the workflow
 * (domain.md 3.1) allows them for their role. What each step needs is asked for beside it;
 * the API checks the guards and says precisely what is missing. A step that needs two analysts is
 * proposed here by one and approved, in the list of open proposals, by another.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api/client.ts';
import { useLoad } from '../components/use-load.ts';
import { ProposalsList, type Proposal } from './proposals-list.tsx';
import { useSession } from '../../../session.tsx';
import { nextAllegationStatuses, requiresTwoAnalysts } from '../../../../../src/domain/allegation-workflow.ts';
import type { UserRole } from '../../../../../src/domain/vocabularies-people.ts';
import type { VerificationStatus } from '../../../../../src/domain/vocabularies-allegation.ts';
import { Section, SelectField, TextField, termOptions } from '../components/form.tsx';
import { Done, ErrorNote } from '../components/status.tsx';
import type { AllegationDetail } from '../components/types.ts';
import { useVocab } from '../../../i18n/vocab.ts';

const NEEDS_REASON = new Set(['on_hold_safety', 'under_verification', 'triage']);

/** The verification block of the allegation page. */
export function StatusSection({ allegation, onChanged }: { allegation: AllegationDetail; onChanged(): void }) {
  const { t } = useTranslation('allegation');
  const vocab = useVocab();
  const { user } = useSession();
  const from = allegation.verificationStatus as VerificationStatus;
  const steps = user ? nextAllegationStatuses(from, user.role as UserRole) : [];
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [risk, setRisk] = useState('');
  const [withdrawalGround, setWithdrawalGround] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const target = steps.includes(to as VerificationStatus) ? (to as VerificationStatus) : '';
  const proposing = target !== '' && requiresTwoAnalysts(target);
  const proposals = useLoad(`proposals:${allegation.id}:${allegation.version}`, () =>
    api<{ items: Proposal[] }>('GET', `/allegations/${encodeURIComponent(allegation.id)}/proposals`),
  );

  const needsRisk = target === 'under_verification' || from === 'on_hold_safety';
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!target) return;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const base = `/allegations/${encodeURIComponent(allegation.id)}`;
      if (proposing) {
        // Four eyes: this records the proposal; another analyst approves it below.
        await api('POST', `${base}/proposals`, { to: target, reason: reason.trim() });
        setDone(t('status.proposed', { status: vocab.label('verification_status', target) }));
        proposals.reload();
      } else {
        const body: Record<string, unknown> = { to: target, version: allegation.version };
        if (reason.trim()) body.reason = reason.trim();
        if (needsRisk && risk) body.risk = risk;
        if (target === 'withdrawn' && withdrawalGround) body.withdrawalGround = withdrawalGround;
        if (target === 'duplicate' && duplicateOf.trim()) body.duplicateOf = duplicateOf.trim();
        await api('POST', `${base}/transitions`, body);
        setDone(t('status.moved', { status: vocab.label('verification_status', target) }));
        onChanged();
      }
      setTo('');
      setReason('');
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

  return (
    <Section title={t('status.title')}>
      <p>
        {t('status.current')}: <span className="badge status">{vocab.label('verification_status', from)}</span>
      </p>
      {done ? <Done>{done}</Done> : null}
      <ErrorNote error={proposals.error} />
      <ProposalsList
        allegation={allegation}
        proposals={proposals.data?.items ?? []}
        onChanged={(message) => {
          setDone(message);
          proposals.reload();
          onChanged();
        }}
      />
      {steps.length === 0 ? (
        <p className="muted">{t('status.noSteps')}</p>
      ) : (
        <form onSubmit={submit} className="status-form">
          <SelectField
            label={t('status.next')}
            value={target}
            empty={t('status.choose')}
            options={steps.map((s) => ({ value: s, label: vocab.label('verification_status', s) }))}
            onChange={setTo}
          />
          {proposing ? <p className="hint">{t('status.twoAnalysts')}</p> : null}
          {target && needsRisk ? (
            <SelectField
              label={t('status.risk')}
              hint={t('status.riskHint')}
              required
              value={risk}
              empty={t('status.choose')}
              options={termOptions(vocab.terms('risk_level'), (id) => vocab.label('risk_level', id))}
              onChange={setRisk}
            />
          ) : null}
          {target === 'withdrawn' ? (
            <SelectField
              label={t('status.withdrawalGround')}
              required
              value={withdrawalGround}
              empty={t('status.choose')}
              options={[
                { value: 'consent_withdrawn', label: t('status.grounds.consent_withdrawn') },
                { value: 'report_retracted', label: t('status.grounds.report_retracted') },
              ]}
              onChange={setWithdrawalGround}
            />
          ) : null}
          {target === 'duplicate' ? (
            <TextField label={t('status.duplicateOf')} required value={duplicateOf} onChange={setDuplicateOf} />
          ) : null}
          {target ? (
            <TextField
              label={t('status.reason')}
              hint={
                proposing || NEEDS_REASON.has(target) || target === 'on_hold_safety'
                  ? t('status.reasonNeeded')
                  : t('status.reasonHint')
              }
              required={proposing || target === 'on_hold_safety'}
              value={reason}
              onChange={setReason}
            />
          ) : null}
          <ErrorNote error={error} context={t('status.refused')} />
          <button type="submit" className="primary" disabled={busy || !target || (proposing && !reason.trim())}>
            {proposing ? t('status.propose') : t('status.apply')}
          </button>
        </form>
      )}
    </Section>
  );
}
