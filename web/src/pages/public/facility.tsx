import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useApi } from '../../api/client.ts';
import { CountCell } from '../../components/count-cell.tsx';
import { ErrorMessage, Loading, useTitle } from '../../components/status.tsx';
import { Timeline } from '../../components/timeline.tsx';
import { compareText, formatDate, formatNumber } from '../../i18n/index.ts';
import { term, terms } from '../../i18n/vocab.ts';
import { areaLabel, facilityName } from './names.ts';
import { RatingBadge } from './rating-badge.tsx';
import type { PublicAreaNode, PublicFacilityPage } from './types.ts';

const LEVELS = terms('area_level').map((l) => l.id);
function levelRank(level: string): number {
  const i = LEVELS.indexOf(level);
  return i === -1 ? LEVELS.length : i;
}

function AreaTree(props: { nodes: PublicAreaNode[]; depth: number }): JSX.Element {
  const { t } = useTranslation('public');
  // Outside in (site, building, floor, room…), then by name in the reader's collation.
  const nodes = [...props.nodes].sort(
    (a, b) => levelRank(a.level) - levelRank(b.level) || compareText(areaLabel(a), areaLabel(b)),
  );
  return (
    <ul className={props.depth === 0 ? 'area-tree' : 'area-children'}>
      {nodes.map((a) => (
        <li key={a.id} className="area">
          <div className="area-head">
            <span className="area-level">{term('area_level', a.level)}</span>
            <span className="area-label">{areaLabel(a)}</span>
            {a.count !== null ? <span className="muted">× {formatNumber(a.count)}</span> : null}
          </div>
          <dl className="area-facts">
            {a.floors ? (
              <>
                <dt>{t('facility.floors')}</dt>
                <dd>{a.floors}</dd>
              </>
            ) : null}
            {a.location ? (
              <>
                <dt>{t('facility.location')}</dt>
                <dd>{a.location}</dd>
              </>
            ) : null}
            {a.access ? (
              <>
                <dt>{t('facility.access')}</dt>
                <dd>{a.access}</dd>
              </>
            ) : null}
            <dt>{t('facility.declaredUse')}</dt>
            <dd>
              {a.declaredUse.length > 0 ? (
                a.declaredUse.join('; ')
              ) : (
                <span className="muted">{t('facility.noDeclaredUse')}</span>
              )}
            </dd>
            {a.declaredBy ? (
              <>
                <dt>{t('facility.declaredBy')}</dt>
                <dd>
                  {a.declaredInStatementId ? (
                    <Link to={`/statements/${a.declaredInStatementId}`}>{a.declaredBy}</Link>
                  ) : (
                    a.declaredBy
                  )}
                </dd>
              </>
            ) : null}
          </dl>
          {a.children.length > 0 ? <AreaTree nodes={a.children} depth={props.depth + 1} /> : null}
        </li>
      ))}
    </ul>
  );
}

