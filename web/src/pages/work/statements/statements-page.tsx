/** What officials and others said, with stance and source; analysts review each against the evidence. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { Section, SelectField, termOptions } from '../components/form.tsx';
import { fetchAll, useFormat } from '../components/format.ts';
import { facilityName, loadFacilities } from '../components/registry.ts';
import { Done, ErrorNote, Loading } from '../components/status.tsx';
import type { Page, Source, Statement } from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { useTitle } from '../../../components/status.tsx';
import '../work.css';
import { ReviewPanel } from './review-panel.tsx';
import { StatementForm } from './statement-form.tsx';

const RECORDERS = ['documenter', 'analyst', 'monitor'];

export default function StatementsPage() {
  const { t } = useTranslation('statements');
  const vocab = useVocab();
  const { lang, date } = useFormat();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  useTitle(t('title'));
  const stance = params.get('stance') ?? '';
  const selected = params.get('id') ?? '';
  const unreviewed = params.get('unreviewed') === '1';
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState(false);
  const list = useLoad(`statements:${stance}`, () =>
    fetchAll<Statement>(`/statements${stance ? `?stance=${stance}` : ''}`, 5),
  );
  const sources = useLoad('sources', () => api<Page<Source>>('GET', '/sources?limit=200'));
  const facilities = useLoad('facilities', () => loadFacilities());
  const sourceOf = new Map((sources.data?.items ?? []).map((s) => [s.id, s]));
  const facilityOf = new Map((facilities.data ?? []).map((f) => [f.id, f]));
  const setParam = (k: string, v: string) => {
    const n = new URLSearchParams(params);
    if (v) n.set(k, v);
    else n.delete(k);
    setParams(n);
  };
  const shown = (list.data ?? []).filter((s) => !unreviewed || !s.review);

  return (
    <div className="work-page statements">
      <div className="section-head">
        <h1>{t('title')}</h1>
        {user && RECORDERS.includes(user.role) && !adding ? (
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
        <StatementForm
          sources={sources.data?.items ?? []}
          facilities={facilities.data ?? []}
          onDone={(id) => {
            setAdding(false);
            setCreated(true);
            list.reload();
            setParam('id', id);
          }}
          onCancel={() => setAdding(false)}
        />
      ) : null}
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the browsers Vigil supports; role="search" on the form is the landmark */}
      <form className="filters" role="search" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label={t('stance')}
          value={stance}
          empty={t('any')}
          options={termOptions(vocab.terms('statement_stance'), (id) => vocab.label('statement_stance', id))}
          onChange={(v) => setParam('stance', v)}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={unreviewed}
            onChange={(e) => setParam('unreviewed', e.target.checked ? '1' : '')}
          />{' '}
          {t('unreviewedOnly')}
        </label>
      </form>
      {list.loading ? <Loading /> : null}
      <ErrorNote error={list.error} />
      {list.data && shown.length === 0 ? <p className="muted">{t('none')}</p> : null}
      {shown.map((s) => {
        const src = sourceOf.get(s.sourceId);
        const open = selected === s.id;
        return (
          <Section key={s.id} id={`statement-${s.id}`} level={2} title={s.speakerLabel}>
            <p>
              <span className="badge status">{vocab.label('statement_stance', s.stance)}</span>{' '}
              <span className="muted">{s.statedText ?? (s.statedOn ? date(s.statedOn) : t('dateUnknown'))}</span>
              {s.facilityId ? (
                <span className="muted"> · {facilityName(facilityOf.get(s.facilityId), lang) || s.facilityId}</span>
              ) : null}
            </p>
            <p>{s.gist}</p>
            {s.quote ? <blockquote lang={src?.language ?? undefined}>{s.quote}</blockquote> : null}
            <p className="muted">
              {t('source')}:{' '}
              {src ? (
                src.url ? (
                  <a href={src.url} rel="noreferrer noopener" target="_blank">
                    {src.title}
                  </a>
                ) : (
                  src.title
                )
              ) : (
                s.sourceId
              )}
            </p>
            {s.review ? (
              <p className="notice">
                {t('review.rated')}: <strong>{vocab.label('review_rating', s.review.rating)}</strong>
                {s.review.reviewedAt ? <span className="muted"> ({date(s.review.reviewedAt)})</span> : null}
                {s.review.rationale ? (
                  <>
                    <br />
                    {t('review.internal')}: {s.review.rationale}
                  </>
                ) : null}
                <br />
                {t('review.published')}:{' '}
                {s.review.publicReview ?? <span className="muted">{t('review.nothingPublished')}</span>}
              </p>
            ) : (
              <p className="muted">{t('review.notYet')}</p>
            )}
            {open ? (
              <>
                <ReviewPanel statement={s} onDone={list.reload} />
                <Link to={`?${new URLSearchParams([...params.entries()].filter(([k]) => k !== 'id')).toString()}`}>
                  {t('close')}
                </Link>
              </>
            ) : (
              <button type="button" className="secondary" onClick={() => setParam('id', s.id)}>
                {user?.role === 'analyst' ? t('reviewAction') : t('evidenceAction')}
              </button>
            )}
          </Section>
        );
      })}
    </div>
  );
}
