import { lazy, Suspense, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApi } from '../../api/client.ts';
import { CountCell } from '../../components/count-cell.tsx';
import { ErrorBoundary } from '../../components/error-boundary.tsx';
import { ErrorMessage, Loading, useTitle } from '../../components/status.tsx';
import { compareText, formatDate } from '../../i18n/index.ts';
import { facilityName } from './names.ts';
import { ReportedFigureCard } from './reported-figure.tsx';
import type { Page, PublicFacilitySummary, PublicStatistics, ReportedFigureWithVigil } from './types.ts';

// Chart.js is the heaviest part of the page: it loads after the numbers are on screen.
const HomeCharts = lazy(() => import('./home-charts.tsx'));

// Reported figures in the order of the funnel they sit beside: reports, then what was opened, then outcomes.
const FIGURE_ORDER = [
  'torture_reports',
  'complaints',
  'criminal_investigations',
  'internal_inquiries',
  'indictments',
  'convictions',
];
function figureRank(counts: string): number {
  const i = FIGURE_ORDER.indexOf(counts);
  return i === -1 ? FIGURE_ORDER.length : i;
}

const FUNNEL = ['complaints', 'refused', 'registered', 'investigated', 'indicted', 'convicted'] as const;

/** The public front page: headline counts, the accountability funnel beside the reported figures, charts, facilities. */
export function HomePage(): JSX.Element {
  const { t } = useTranslation('public');
  useTitle(t('home.title'));
  const stats = useApi<PublicStatistics>('/public/statistics');
  const figures = useApi<{ items: ReportedFigureWithVigil[] }>('/public/reported-figures');
  const facilities = useApi<Page<PublicFacilitySummary>>('/public/facilities?limit=100');

  if (stats.error)
    return (
      <section className="page">
        <h1>{t('home.title')}</h1>
        <ErrorMessage error={stats.error} />
      </section>
    );
  const s = stats.data;
  const facilityList = [...(facilities.data?.items ?? [])].sort((a, b) =>
    compareText(facilityName(a), facilityName(b)),
  );

  return (
    <div className="page home">
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        <p className="lead">{t('home.lead')}</p>
        {s ? <p className="muted small">{t('home.asOf', { date: formatDate(s.generatedAt, 'datetime') })}</p> : null}
      </section>

      {!s ? (
        <Loading />
      ) : (
        <>
          <section aria-labelledby="headline-title">
            <h2 id="headline-title" className="visually-hidden">
              {t('home.headline')}
            </h2>
            <ul className="stat-cards">
              <li className="stat-card">
                <span className="stat-value">
                  <CountCell value={s.allegations.total} />
                </span>
                <span className="stat-label">{t('home.stat.allegations')}</span>
              </li>
              <li className="stat-card">
                <span className="stat-value">
                  <CountCell value={facilities.data ? facilities.data.items.length : null} />
                </span>
                <span className="stat-label">{t('home.stat.facilities')}</span>
              </li>
              <li className="stat-card">
                <span className="stat-value">
                  <CountCell value={s.funnel.registered} />
                </span>
                <span className="stat-label">{t('home.stat.registered')}</span>
              </li>
              <li className="stat-card">
                <span className="stat-value">
                  <CountCell value={s.funnel.convicted} />
                </span>
                <span className="stat-label">{t('home.stat.convicted')}</span>
              </li>
            </ul>
          </section>

          <section className="accountability" aria-labelledby="funnel-title">
            <h2 id="funnel-title">{t('funnel.title')}</h2>
            <p className="section-lead">{t('funnel.lead')}</p>
            <div className="two-columns">
              <div className="panel">
                <h3>{t('funnel.documented')}</h3>
                <table className="funnel-table">
                  <caption className="visually-hidden">{t('funnel.documented')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('funnel.stage')}</th>
                      <th scope="col" className="num">
                        {t('funnel.count')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {FUNNEL.map((k) => (
                      <tr key={k}>
                        <th scope="row">{t(`funnel.${k}`)}</th>
                        <td className="num">
                          <CountCell value={s.funnel[k]} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                  <tbody className="apart">
                    <tr>
                      <th scope="row">
                        {t('funnel.internalInquiries')}
                        <span className="hint-inline">{t('funnel.internalApart')}</span>
                      </th>
                      <td className="num">
                        <CountCell value={s.funnel.internalInquiries} />
                      </td>
                    </tr>
                  </tbody>
                </table>
                <p className="muted small">
                  {t('funnel.documentedSource', { date: formatDate(s.generatedAt, 'datetime') })}
                </p>
              </div>
              <div className="panel">
                <h3>{t('funnel.reported')}</h3>
                {figures.error ? (
                  <ErrorMessage error={figures.error} />
                ) : !figures.data ? (
                  <Loading />
                ) : figures.data.items.length === 0 ? (
                  <p className="muted">{t('funnel.noReported')}</p>
                ) : (
                  <ul className="figure-list">
                    {[...figures.data.items]
                      .sort((a, b) => figureRank(a.counts) - figureRank(b.counts))
                      .map((f) => (
                        <li key={f.id}>
                          <ReportedFigureCard figure={f} />
                        </li>
                      ))}
                  </ul>
                )}
              </div>
            </div>
            <p className="note">{t('funnel.neverSummed')}</p>
          </section>

          <section aria-labelledby="charts-title">
            <h2 id="charts-title">{t('charts.title')}</h2>
            <ErrorBoundary fallback={<p className="notice">{t('charts.failed')}</p>}>
              <Suspense fallback={<Loading />}>
                <HomeCharts stats={s} facilities={facilities.data?.items ?? []} />
              </Suspense>
            </ErrorBoundary>
          </section>

          <section aria-labelledby="facilities-title">
            <h2 id="facilities-title">{t('facilities.title')}</h2>
            {facilities.error ? (
              <ErrorMessage error={facilities.error} />
            ) : (
              <ul className="facility-cards">
                {facilityList.map((f) => (
                  <li key={f.id} className="facility-card">
                    <Link to={`/facilities/${f.id}`} className="facility-card-name">
                      {facilityName(f)}
                    </Link>
                    <span className="muted small">{[f.code, f.city].filter(Boolean).join(' · ')}</span>
                    <span className="facility-card-count">
                      <CountCell value={f.counts.allegations} />{' '}
                      <span className="muted">{t('facilities.allegations')}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="rules" aria-labelledby="rules-title">
            <h2 id="rules-title">{t('rules.title')}</h2>
            <ul>
              <li>{t('rules.minimum', { min: s.rules.minimumCount, max: s.rules.minimumCount - 1 })}</li>
              <li>{t('rules.counted')}</li>
              <li>{t('rules.sums')}</li>
              <li>{t('rules.reported')}</li>
            </ul>
          </section>
        </>
      )}
    </div>
  );
}
