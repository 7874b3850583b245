import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApi } from '../../api/client.ts';
import { ErrorMessage, Loading, useTitle } from '../../components/status.tsx';
import { formatDate } from '../../i18n/index.ts';
import { term } from '../../i18n/vocab.ts';
import { RatingBadge } from './rating-badge.tsx';
import type { Page, PublicStatement } from './types.ts';

/** Official statements reviewed against the evidence, newest first. */
export default function StatementsPage(): JSX.Element {
  const { t } = useTranslation('public');
  useTitle(t('statements.title'));
  const list = useApi<Page<PublicStatement>>('/public/statements?limit=200');
  const items = [...(list.data?.items ?? [])].reverse();
  return (
    <section className="page">
      <h1>{t('statements.title')}</h1>
      <p className="lead">{t('statements.lead')}</p>
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : list.loading && !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">{t('statements.none')}</p>
      ) : (
        <ul className="statement-cards">
          {items.map((s) => (
            <li key={s.id} className="statement-card">
              <div className="statement-card-head">
                <RatingBadge rating={s.review.rating} label={s.review.ratingLabel} />
                <span className="muted small">{term('statement_stance', s.stance, s.stanceLabel)}</span>
              </div>
              <h2 className="statement-card-title">
                <Link to={`/statements/${s.id}`}>{s.gist}</Link>
              </h2>
              <p className="muted small">
                {s.speakerLabel}
                {s.statedOn ? (
                  <>
                    , <time dateTime={s.statedOn}>{formatDate(s.statedOn, s.statedPrecision)}</time>
                  </>
                ) : null}
                {s.facility ? (
                  <>
                    {' '}
                    · <Link to={`/facilities/${s.facility.id}`}>{s.facility.name}</Link>
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
