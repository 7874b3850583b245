/** One search box over facilities, sources, statements and allegations, with highlights and facets. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../../api/client.ts';
import { useFormat } from '../components/format.ts';
import { facilityName, loadFacilities } from '../components/registry.ts';
import { ErrorNote, Loading } from '../components/status.tsx';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { useTitle } from '../../../components/status.tsx';
import '../work.css';

interface Facet {
  value: string;
  label: string;
  count: number;
}
interface SearchResults {
  total: number;
  results: { entityType: string; entityId: string; title: string; snippet: string; score: number }[];
  facets: Record<'facility' | 'classification' | 'status' | 'year' | 'type', Facet[]>;
  emptyQuery: boolean;
}

const FILTERS = ['facilityId', 'classification', 'status', 'year', 'types'] as const;
const FACET_PARAM: Record<keyof SearchResults['facets'], (typeof FILTERS)[number]> = {
  facility: 'facilityId',
  classification: 'classification',
  status: 'status',
  year: 'year',
  type: 'types',
};
const PAGE = 20;

/** The snippet with the API's «matched words» shown as <mark>. */
function Highlighted({ text }: { text: string }) {
  const parts = text.split(/(«[^»]*»)/g);
  return (
    <>
      {parts.map((p, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet, split once and never reordered
        p.startsWith('«') && p.endsWith('»') ? <mark key={i}>{p.slice(1, -1)}</mark> : <span key={i}>{p}</span>,
      )}
    </>
  );
}

function linkTo(type: string, id: string): string | null {
  const e = encodeURIComponent(id);
  if (type === 'allegation') return `/work/allegations/${e}`;
  if (type === 'statement') return `/work/statements?id=${e}`;
  if (type === 'facility') return `/facilities/${e}`;
  return null;
}

export default function SearchPage() {
  const { t } = useTranslation('search');
  const vocab = useVocab();
  const { lang, count } = useFormat();
  const [params, setParams] = useSearchParams();
  useTitle(t('title'));
  const q = params.get('q') ?? '';
  const offset = Number(params.get('offset') ?? '0') || 0;
  const [text, setText] = useState(q);
  const query = new URLSearchParams([
    ['q', q],
    ...FILTERS.filter((f) => params.get(f)).map((f) => [f, params.get(f) ?? ''] as [string, string]),
    ['limit', String(PAGE)],
    ['offset', String(offset)],
  ]).toString();
  const res = useLoad(q.trim() ? `search?${query}` : null, () => api<SearchResults>('GET', `/search?${query}`));
  const facilities = useLoad('facilities', () => loadFacilities());
  const byId = new Map((facilities.data ?? []).map((f) => [f.id, f]));

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const n = new URLSearchParams(params);
    n.set('q', text.trim());
    n.delete('offset');
    setParams(n);
  };
  const toggle = (param: string, value: string) => {
    const n = new URLSearchParams(params);
    if (n.get(param) === value) n.delete(param);
    else n.set(param, value);
    n.delete('offset');
    setParams(n);
  };
  const facetLabel = (dim: string, f: Facet): string => {
    if (dim === 'facility') return facilityName(byId.get(f.value), lang) || f.label;
    if (dim === 'classification') return vocab.label('classification', f.value);
    // One status facet over every kind of record: verification status, a statement's stance, a source's kind.
    if (dim === 'status') {
      for (const name of ['verification_status', 'statement_stance', 'source_kind']) {
        if (vocab.terms(name).some((x) => x.id === f.value)) return vocab.label(name, f.value);
      }
      return f.label;
    }
    if (dim === 'type') return t(`types.${f.value}`, { defaultValue: f.label });
    return f.label;
  };
  const data = res.data;

  return (
    <div className="work-page search">
      <h1>{t('title')}</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the browsers Vigil supports; role="search" on the form is the landmark */}
      <form role="search" onSubmit={submit} className="search-form">
        <label htmlFor="search-q" className="block-label">
          {t('label')}
        </label>
        <div className="inline">
          <input
            id="search-q"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby="search-hint"
            style={{ minWidth: '24rem' }}
          />
          <button type="submit" className="primary">
            {t('go')}
          </button>
        </div>
        <small id="search-hint" className="hint block-label">
          {t('hint')}
        </small>
      </form>
      {res.loading ? <Loading /> : null}
      <ErrorNote error={res.error} />
      {data?.emptyQuery ? <p className="muted">{t('emptyQuery')}</p> : null}
      {data && !data.emptyQuery ? (
        <div className="two-col">
          <section aria-labelledby="results-h">
            <h2 id="results-h">{t('results', { n: count(data.total) })}</h2>
            {data.results.length === 0 ? <p className="muted">{t('none')}</p> : null}
            {data.results.map((r) => {
              const to = linkTo(r.entityType, r.entityId);
              return (
                <article key={`${r.entityType}:${r.entityId}`} className="result">
                  <div className="muted">{t(`types.${r.entityType}`, { defaultValue: r.entityType })}</div>
                  <h3>{to ? <Link to={to}>{r.title}</Link> : r.title}</h3>
                  <p>
                    <Highlighted text={r.snippet} />
                  </p>
                </article>
              );
            })}
            <div className="actions">
              {offset > 0 ? (
                <button
                  type="button"
                  onClick={() => {
                    const n = new URLSearchParams(params);
                    n.set('offset', String(Math.max(0, offset - PAGE)));
                    setParams(n);
                  }}
                >
                  {t('previous')}
                </button>
              ) : null}
              {offset + PAGE < data.total ? (
                <button
                  type="button"
                  onClick={() => {
                    const n = new URLSearchParams(params);
                    n.set('offset', String(offset + PAGE));
                    setParams(n);
                  }}
                >
                  {t('next')}
                </button>
              ) : null}
            </div>
          </section>
          <aside aria-labelledby="facets-h" className="facets">
            <h2 id="facets-h">{t('facets.title')}</h2>
            {(['type', 'facility', 'classification', 'status', 'year'] as const).map((dim) =>
              data.facets[dim].length > 0 ? (
                <fieldset key={dim} className="checks">
                  <legend>{t(`facets.${dim}`)}</legend>
                  {data.facets[dim].map((f) => {
                    const param = FACET_PARAM[dim];
                    return (
                      <label key={f.value} className="check">
                        <input
                          type="checkbox"
                          checked={params.get(param) === f.value}
                          onChange={() => toggle(param, f.value)}
                        />
                        {facetLabel(dim, f)} <span className="muted">({count(f.count)})</span>
                      </label>
                    );
                  })}
                </fieldset>
              ) : null,
            )}
          </aside>
        </div>
      ) : null}
    </div>
  );
}
