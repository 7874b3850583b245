/** Monitoring visits and their recommendations: safeguards, findings, follow-up state and overdue flags. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { overdueRecommendation } from '../../../../../src/domain/recommendation-workflow.ts';
import { overdueVisit } from '../../../../../src/domain/visit-workflow.ts';
import type { RecommendationStatus, VisitStatus } from '../../../../../src/domain/vocabularies-monitoring.ts';
import { Section, SelectField } from '../components/form.tsx';
import { collator, fetchAll, useFormat } from '../components/format.ts';
import { facilityName, flattenAreas, loadFacilities } from '../components/registry.ts';
import { Done, ErrorNote, Loading } from '../components/status.tsx';
import type { FacilityDetail, Page, Source, Statement, VisitView } from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { useTitle } from '../../../components/status.tsx';
import '../work.css';
import { SafeguardsSummary } from './safeguards.tsx';
import { VisitForm } from './visit-form.tsx';
import { RecommendationStep, VisitStep, type Links } from './visit-steps.tsx';

async function loadVisits(): Promise<{ visits: VisitView[]; details: Map<string, FacilityDetail> }> {
  const visits = await fetchAll<VisitView>('/visits');
  const ids = [...new Set(visits.map((v) => v.facilityId))];
  const details = await Promise.all(
    ids.map((id) => api<FacilityDetail>('GET', `/facilities/${encodeURIComponent(id)}`)),
  );
  return { visits, details: new Map(details.map((d) => [d.id, d])) };
}

export default function VisitsPage() {
  const { t } = useTranslation('visits');
  const vocab = useVocab();
  const { lang, date } = useFormat();
  const { user } = useSession();
  const isMonitor = user?.role === 'monitor';
  const [params, setParams] = useSearchParams();
  useTitle(t('title'));
  const facilityId = params.get('facilityId') ?? '';
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState(false);
  const data = useLoad('visits', loadVisits);
  const facilities = useLoad('facilities', () => loadFacilities());
  const links = useLoad(isMonitor ? 'visit-links' : null, async (): Promise<Links> => {
    const [statements, sources] = await Promise.all([
      fetchAll<Statement>('/statements', 2),
      api<Page<Source>>('GET', '/sources?limit=200'),
    ]);
    return {
      statements: statements.map((s) => ({ id: s.id, label: `${s.speakerLabel}: ${s.gist.slice(0, 80)}` })),
      sources: sources.items.map((s) => ({ id: s.id, label: s.title })),
      visits: [],
    };
  });
  const now = new Date();
  const sort = collator(lang);
  const visits = (data.data?.visits ?? []).filter((v) => !facilityId || v.facilityId === facilityId);
  const visitLinks: Links = {
    statements: links.data?.statements ?? [],
    sources: links.data?.sources ?? [],
    visits: (data.data?.visits ?? []).map((v) => ({
      id: v.id,
      label: `${date(v.visitDate)} — ${facilityName(data.data?.details.get(v.facilityId), lang)}`,
    })),
  };

  return (
    <div className="work-page visits">
      <div className="section-head">
        <h1>{t('title')}</h1>
        {isMonitor && !adding ? (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setAdding(true);
              setCreated(false);
            }}
          >
            {t('form.open')}
          </button>
        ) : null}
      </div>
      <p className="lead">{t('lead')}</p>
      {created ? <Done>{t('form.saved')}</Done> : null}
      {adding ? (
        <VisitForm
          facilities={facilities.data ?? []}
          onDone={() => {
            setAdding(false);
            setCreated(true);
            data.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      ) : null}
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the browsers Vigil supports; role="search" on the form is the landmark */}
      <form className="filters" role="search" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label={t('form.facility')}
          value={facilityId}
          empty={t('any')}
          options={(facilities.data ?? [])
            .map((f) => ({ value: f.id, label: facilityName(f, lang) }))
            .sort((a, b) => sort.compare(a.label, b.label))}
          onChange={(v) => {
            const n = new URLSearchParams(params);
            if (v) n.set('facilityId', v);
            else n.delete('facilityId');
            setParams(n);
          }}
        />
      </form>
      {data.loading ? <Loading /> : null}
      <ErrorNote error={data.error} />
      {data.data && visits.length === 0 ? <p className="muted">{t('none')}</p> : null}
      {visits.map((v) => {
        const facility = data.data?.details.get(v.facilityId);
        const areaNames = new Map(
          flattenAreas(facility?.areas ?? [], lang).map(({ area, path }) => [area.id, path.join(' › ')]),
        );
        const late = overdueVisit({ status: v.status as VisitStatus, responseDue: v.responseDue }, now);
        return (
          <Section
            key={v.id}
            id={`visit-${v.id}`}
            title={`${date(v.visitDate)} — ${facilityName(facility, lang) || v.facilityId}`}
          >
            <p>
              <span className="badge status">{vocab.label('visit_status', v.status)}</span>{' '}
              {late.overdue ? (
                <span className="badge overdue">{t('overdueReply', { due: date(late.due) })}</span>
              ) : null}{' '}
              <span className="muted">
                {v.body} · {vocab.label('visit_type', v.visitType)} · {vocab.label('visit_mode', v.mode)}
                {v.team.length ? ` · ${t('team')}: ${v.team.join(', ')}` : ''}
              </span>
            </p>
            <div className="two-col">
              <div>
                <h3>{t('safeguards.title')}</h3>
                <SafeguardsSummary value={v.safeguards} />
                {v.findings ? (
                  <>
                    <h3>{t('form.findings')}</h3>
                    <p style={{ whiteSpace: 'pre-wrap' }}>{v.findings}</p>
                  </>
                ) : null}
                {v.findingsPublic ? (
                  <>
                    <h3>{t('form.findingsPublic')}</h3>
                    <p style={{ whiteSpace: 'pre-wrap' }}>{v.findingsPublic}</p>
                  </>
                ) : null}
                {v.startedAt || v.registersExamined || v.refusedAccess ? (
                  <dl className="facts">
                    {v.startedAt ? (
                      <>
                        <dt>{t('conductedAt')}</dt>
                        <dd>
                          {date(v.startedAt)}
                          {v.endedAt ? ` – ${date(v.endedAt)}` : ''}
                        </dd>
                      </>
                    ) : null}
                    {v.areaIds ? (
                      <>
                        <dt>{t('step.areas')}</dt>
                        <dd>
                          {v.areaIds.length
                            ? v.areaIds.map((id) => areaNames.get(id) ?? id).join('; ')
                            : t('noneRecorded')}
                        </dd>
                      </>
                    ) : null}
                    {v.registersExamined ? (
                      <>
                        <dt>{t('step.registers')}</dt>
                        <dd>{v.registersExamined.length ? v.registersExamined.join('; ') : t('noneRecorded')}</dd>
                      </>
                    ) : null}
                    {v.refusedAccess ? (
                      <>
                        <dt>{t('step.refused')}</dt>
                        <dd>
                          {v.refusedAccess.length ? <strong>{v.refusedAccess.join('; ')}</strong> : t('noneRecorded')}
                        </dd>
                      </>
                    ) : null}
                    {v.cancellationReason ? (
                      <>
                        <dt>{t('step.cancellationReason')}</dt>
                        <dd>{v.cancellationReason}</dd>
                      </>
                    ) : null}
                  </dl>
                ) : null}
                {v.responseDue ? (
                  <p>
                    {t('form.responseDue')}: {date(v.responseDue)}
                  </p>
                ) : null}
              </div>
              <div>{isMonitor ? <VisitStep visit={v} facility={facility} onDone={data.reload} /> : null}</div>
            </div>
            <h3>{t('recs.title')}</h3>
            {v.recommendations.length === 0 ? (
              <p className="muted">{t('recs.none')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('recs.text')}</th>
                    <th scope="col">{t('recs.addressee')}</th>
                    <th scope="col">{t('recs.deadline')}</th>
                    <th scope="col">{t('recs.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.recommendations.map((r) => {
                    const o = overdueRecommendation(
                      { status: r.status as RecommendationStatus, deadline: r.deadline },
                      now,
                    );
                    return (
                      <tr key={r.id}>
                        <td>{r.text}</td>
                        <td>{r.addressee}</td>
                        <td>{date(r.deadline)}</td>
                        <td>
                          <span className="badge">{vocab.label('recommendation_status', r.status)}</span>{' '}
                          {o.overdue ? <span className="badge overdue">{t('recs.overdue')}</span> : null}
                          {isMonitor ? <RecommendationStep rec={r} links={visitLinks} onDone={data.reload} /> : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </Section>
        );
      })}
    </div>
  );
}
