/**
 * The next step of a visit (domain.md 3.3) or of a recommendation (3.4), as the workflow allows
 * it for a monitor, asking for what each step rests on.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { nextRecommendationStatuses } from '../../../../../src/domain/recommendation-workflow.ts';
import { nextVisitStatuses } from '../../../../../src/domain/visit-workflow.ts';
import type { RecommendationStatus, VisitStatus } from '../../../../../src/domain/vocabularies-monitoring.ts';
import type { UserRole } from '../../../../../src/domain/vocabularies-people.ts';
import { CheckboxGroup, SelectField, TextArea, TextField } from '../components/form.tsx';
import { flattenAreas } from '../components/registry.ts';
import { Done, ErrorNote } from '../components/status.tsx';
import type { FacilityDetail, Recommendation, VisitView } from '../components/types.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { SafeguardsChecklist } from './safeguards.tsx';

/** Records offered as what a step rests on. */
export interface Links {
  statements: { id: string; label: string }[];
  visits: { id: string; label: string }[];
  sources: { id: string; label: string }[];
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
/** A `datetime-local` value as an ISO instant in the browser's zone. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** The step form of one visit. */
export function VisitStep({
  visit,
  facility,
  onDone,
}: {
  visit: VisitView;
  facility?: FacilityDetail;
  onDone(): void;
}) {
  const { t, i18n } = useTranslation('visits');
  const vocab = useVocab();
  const { user } = useSession();
  const steps = user ? nextVisitStatuses(visit.status as VisitStatus, user.role as UserRole) : [];
  const [to, setTo] = useState('');
  const [f, setF] = useState({
    startedAt: '',
    endedAt: '',
    registers: '',
    refused: '',
    cancellationReason: '',
    findings: visit.findings ?? '',
    responseDue: visit.responseDue ?? '',
    replyStatementId: '',
    reason: '',
  });
  const [areas, setAreas] = useState<string[]>([]);
  const [safeguards, setSafeguards] = useState<Record<string, string>>(visit.safeguards);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const set = (p: Partial<typeof f>) => setF((o) => ({ ...o, ...p }));
  if (steps.length === 0) return null;

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setDone(undefined);
    const body: Record<string, unknown> = { to, version: visit.version };
    if (f.reason.trim()) body.reason = f.reason.trim();
    if (to === 'conducted')
      Object.assign(body, {
        startedAt: instant(f.startedAt),
        endedAt: instant(f.endedAt),
        areaIds: areas,
        registersExamined: list(f.registers),
        refusedAccess: list(f.refused),
      });
    if (to === 'cancelled') body.cancellationReason = f.cancellationReason.trim();
    if (to === 'findings_drafted')
      Object.assign(body, { safeguards, ...(f.findings.trim() ? { findings: f.findings.trim() } : {}) });
    if (to === 'report_sent' && f.responseDue) body.responseDue = f.responseDue;
    if (to === 'response_received' && f.replyStatementId.trim()) body.replyStatementId = f.replyStatementId.trim();
    try {
      await api('POST', `/visits/${encodeURIComponent(visit.id)}/transitions`, body);
      setDone(vocab.label('visit_status', to));
      setTo('');
      onDone();
    } catch (err) {
      setError(err);
    }
  };