/** A facility: what it is, its layout as declared and by whom, what was documented there, visits and reviewed statements. */
export default function FacilityPage(): JSX.Element {
  const { t } = useTranslation('public');
  const { id } = useParams();
  const page = useApi<PublicFacilityPage>(id ? `/public/facilities/${encodeURIComponent(id)}` : null);
  const f = page.data;
  useTitle(f ? facilityName(f) : t('facility.title'));
  if (page.error)
    return (
      <section className="page">
        <h1>{t('facility.title')}</h1>
        <ErrorMessage error={page.error} />
      </section>
    );
  if (!f)
    return (
      <section className="page">
        <Loading />
      </section>
    );
  const otherName = facilityName(f) === f.name ? f.nameRu : f.name;
  return (
    <article className="page facility-page">
      <p className="breadcrumb">
        <Link to="/facilities">{t('facilities.title')}</Link>
      </p>
      <h1>{facilityName(f)}</h1>
      {otherName ? (
        <p className="subtitle" lang={otherName === f.nameRu ? 'ru' : 'en'}>
          {otherName}
        </p>
      ) : null}

      <div className="two-columns facility-top">
        <dl className="facts">
          <dt>{t('facilities.kind')}</dt>
          <dd>
            {term('facility_kind', f.kind, f.kindLabel)}
            {f.kindDetail ? ` (${f.kindDetail})` : ''}
          </dd>
          {f.code ? (
            <>
              <dt>{t('facilities.code')}</dt>
              <dd className="code">{f.code}</dd>
            </>
          ) : null}
          {f.authority ? (
            <>
              <dt>{t('facility.authority')}</dt>
              <dd>{f.authority}</dd>
            </>
          ) : null}
          <dt>{t('facilities.place')}</dt>
          <dd>{[f.city, f.region, f.country].filter(Boolean).join(', ')}</dd>
          {f.capacity !== null ? (
            <>
              <dt>{t('facility.capacity')}</dt>
              <dd>{formatNumber(f.capacity)}</dd>
            </>
          ) : null}
          {f.cells !== null ? (
            <>
              <dt>{t('facility.cells')}</dt>
              <dd>{formatNumber(f.cells)}</dd>
            </>
          ) : null}
          {f.aliases.length > 0 ? (
            <>
              <dt>{t('facility.aliases')}</dt>
              <dd>{f.aliases.join(' · ')}</dd>
            </>
          ) : null}
        </dl>
        <ul className="stat-cards compact">
          <li className="stat-card">
            <span className="stat-value">
              <CountCell value={f.counts.allegations} />
            </span>
            <span className="stat-label">{t('facility.documented')}</span>
          </li>
          <li className="stat-card">
            <span className="stat-value">
              <CountCell value={f.counts.visits} />
            </span>
            <span className="stat-label">{t('facility.visitsCount')}</span>
          </li>
          <li className="stat-card">
            <span className="stat-value">
              <CountCell value={f.counts.statements} />
            </span>
            <span className="stat-label">{t('facility.statementsCount')}</span>
          </li>
        </ul>
      </div>

      <section aria-labelledby="layout-title">
        <h2 id="layout-title">{t('facility.layout')}</h2>
        <p className="section-lead">{t('facility.layoutLead')}</p>
        {f.areas.length === 0 ? (
          <p className="muted">{t('facility.noLayout')}</p>
        ) : (
          <AreaTree nodes={f.areas} depth={0} />
        )}
      </section>

      <section aria-labelledby="visits-title">
        <h2 id="visits-title">{t('facility.visits')}</h2>
        {f.visits.length === 0 ? (
          <p className="muted">{t('facility.noVisits')}</p>
        ) : (
          <Timeline
            label={t('facility.visits')}
            items={f.visits.map((v, i) => ({
              key: `${v.visitDate}-${i}`,
              date: v.visitDate,
              title: (
                <>
                  {v.body}{' '}
                  <span className="muted">
                    · {term('visit_type', v.visitType)} · {term('visit_mode', v.mode)}
                  </span>
                </>
              ),
              body: v.findingsPublic ?? <span className="muted">{t('facility.noFindings')}</span>,
            }))}
          />
        )}
      </section>

      <section aria-labelledby="statements-title">
        <h2 id="statements-title">{t('facility.statements')}</h2>
        {f.statements.length === 0 ? (
          <p className="muted">{t('facility.noStatements')}</p>
        ) : (
          <ul className="statement-cards">
            {f.statements.map((s) => (
              <li key={s.id} className="statement-card">
                <div className="statement-card-head">
                  <RatingBadge rating={s.rating} label={s.ratingLabel} />
                  <span className="muted small">{term('statement_stance', s.stance, s.stanceLabel)}</span>
                </div>
                <p className="statement-card-title">
                  <Link to={`/statements/${s.id}`}>{s.gist}</Link>
                </p>
                <p className="muted small">
                  {s.speakerLabel}
                  {s.statedOn ? `, ${formatDate(s.statedOn)}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="muted small generated">{t('home.asOf', { date: formatDate(f.generatedAt, 'datetime') })}</p>
    </article>
  );
}
