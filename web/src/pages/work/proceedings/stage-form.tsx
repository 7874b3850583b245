/**
 * Recording the next stage of a proceeding. The stages offered are those the Kazakhstan workflow
 * (domain.md 3.2) allows from here for the user's role; each asks for what that stage requires.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { nextProceedingStages } from '../../../../../src/domain/proceeding-workflow.ts';
import type { ProceedingKind, ProceedingStage } from '../../../../../src/domain/vocabularies-proceedings.ts';
import type { UserRole } from '../../../../../src/domain/vocabularies-people.ts';
import { RadioGroup, SelectField, TextField, termOptions } from '../components/form.tsx';
import { Done, ErrorNote } from '../components/status.tsx';
import type { ProceedingView } from '../components/types.ts';
import { useVocab } from '../../../i18n/vocab.ts';

const today = () => new Date().toISOString().slice(0, 10);
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Steps that are someone's decision on paper: they need the deciding authority and the document. */
function isDecision(to: string, refusalKind: string, kind: string): boolean {
  if (to === 'complaint_filed' || to === 'opened' || to === 'concluded') return false;
  if (to === 'registration_refused') return refusalKind !== '' && refusalKind !== 'no_response';
  return kind === 'criminal_case';
}

/** The form for the next stage; `sources` are the documents to choose from. */
export function StageForm({
  p,
  sources,
  onDone,
}: {
  p: ProceedingView;
  sources: { id: string; title: string }[];
  onDone(): void;
}) {
  const { t } = useTranslation('proceedings');
  const vocab = useVocab();
  const { user } = useSession();
  const steps = user
    ? nextProceedingStages(p.kind as ProceedingKind, p.stage as ProceedingStage, user.role as UserRole)
    : [];
  const [to, setTo] = useState('');
  const [onDate, setOnDate] = useState(today());
  const [sourceId, setSourceId] = useState('');
  const [decidedBy, setDecidedBy] = useState('');
  const [d, setD] = useState<Record<string, string>>({ article: '146', part: '' });
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (v: string) => setD((o) => ({ ...o, [k]: v }));
  const opts = (name: string) => termOptions(vocab.terms(name), (id) => vocab.label(name, id));
  const decision = to !== '' && isDecision(to, d.refusalKind ?? '', p.kind);

  if (steps.length === 0)
    return <p className="muted">{user?.role === 'analyst' ? t('stage.noSteps') : t('stage.analystOnly')}</p>;

  const details = (): Record<string, unknown> => {
    const pick = (...keys: string[]) =>
      Object.fromEntries(keys.filter((k) => (d[k] ?? '').trim() !== '').map((k) => [k, (d[k] ?? '').trim()]));
    switch (to) {
      case 'registered_erdr':
        return pick('erdrNumber', 'article', 'part');
      case 'registration_refused':
        return pick('refusalKind');
      case 'complaint_filed':
        return pick('refiling', 'body', 'reference');
      case 'suspended':
        return pick('suspensionGround');
      case 'terminated':
        return pick('terminationGround');
      case 'indictment_sent':
        return { accusedIds: list(d.accusedIds ?? ''), articles: list(d.articles ?? '') };
      case 'trial':
        return pick('courtId', 'caseNumber');
      case 'verdict': {
        const v = Object.fromEntries(
          ['accusedId', 'outcome', 'article', 'sentence']
            .filter((k) => (d[`v_${k}`] ?? '').trim())
            .map((k) => [k, (d[`v_${k}`] ?? '').trim()]),
        );
        return { verdicts: [v] };
      }
      case 'appeal':
        return pick('appellantId');
      case 'final':
        return pick('decision');
      case 'concluded':
        return pick('outcome');
      default:
        return {};
    }
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const body: Record<string, unknown> = { to, onDate, details: details(), version: p.version };
      if (sourceId) body.sourceId = sourceId;
      if (decidedBy) body.decidedBy = decidedBy;
      await api('POST', `/proceedings/${encodeURIComponent(p.id)}/stages`, body);
      setDone(vocab.label('proceeding_stage', to));
      setTo('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={save} className="stage-form">
      <fieldset>
        <legend>{t('stage.title')}</legend>
        {done ? <Done>{t('stage.recorded', { stage: done })}</Done> : null}
        <div className="row">
          <SelectField
            label={t('stage.to')}
            required
            value={to}
            empty={t('stage.choose')}
            options={steps.map((s) => ({ value: s, label: vocab.label('proceeding_stage', s) }))}
            onChange={setTo}
          />
          <TextField
            label={t('stage.onDate')}
            hint={t('stage.onDateHint')}
            type="date"
            required
            value={onDate}
            onChange={setOnDate}
          />
        </div>
        {to === 'registered_erdr' ? (
          <div className="row">
            <TextField
              label={t('stage.fields.erdrNumber')}
              required
              value={d.erdrNumber ?? ''}
              onChange={set('erdrNumber')}
            />
            <TextField
              label={t('stage.fields.article')}
              hint={t('stage.articleHint')}
              required
              value={d.article ?? ''}
              onChange={set('article')}
            />
            <SelectField
              label={t('stage.fields.part')}
              required
              value={d.part ?? ''}
              empty={t('stage.choose')}
              options={['1', '2', '3', '4'].map((n) => ({ value: n, label: t('stage.partN', { n }) }))}
              onChange={set('part')}
            />
          </div>
        ) : null}
        {to === 'registration_refused' ? (
          <SelectField
            label={t('stage.fields.refusalKind')}
            required
            value={d.refusalKind ?? ''}
            empty={t('stage.choose')}
            options={opts('refusal_kind')}
            onChange={set('refusalKind')}
          />
        ) : null}
        {to === 'complaint_filed' ? (
          <>
            <RadioGroup
              legend={t('stage.fields.refiling')}
              name="refiling"
              inline
              value={d.refiling ?? ''}
              onChange={set('refiling')}
              options={[
                { value: 'refiled', label: t('stage.refiled') },
                { value: 'appealed', label: t('stage.appealed') },
              ]}
            />
            <div className="row">
              <TextField label={t('stage.fields.body')} required value={d.body ?? ''} onChange={set('body')} />
              <TextField
                label={t('stage.fields.reference')}
                required
                value={d.reference ?? ''}
                onChange={set('reference')}
              />
            </div>
          </>
        ) : null}
        {to === 'suspended' ? (
          <TextField
            label={t('stage.fields.suspensionGround')}
            required
            value={d.suspensionGround ?? ''}
            onChange={set('suspensionGround')}
          />
        ) : null}
        {to === 'terminated' ? (
          <SelectField
            label={t('stage.fields.terminationGround')}
            required
            value={d.terminationGround ?? ''}
            empty={t('stage.choose')}
            options={opts('termination_ground')}
            onChange={set('terminationGround')}
          />
        ) : null}
        {to === 'indictment_sent' ? (
          <div className="row">
            <TextField
              label={t('stage.fields.accusedIds')}
              hint={t('stage.listHint')}
              required
              value={d.accusedIds ?? ''}
              onChange={set('accusedIds')}
            />
            <TextField
              label={t('stage.fields.articles')}
              hint={t('stage.listHint')}
              required
              value={d.articles ?? ''}
              onChange={set('articles')}
            />
          </div>
        ) : null}
        {to === 'trial' ? (
          <div className="row">
            <TextField label={t('stage.fields.courtId')} required value={d.courtId ?? ''} onChange={set('courtId')} />
            <TextField
              label={t('stage.fields.caseNumber')}
              required
              value={d.caseNumber ?? ''}
              onChange={set('caseNumber')}
            />
          </div>
        ) : null}
        {to === 'verdict' ? (
          <div className="row">
            <TextField
              label={t('stage.fields.accusedId')}
              required
              value={d.v_accusedId ?? ''}
              onChange={set('v_accusedId')}
            />
            <SelectField
              label={t('stage.fields.verdictOutcome')}
              required
              value={d.v_outcome ?? ''}
              empty={t('stage.choose')}
              options={opts('verdict_outcome')}
              onChange={set('v_outcome')}
            />
            <TextField label={t('stage.fields.article')} value={d.v_article ?? ''} onChange={set('v_article')} />
            <TextField label={t('stage.fields.sentence')} value={d.v_sentence ?? ''} onChange={set('v_sentence')} />
          </div>
        ) : null}
        {to === 'appeal' ? (
          <TextField
            label={t('stage.fields.appellantId')}
            required
            value={d.appellantId ?? ''}
            onChange={set('appellantId')}
          />
        ) : null}
        {to === 'final' && p.stage === 'appeal' ? (
          <TextField label={t('stage.fields.decision')} required value={d.decision ?? ''} onChange={set('decision')} />
        ) : null}
        {to === 'concluded' && p.kind === 'internal_inquiry' ? (
          <SelectField
            label={t('stage.fields.outcome')}
            required
            value={d.outcome ?? ''}
            empty={t('stage.choose')}
            options={opts('inquiry_outcome')}
            onChange={set('outcome')}
          />
        ) : null}
        {to !== '' ? (
          <div className="row">
            <SelectField
              label={t('stage.decidedBy')}
              required={decision}
              value={decidedBy}
              empty={t('stage.choose')}
              options={opts('decided_by')}
              onChange={setDecidedBy}
            />
            <SelectField
              label={t('stage.source')}
              hint={decision ? t('stage.sourceNeeded') : undefined}
              required={decision}
              value={sourceId}
              empty={t('stage.noSource')}
              options={sources.map((s) => ({ value: s.id, label: s.title }))}
              onChange={setSourceId}
            />
          </div>
        ) : null}
        <ErrorNote error={error} context={t('stage.refused')} />
        <button type="submit" className="primary" disabled={busy || !to}>
          {t('stage.save')}
        </button>
      </fieldset>
    </form>
  );
}
