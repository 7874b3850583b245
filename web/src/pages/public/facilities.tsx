import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApi } from '../../api/client.ts';
import { CountCell } from '../../components/count-cell.tsx';
import { ErrorMessage, Loading, useTitle } from '../../components/status.tsx';
import { compareText } from '../../i18n/index.ts';
import { term } from '../../i18n/vocab.ts';
import { facilityName } from './names.ts';
import type { Page, PublicFacilitySummary } from './types.ts';

/** Every place of detention on record, sorted by name in the reader's language. */
export default function FacilitiesPage(): JSX.Element {
  const { t } = useTranslation('public');
  useTitle(t('facilities.title'));
  const list = useApi<Page<PublicFacilitySummary>>('/public/facilities?limit=200');
  const items = [...(list.data?.items ?? [])].sort((a, b) => compareText(facilityName(a), facilityName(b)));
  return (
    <section className="page">
      <h1>{t('facilities.title')}</h1>
      <p className="lead">{t('facilities.lead')}</p>
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : list.loading && !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">{t('facilities.none')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('facilities.name')}</th>
              <th scope="col">{t('facilities.code')}</th>
              <th scope="col">{t('facilities.kind')}</th>
              <th scope="col">{t('facilities.place')}</th>
              <th scope="col" className="num">
                {t('facilities.allegationsHeader')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.id}>
                <th scope="row">
                  <Link to={`/facilities/${f.id}`}>{facilityName(f)}</Link>
                </th>
                <td className="code">{f.code ?? '—'}</td>
                <td>{term('facility_kind', f.kind, f.kindLabel)}</td>
                <td>{[f.city, f.region].filter(Boolean).join(', ') || '—'}</td>
                <td className="num">
                  <CountCell value={f.counts.allegations} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
