import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { CountCell } from '../../components/count-cell.tsx';
import { formatDate, formatNumber } from '../../i18n/index.ts';
import type { ReportedFigureWithVigil } from './types.ts';

/**
 * One figure as someone else published it — value, what it counts in the speaker's words, who
 * said it and as of when, the source — and beside it Vigil's own count of the same thing. The two
 * are never added: they count different things from different evidence.
 */
export function ReportedFigureCard(props: { figure: ReportedFigureWithVigil }): JSX.Element {
  const { t } = useTranslation('public');
  const f = props.figure;
  const value = f.valueMax !== null ? `${formatNumber(f.value)}–${formatNumber(f.valueMax)}` : formatNumber(f.value);
  return (
    <article
      className="figure-card"
      aria-label={`${value} ${t(`figureCounts.${f.counts}`, { defaultValue: f.countsLabel })}`}
    >
      <div className="figure-main">
        <span className="figure-value">{value}</span>
        <div>
          <div className="figure-what">{t(`figureCounts.${f.counts}`, { defaultValue: f.countsLabel })}</div>
          <div className="figure-quote">«{f.countsLabel}»</div>
        </div>
      </div>
      <dl className="figure-meta">
        <dt>{t('figure.speaker')}</dt>
        <dd>{f.statementId ? <Link to={`/statements/${f.statementId}`}>{f.speakerLabel}</Link> : f.speakerLabel}</dd>
        <dt>{t('figure.asOf')}</dt>
        <dd>{f.asOf ? formatDate(f.asOf, f.asOfPrecision) : t('figure.asOfUnknown')}</dd>
        <dt>{t('figure.source')}</dt>
        <dd>
          {f.source.url ? (
            <a href={f.source.url} rel="noreferrer noopener" target="_blank">
              {f.source.title}
            </a>
          ) : (
            f.source.title
          )}
          {f.source.publishedAt ? <span className="muted">, {formatDate(f.source.publishedAt)}</span> : null}
        </dd>
      </dl>
      {f.vigil ? (
        <p className="figure-vigil">
          <span>{t(`measure.${f.vigil.measure}`, { defaultValue: f.vigil.label })}:</span>{' '}
          <strong>
            <CountCell value={f.vigil.count} />
          </strong>
        </p>
      ) : null}
    </article>
  );
}
