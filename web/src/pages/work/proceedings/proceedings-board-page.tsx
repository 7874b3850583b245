/** Every proceeding the user may see, in columns by stage, overdue ones flagged; filter by body and facility. */
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { SelectField } from '../components/form.tsx';
import { collator, fetchAll, useFormat } from '../components/format.ts';
import { facilityName, loadFacilities } from '../components/registry.ts';
import { ErrorNote, Loading } from '../components/status.tsx';
import type { Allegation, ProceedingView } from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { useTitle } from '../../../components/status.tsx';
import '../work.css';
import { DeadlineNote } from './timeline.tsx';

interface BoardData {
  proceedings: ProceedingView[];
  /** Allegation id → facility id, to filter proceedings by the facility of their allegation. */
  facilityOf: Map<string, string | null>;
  titleOf: Map<string, string>;
}

async function loadBoard(): Promise<BoardData> {
  const [proceedings, allegations] = await Promise.all([
    fetchAll<ProceedingView>('/proceedings'),
    fetchAll<Allegation>('/allegations'),
  ]);
  return {
    proceedings,
    facilityOf: new Map(allegations.map((a) => [a.id, a.facilityId])),
    titleOf: new Map(allegations.map((a) => [a.id, a.title])),
  };
}

export default function ProceedingsBoardPage() {
  const { t } = useTranslation('proceedings');
  const vocab = useVocab();
  const { lang, date } = useFormat();
  const [params, setParams] = useSearchParams();
  useTitle(t('board.title'));
  const body = params.get('body') ?? '';
  const facilityId = params.get('facilityId') ?? '';
  const overdueOnly = params.get('overdue') === '1';
  const board = useLoad('board', loadBoard);
  const facilities = useLoad('facilities', () => loadFacilities());
  const sort = collator(lang);
  const setFilter = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };

  const all = board.data?.proceedings ?? [];
  const shown = all.filter(
    (p) =>
      (!body || p.body === body) &&
      (!facilityId || (p.allegationId && board.data?.facilityOf.get(p.allegationId) === facilityId)) &&
      (!overdueOnly || p.overdue.overdue),
  );
  const stages = vocab
    .terms('proceeding_stage')
    .map((s) => s.id)
    .filter((s) => shown.some((p) => p.stage === s));
  const bodies = [...new Set(all.map((p) => p.body))].sort((a, b) => sort.compare(a, b));
  const usedFacilities = new Set(
    all.map((p) => (p.allegationId ? board.data?.facilityOf.get(p.allegationId) : null)).filter(Boolean),
  );
  const overdueCount = shown.filter((p) => p.overdue.overdue).length;

  return (
    <div className="work-page proceedings-board">
      <h1>{t('board.title')}</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the browsers Vigil supports; role="search" on the form is the landmark */}
      <form className="filters" role="search" aria-label={t('board.filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label={t('board.body')}
          value={body}
          empty={t('board.any')}
          options={bodies.map((b) => ({ value: b, label: b }))}
          onChange={(v) => setFilter('body', v)}
        />
        <SelectField
          label={t('board.facility')}
          value={facilityId}
          empty={t('board.any')}
          options={(facilities.data ?? [])
            .filter((f) => usedFacilities.has(f.id))
            .map((f) => ({ value: f.id, label: facilityName(f, lang) }))
            .sort((a, b) => sort.compare(a.label, b.label))}
          onChange={(v) => setFilter('facilityId', v)}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={overdueOnly}
            onChange={(e) => setFilter('overdue', e.target.checked ? '1' : '')}
          />{' '}
          {t('board.overdueOnly')}
        </label>
      </form>
      {board.loading ? <Loading /> : null}
      <ErrorNote error={board.error} />
      {board.data ? <p role="status">{t('board.summary', { n: shown.length, overdue: overdueCount })}</p> : null}
      {board.data && shown.length === 0 ? <p className="muted">{t('board.none')}</p> : null}
      <div className="board">
        {stages.map((stage) => (
          <section key={stage} className="board-column" aria-labelledby={`col-${stage}`}>
            <h2 id={`col-${stage}`}>
              {vocab.label('proceeding_stage', stage)}{' '}
              <span className="muted">({shown.filter((p) => p.stage === stage).length})</span>
            </h2>
            {shown
              .filter((p) => p.stage === stage)
              .map((p) => (
                <article key={p.id} className={`card ${p.overdue.overdue ? 'overdue' : ''}`}>
                  <Link to={`/work/proceedings/${encodeURIComponent(p.id)}`}>
                    {vocab.label('proceeding_kind', p.kind)}: {p.body}
                  </Link>
                  {p.reference ? <div className="muted">{p.reference}</div> : null}
                  {p.allegationId && board.data?.titleOf.get(p.allegationId) ? (
                    <div className="muted">{board.data.titleOf.get(p.allegationId)}</div>
                  ) : null}
                  <div className="muted">{t('board.since', { date: date(p.stageOn) })}</div>
                  <div>
                    <DeadlineNote p={p} />
                  </div>
                </article>
              ))}
          </section>
        ))}
      </div>
      <p className="hint">{t('deadline.placeholder')}</p>
    </div>
  );
}
