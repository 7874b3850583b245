import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useApi } from '../../api/client.ts';
import { ErrorMessage, Loading, useTitle } from '../../components/status.tsx';
import { formatDate } from '../../i18n/index.ts';
import { term } from '../../i18n/vocab.ts';
import { RatingBadge } from './rating-badge.tsx';
import type { PublicStatement } from './types.ts';

/** One reviewed statement: the claim, what the evidence shows, then what was said in full and where. */
export default function StatementPage(): JSX.Element {
  const { t } = useTranslation('public');
  const { id } = useParams();
  const res = useApi<PublicStatement>(id ? `/public/statements/${encodeURIComponent(id)}` : null);
  const s = res.data;
  useTitle(s ? `${t('statement.title')}: ${s.speakerLabel}` : t('statement.title'));
  if (res.error)
    return (
      <section className="page">
        <h1>{t('statement.title')}</h1>
        <ErrorMessage error={res.error} />
      </section>
    );
  if (!s)
    return (
      <section className="page">
        <Loading />
      </section>
    );
  return (
    <article className="page narrow statement-page">
      <p className="breadcrumb">
        <Link to="/statements">{t('statements.title')}</Link>
      </p>
      <h1>{t('statement.title')}</h1>
      <p className="statement-meta">
        <span className="statement-speaker">{s.speakerLabel}</span>
        {s.statedOn ? (
          <>
            , <time dateTime={s.statedOn}>{formatDate(s.statedOn, s.statedPrecision)}</time>
          </>
        ) : null}
        <span className="muted"> · {term('statement_stance', s.stance, s.stanceLabel)}</span>
      </p>
      <p className="claim">{s.gist}</p>

      <section className="review" aria-labelledby="review-title">
        <h2 id="review-title">{t('statement.evidence')}</h2>
        <p>
          <RatingBadge rating={s.review.rating} label={s.review.ratingLabel} />
        </p>
        {s.review.publicReview ? (
          <p className="rationale">{s.review.publicReview}</p>
        ) : (
          <p className="muted">{t('statement.noRationale')}</p>
        )}
        {s.review.reviewedAt ? (
          <p className="muted small">{t('statement.reviewedAt', { date: formatDate(s.review.reviewedAt, 'day') })}</p>
        ) : null}
      </section>

      <section aria-labelledby="said-title">
        <h2 id="said-title">{t('statement.said')}</h2>
        {s.quote ? <blockquote className="quote">{s.quote}</blockquote> : null}
        <dl className="facts">
          <dt>{t('figure.speaker')}</dt>
          <dd>{s.speakerLabel}</dd>
          {s.facility ? (
            <>
              <dt>{t('statement.facility')}</dt>
              <dd>
                <Link to={`/facilities/${s.facility.id}`}>{s.facility.name}</Link>
              </dd>
            </>
          ) : null}
          <dt>{t('figure.source')}</dt>
          <dd>
            {s.source.url ? (
              <a href={s.source.url} rel="noreferrer noopener" target="_blank">
                {s.source.title}
              </a>
            ) : (
              s.source.title
            )}
            {s.source.outlet ? `, ${s.source.outlet}` : ''}
            {s.source.publishedAt ? `, ${formatDate(s.source.publishedAt)}` : ''}
          </dd>
        </dl>
      </section>
      <p className="small generated">
        <a href={`/api/v1/public/statements/${encodeURIComponent(s.id)}.jsonld`}>{t('statement.jsonld')}</a>
      </p>
    </article>
  );
}
