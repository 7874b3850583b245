/** Everything about one allegation on one page: facts, people, sources and evidence, classification, verification, proceedings, history. */
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api } from '../../../api/client.ts';
import { Section } from '../components/form.tsx';
import { useFormat } from '../components/format.ts';
import { PersonRef } from '../components/person-ref.tsx';
import { areaLabel, facilityName, flattenAreas } from '../components/registry.ts';
import { ErrorNote, Loading } from '../components/status.tsx';
import type { AllegationDetail, FacilityDetail } from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { useTitle } from '../../../components/status.tsx';
import '../work.css';
import { ClassificationSection } from './classification-section.tsx';
import { HistorySection } from './history-section.tsx';
import { ProceedingsSection } from './proceedings-section.tsx';
import { SourcesSection } from './sources-section.tsx';
import { StatusSection } from './status-section.tsx';
import { periodText } from './period-text.ts';

export default function AllegationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('allegation');
  const vocab = useVocab();
  const { lang, date } = useFormat();
  const a = useLoad(`allegation:${id}`, () => api<AllegationDetail>('GET', `/allegations/${encodeURIComponent(id)}`));
  useTitle(a.data?.title ?? t('title'));
  const facilityId = a.data?.facilityId ?? null;
  const facility = useLoad(facilityId ? `facility:${facilityId}` : null, () =>
    api<FacilityDetail>('GET', `/facilities/${encodeURIComponent(facilityId ?? '')}`),
  );

  if (a.loading && !a.data)
    return (
      <div className="work-page">
        <Loading />
      </div>
    );
  if (a.error || !a.data) {
    return (
      <div className="work-page">
        <h1>{t('title')}</h1>
        <ErrorNote error={a.error} />
      </div>
    );
  }
  const al = a.data;
  const pseudonym = new Map(al.people.map((p) => [p.id, p.pseudonym]));
  const area = facility.data ? flattenAreas(facility.data.areas, lang).find((x) => x.area.id === al.areaId) : undefined;
  const areaById = new Map(
    facility.data ? flattenAreas(facility.data.areas, lang).map((x) => [x.area.id, areaLabel(x.area, lang)]) : [],
  );

  return (
    <div className="work-page allegation">
      <p className="muted">{t('title')}</p>
      <h1>{al.title}</h1>
      <p className="badges">
        <span className="badge status">{vocab.label('verification_status', al.verificationStatus)}</span>{' '}
        <span className="badge">
          {t('facts.classification')}: {vocab.label('classification', al.classification)}
        </span>{' '}
        <span className="badge">{vocab.label('sensitivity', al.sensitivity)}</span>{' '}
        {al.urgent ? <span className="badge overdue">{t('facts.urgent')}</span> : null}
      </p>

      <div className="two-col">
        <div>
          <Section title={t('facts.title')}>
            <dl className="facts">
              <dt>{t('facts.when')}</dt>
              <dd>
                {periodText(al.period, lang, vocab.label('date_precision', al.period.precision)) || t('facts.unknown')}
              </dd>
              <dt>{t('facts.where')}</dt>
              <dd>
                {facility.data ? facilityName(facility.data, lang) : (al.facilityId ?? t('facts.unknown'))}
                {area ? <> — {area.path.join(' › ')}</> : null}
                {area?.area.declaredUse.length ? (
                  <div className="muted">
                    {t('facts.declaredUse', { use: area.area.declaredUse.join(', '), by: area.area.declaredBy ?? '—' })}
                  </div>
                ) : null}
              </dd>
              <dt>{t('facts.victims')}</dt>
              <dd>
                {al.victims.length === 0 ? (
                  t('facts.none')
                ) : (
                  <ul className="plain">
                    {al.victims.map((v) => (
                      <li key={v.personId}>
                        <PersonRef id={v.personId} pseudonym={pseudonym.get(v.personId) ?? v.personId} />
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
              <dt>{t('facts.perpetrators')}</dt>
              <dd>
                {al.perpetrators.length === 0 ? (
                  t('facts.none')
                ) : (
                  <ul className="plain">
                    {al.perpetrators.map((p) => (
                      <li key={p.personId}>
                        <PersonRef id={p.personId} pseudonym={pseudonym.get(p.personId) ?? p.personId} />
                        {p.perpetratorKind ? <> — {vocab.label('perpetrator_kind', p.perpetratorKind)}</> : null}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
              <dt>{t('facts.consent')}</dt>
              <dd>
                {al.consent.length
                  ? al.consent.map((c) => vocab.label('consent_scope', c)).join(', ')
                  : t('facts.noConsent')}
              </dd>
              <dt>{t('facts.risk')}</dt>
              <dd>{vocab.label('risk_level', al.risk)}</dd>
              <dt>{t('facts.recorded')}</dt>
              <dd>
                {date(al.createdAt)}
                {al.updatedAt !== al.createdAt ? ` · ${t('facts.changed')} ${date(al.updatedAt)}` : ''}
              </dd>
            </dl>
            {al.summary ? (
              <p className="summary" style={{ whiteSpace: 'pre-wrap' }}>
                {al.summary}
              </p>
            ) : null}
          </Section>

          <Section title={t('acts.title')}>
            {al.acts.length === 0 ? (
              <p className="muted">{t('acts.none')}</p>
            ) : (
              <ul>
                {al.acts.map((act) => (
                  <li key={act.id}>
                    <strong>{vocab.label('act_kind', act.kind)}</strong>
                    {act.areaId && areaById.get(act.areaId) ? (
                      <span className="muted"> — {areaById.get(act.areaId)}</span>
                    ) : null}
                    {act.victimId ? (
                      <span className="muted"> — {pseudonym.get(act.victimId) ?? act.victimId}</span>
                    ) : null}
                    {act.description ? <div>{act.description}</div> : null}
                  </li>
                ))}
              </ul>
            )}
          </Section>

          <SourcesSection allegation={al} onChanged={a.reload} />
          <ProceedingsSection allegation={al} />
        </div>
        <div>
          <StatusSection allegation={al} onChanged={a.reload} />
          <ClassificationSection allegation={al} onChanged={a.reload} />
          <HistorySection allegationId={al.id} refreshKey={al.version} />
        </div>
      </div>
    </div>
  );
}
