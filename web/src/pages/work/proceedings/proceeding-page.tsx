/** One proceeding: its facts, stage timeline, deadline, and the form for the next stage. */
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../../api/client.ts';
import { Section } from '../components/form.tsx';
import { useFormat } from '../components/format.ts';
import { ErrorNote, Loading } from '../components/status.tsx';
import type { AllegationDetail, ProceedingView, Source } from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { useTitle } from '../../../components/status.tsx';
import '../work.css';
import { StageForm } from './stage-form.tsx';
import { DeadlineNote, ProceedingTimeline } from './timeline.tsx';

async function loadContext(allegationId: string | null): Promise<{ allegation?: AllegationDetail; sources: Source[] }> {
  if (!allegationId) return { sources: [] };
  const allegation = await api<AllegationDetail>('GET', `/allegations/${encodeURIComponent(allegationId)}`);
  const sources = await Promise.all(
    allegation.sources.map((s) => api<Source>('GET', `/sources/${encodeURIComponent(s.sourceId)}`)),
  );
  return { allegation, sources };
}

export default function ProceedingPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('proceedings');
  const vocab = useVocab();
  const { date } = useFormat();
  const p = useLoad(`proceeding:${id}`, () => api<ProceedingView>('GET', `/proceedings/${encodeURIComponent(id)}`));
  useTitle(p.data ? `${vocab.label('proceeding_kind', p.data.kind)} — ${p.data.body}` : t('page.title'));
  const ctx = useLoad(p.data ? `ctx:${p.data.allegationId ?? ''}` : null, () =>
    loadContext(p.data?.allegationId ?? null),
  );

  if (p.loading && !p.data)
    return (
      <div className="work-page">
        <Loading />
      </div>
    );
  if (!p.data)
    return (
      <div className="work-page">
        <h1>{t('page.title')}</h1>
        <ErrorNote error={p.error} />
      </div>
    );
  const pr = p.data;
  return (
    <div className="work-page proceeding">
      <p>
        <Link to="/work/proceedings">{t('page.back')}</Link>
      </p>
      <h1>
        {vocab.label('proceeding_kind', pr.kind)} — {pr.body}
      </h1>
      <div className="two-col">
        <div>
          <Section title={t('page.facts')}>
            <dl className="facts">
              <dt>{t('page.stage')}</dt>
              <dd>
                <span className="badge status">{vocab.label('proceeding_stage', pr.stage)}</span>{' '}
                {t('board.since', { date: date(pr.stageOn) })}
              </dd>
              <dt>{t('page.deadline')}</dt>
              <dd>
                <DeadlineNote p={pr} />
              </dd>
              <dt>{t('page.openedOn')}</dt>
              <dd>{date(pr.openedOn)}</dd>
              {pr.reference ? (
                <>
                  <dt>{t('stage.fields.reference')}</dt>
                  <dd>{pr.reference}</dd>
                </>
              ) : null}
              {pr.erdrNumber ? (
                <>
                  <dt>{t('stage.fields.erdrNumber')}</dt>
                  <dd>{pr.erdrNumber}</dd>
                </>
              ) : null}
              {pr.codeArticle ? (
                <>
                  <dt>{t('page.article')}</dt>
                  <dd>{t('page.articlePart', { article: pr.codeArticle, part: pr.codePart ?? '—' })}</dd>
                </>
              ) : null}
              {pr.outcome ? (
                <>
                  <dt>{t('page.outcome')}</dt>
                  <dd>{pr.outcome}</dd>
                </>
              ) : null}
              <dt>{t('page.allegation')}</dt>
              <dd>
                {pr.allegationId ? (
                  <Link to={`/work/allegations/${encodeURIComponent(pr.allegationId)}`}>
                    {ctx.data?.allegation?.title ?? pr.allegationId}
                  </Link>
                ) : (
                  '—'
                )}
              </dd>
              {pr.parentId ? (
                <>
                  <dt>{t('page.parent')}</dt>
                  <dd>
                    <Link to={`/work/proceedings/${encodeURIComponent(pr.parentId)}`}>{pr.parentId}</Link>
                  </dd>
                </>
              ) : null}
            </dl>
            <p className="hint">{t('deadline.placeholder')}</p>
          </Section>
          <Section title={t('timeline')}>
            <ProceedingTimeline p={pr} />
          </Section>
        </div>
        <div>
          <Section title={t('stage.next')}>
            <ErrorNote error={ctx.error} />
            <StageForm
              p={pr}
              sources={(ctx.data?.sources ?? []).map((s) => ({ id: s.id, title: s.title }))}
              onDone={p.reload}
            />
          </Section>
        </div>
      </div>
    </div>
  );
}
