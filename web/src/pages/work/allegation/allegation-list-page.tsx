/** Allegations the user may see, newest first in the API's order, filtered by status, classification and facility. */
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { SelectField, termOptions } from '../components/form.tsx';
import { collator, useFormat } from '../components/format.ts';
import { facilityName, loadFacilities } from '../components/registry.ts';
import { ErrorNote, Loading } from '../components/status.tsx';
import type { Allegation, Page } from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { useTitle } from '../../../components/status.tsx';
import '../work.css';
import { periodText } from './period-text.ts';

export default function AllegationListPage() {
  const { t } = useTranslation('allegation');
  const vocab = useVocab();
  const { lang, date } = useFormat();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  useTitle(t('list.title'));
  const filter = {
    status: params.get('status') ?? '',
    classification: params.get('classification') ?? '',
    facilityId: params.get('facilityId') ?? '',
    after: params.get('after') ?? '',
  };
  const query = new URLSearchParams(Object.entries({ ...filter, limit: '50' }).filter(([, v]) => v !== '')).toString();
  const list = useLoad(`allegations?${query}`, () => api<Page<Allegation>>('GET', `/allegations?${query}`));
  const facilities = useLoad('facilities', () => loadFacilities());
  const byId = new Map((facilities.data ?? []).map((f) => [f.id, f]));
  const setFilter = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    next.delete('after');
    setParams(next);
  };
  const sort = collator(lang);

  return (
    <div className="work-page">
      <div className="section-head">
        <h1>{t('list.title')}</h1>
        {user && ['documenter', 'analyst', 'monitor'].includes(user.role) ? (
          <Link to="/work/intake">{t('list.new')}</Link>
        ) : null}
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the browsers Vigil supports; role="search" on the form is the landmark */}
      <form className="filters" role="search" aria-label={t('list.filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label={t('list.status')}
          value={filter.status}
          empty={t('list.any')}
          options={termOptions(vocab.terms('verification_status'), (id) => vocab.label('verification_status', id))}
          onChange={(v) => setFilter('status', v)}
        />
        <SelectField
          label={t('list.classification')}
          value={filter.classification}
          empty={t('list.any')}
          options={termOptions(vocab.terms('classification'), (id) => vocab.label('classification', id))}
          onChange={(v) => setFilter('classification', v)}
        />
        <SelectField
          label={t('list.facility')}
          value={filter.facilityId}
          empty={t('list.any')}
          options={(facilities.data ?? [])
            .map((f) => ({ value: f.id, label: facilityName(f, lang) }))
            .sort((a, b) => sort.compare(a.label, b.label))}
          onChange={(v) => setFilter('facilityId', v)}
        />
      </form>
      {list.loading ? <Loading /> : null}
      <ErrorNote error={list.error} />
      {list.data && list.data.items.length === 0 ? <p className="muted">{t('list.none')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <table>
          <caption className="visually-hidden">{t('list.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.allegation')}</th>
              <th scope="col">{t('list.when')}</th>
              <th scope="col">{t('list.facility')}</th>
              <th scope="col">{t('list.status')}</th>
              <th scope="col">{t('list.classification')}</th>
              <th scope="col">{t('list.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/work/allegations/${encodeURIComponent(a.id)}`}>{a.title}</Link>
                </td>
                <td>{periodText(a.period, lang, vocab.label('date_precision', a.period.precision))}</td>
                <td>{a.facilityId ? facilityName(byId.get(a.facilityId), lang) || a.facilityId : '—'}</td>
                <td>{vocab.label('verification_status', a.verificationStatus)}</td>
                <td>{vocab.label('classification', a.classification)}</td>
                <td>{date(a.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data?.nextCursor ? (
        <button
          type="button"
          onClick={() => {
            const cursor = list.data?.nextCursor;
            if (!cursor) return;
            const next = new URLSearchParams(params);
            next.set('after', cursor);
            setParams(next);
          }}
        >
          {t('list.more')}
        </button>
      ) : null}
    </div>
  );
}