  const lang = i18n.language ?? 'en';
  return (
    <form onSubmit={save} className="visit-step">
      <fieldset>
        <legend>{t('step.title')}</legend>
        {done ? <Done>{t('step.done', { status: done })}</Done> : null}
        <SelectField
          label={t('step.to')}
          required
          value={to}
          empty={t('form.choose')}
          options={steps.map((s) => ({ value: s, label: vocab.label('visit_status', s) }))}
          onChange={setTo}
        />
        {to === 'conducted' ? (
          <>
            <div className="row">
              <TextField
                label={t('step.startedAt')}
                type="datetime-local"
                required
                value={f.startedAt}
                onChange={(startedAt) => set({ startedAt })}
              />
              <TextField
                label={t('step.endedAt')}
                type="datetime-local"
                required
                value={f.endedAt}
                onChange={(endedAt) => set({ endedAt })}
              />
            </div>
            <CheckboxGroup
              legend={t('step.areas')}
              options={flattenAreas(facility?.areas ?? [], lang).map(({ area, path }) => ({
                value: area.id,
                label: path.join(' › '),
              }))}
              values={areas}
              onChange={setAreas}
            />
            <TextField
              label={t('step.registers')}
              hint={t('step.listHint')}
              value={f.registers}
              onChange={(registers) => set({ registers })}
            />
            <TextField
              label={t('step.refused')}
              hint={t('step.listHint')}
              value={f.refused}
              onChange={(refused) => set({ refused })}
            />
          </>
        ) : null}
        {to === 'cancelled' ? (
          <TextField
            label={t('step.cancellationReason')}
            required
            value={f.cancellationReason}
            onChange={(cancellationReason) => set({ cancellationReason })}
          />
        ) : null}
        {to === 'findings_drafted' ? (
          <>
            <SafeguardsChecklist name={`step-${visit.id}`} value={safeguards} onChange={setSafeguards} />
            <TextArea label={t('form.findings')} value={f.findings} onChange={(findings) => set({ findings })} />
          </>
        ) : null}
        {to === 'report_sent' ? (
          <TextField
            label={t('form.responseDue')}
            type="date"
            required
            value={f.responseDue}
            onChange={(responseDue) => set({ responseDue })}
          />
        ) : null}
        {to === 'response_received' ? (
          <TextField
            label={t('step.replyStatementId')}
            hint={t('step.statementHint')}
            required
            value={f.replyStatementId}
            onChange={(replyStatementId) => set({ replyStatementId })}
          />
        ) : null}
        {to ? <TextField label={t('step.reason')} value={f.reason} onChange={(reason) => set({ reason })} /> : null}
        <ErrorNote error={error} context={t('step.refusedStep')} />
        <button type="submit" className="primary" disabled={!to}>
          {t('step.save')}
        </button>
      </fieldset>
    </form>
  );
}

/** Which link a recommendation step asks for. */
function fieldsFor(
  from: string,
  to: string,
): (keyof Links | 'reply' | 'claim' | 'commitment' | 'followUp' | 'evidence' | 'finding')[] {
  if (to === 'accepted' || to === 'rejected') return ['reply'];
  if (to === 'reported_implemented') return ['claim'];
  if (to === 'implemented_verified') return ['followUp', 'evidence'];
  if (to === 'not_implemented') return ['finding', 'evidence'];
  if (to === 'in_progress' && (from === 'rejected' || from === 'not_implemented')) return ['commitment'];
  return [];
}

/** The step form of one recommendation. */
export function RecommendationStep({ rec, links, onDone }: { rec: Recommendation; links: Links; onDone(): void }) {
  const { t } = useTranslation('visits');
  const vocab = useVocab();
  const { user } = useSession();
  const steps = user ? nextRecommendationStatuses(rec.status as RecommendationStatus, user.role as UserRole) : [];
  const [to, setTo] = useState('');
  const [v, setV] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  if (steps.length === 0) return null;
  const wanted = to ? fieldsFor(rec.status, to) : [];
  const field = {
    reply: 'replyStatementId',
    claim: 'claimStatementId',
    commitment: 'commitmentStatementId',
    followUp: 'followUpVisitId',
    evidence: 'evidenceSourceId',
    finding: 'findingId',
  } as const;
  const choices = (k: string) =>
    k === 'followUp' || k === 'finding' ? links.visits : k === 'evidence' ? links.sources : links.statements;

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const body: Record<string, unknown> = { to, version: rec.version };
    for (const k of wanted) if (v[k]) body[field[k as keyof typeof field]] = v[k];
    if (v.reason?.trim()) body.reason = v.reason.trim();
    try {
      await api('POST', `/recommendations/${encodeURIComponent(rec.id)}/transitions`, body);
      setTo('');
      setV({});
      onDone();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form onSubmit={save} className="rec-step">
      <div className="row">
        <SelectField
          label={t('recs.next')}
          value={to}
          empty={t('form.choose')}
          options={steps.map((s) => ({ value: s, label: vocab.label('recommendation_status', s) }))}
          onChange={setTo}
        />
        {wanted.map((k) => (
          <SelectField
            key={k}
            label={t(`recs.links.${k}`)}
            value={v[k] ?? ''}
            empty={t('form.choose')}
            options={choices(k).map((c) => ({ value: c.id, label: c.label }))}
            onChange={(x) => setV({ ...v, [k]: x })}
          />
        ))}
        {to ? (
          <TextField label={t('step.reason')} value={v.reason ?? ''} onChange={(reason) => setV({ ...v, reason })} />
        ) : null}
      </div>
      <ErrorNote error={error} context={t('step.refusedStep')} />
      <button type="submit" disabled={!to}>
        {t('recs.save')}
      </button>
    </form>
  );
}
