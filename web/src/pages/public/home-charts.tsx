import { BarElement, CategoryScale, Chart, LinearScale, Tooltip, type ChartOptions } from 'chart.js';
import type { JSX } from 'react';
import { Bar } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import { CountCell, isShown, type PublicCount } from '../../components/count-cell.tsx';
import { currentLanguage, formatNumber } from '../../i18n/index.ts';
import { term } from '../../i18n/vocab.ts';
import { facilityName } from './names.ts';
import type { PublicFacilitySummary, PublicStatistics } from './types.ts';

// Only the pieces the bar charts use, so the chunk stays small.
Chart.register(BarElement, CategoryScale, LinearScale, Tooltip);
Chart.defaults.font.family =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
Chart.defaults.color = '#3d4650';

const BAR = '#35607f';

interface Row {
  key: string;
  label: string;
  /** The label in the table and tooltip when the axis shows a shorter one. */
  full?: string;
  count: PublicCount;
}

function options(horizontal: boolean): ChartOptions<'bar'> {
  const valueAxis = {
    beginAtZero: true,
    ticks: { precision: 0, callback: (v: string | number) => formatNumber(Number(v)) },
    grid: { color: '#e6e9ed' },
  };
  // Long labels are shortened on the axis; the tooltip and the table give them whole.
  const labelAxis = {
    grid: { display: false },
    ticks: {
      callback(this: { getLabelForValue(v: number): string }, v: string | number) {
        const label = this.getLabelForValue(Number(v));
        return label.length > 16 ? `${label.slice(0, 15)}…` : label;
      },
    },
  };
  return {
    indexAxis: horizontal ? 'y' : 'x',
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    layout: { padding: { right: 8 } },
    plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => formatNumber(Number(c.raw)) } } },
    scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
  };
}

/** One chart and its numbers as a table: the table is what screen readers and small counts need. */
function ChartBlock(props: {
  id: string;
  title: string;
  rows: Row[];
  horizontal?: boolean;
  labelHeader: string;
}): JSX.Element {
  const { t } = useTranslation('public');
  const shown = props.rows.filter((r) => isShown(r.count));
  const hidden = props.rows.length - shown.length;
  const summary = props.rows
    .map(
      (r) =>
        `${r.full ?? r.label}: ${isShown(r.count) ? formatNumber(r.count) : r.count === '<5' ? '<5' : t('charts.hiddenShort')}`,
    )
    .join('; ');
  const height = props.horizontal ? Math.max(140, 48 + props.rows.length * 34) : 240;
  return (
    <figure className="chart-block" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`} className="chart-title">
        {props.title}
      </figcaption>
      {props.rows.length === 0 ? (
        <p className="muted">{t('charts.empty')}</p>
      ) : shown.length === 0 ? (
        // Nothing may be drawn: an empty chart would read as "none", so the table says what there is.
        <>
          <p className="muted small">{t('charts.allHidden')}</p>
          <table className="chart-table-open">
            <thead>
              <tr>
                <th scope="col">{props.labelHeader}</th>
                <th scope="col" className="num">
                  {t('charts.allegations')}
                </th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.full ?? r.label}</th>
                  <td className="num">
                    <CountCell value={r.count} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <>
          <div className="chart-canvas" style={{ height }}>
            <Bar
              role="img"
              aria-label={`${props.title}. ${summary}`}
              options={options(props.horizontal ?? false)}
              data={{
                labels: props.rows.map((r) => r.label),
                datasets: [
                  {
                    data: props.rows.map((r) => (isShown(r.count) ? r.count : null)),
                    backgroundColor: BAR,
                    borderRadius: 2,
                    maxBarThickness: 36,
                  },
                ],
              }}
            />
          </div>
          {hidden > 0 ? <p className="muted small">{t('charts.notDrawn', { count: hidden })}</p> : null}
          <details className="chart-table">
            <summary>{t('charts.asTable')}</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">{props.labelHeader}</th>
                  <th scope="col" className="num">
                    {t('charts.allegations')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{r.full ?? r.label}</th>
                    <td className="num">
                      <CountCell value={r.count} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}

function monthLabel(year: string, month: string | null, unknown: string): string {
  // The API gives the month as 'YYYY-MM'; a bare 'MM' is read the same way.
  const m = month ? /(?:^|-)(\d{1,2})$/.exec(month) : null;
  if (!m) return `${year} (${unknown})`;
  const d = new Date(Date.UTC(Number(year), Number(m[1]) - 1, 1));
  return new Intl.DateTimeFormat(currentLanguage() === 'ru' ? 'ru-RU' : 'en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d);
}

/** The three charts of the home page: allegations over time, by facility, by act. */
export default function HomeCharts(props: {
  stats: PublicStatistics;
  facilities: PublicFacilitySummary[];
}): JSX.Element {
  const { t } = useTranslation('public');
  const a = props.stats.allegations;
  const byId = new Map(props.facilities.map((f) => [f.id, f]));
  const overTime: Row[] = (
    a.byMonth.length > 0 ? a.byMonth : a.byYear.map((y) => ({ year: y.year ?? '', month: null, count: y.count }))
  ).map((m) => ({
    key: `${m.year}-${m.month ?? ''}`,
    label: m.year
      ? a.byMonth.length > 0
        ? monthLabel(m.year, m.month, t('charts.monthUnknown'))
        : m.year
      : t('charts.dateUnknown'),
    count: m.count,
  }));
  const byFacility: Row[] = a.byFacility.map((f) => {
    const known = f.facilityId ? byId.get(f.facilityId) : undefined;
    // The code keeps axis labels short; the table below has the full name.
    const label = known ? (known.code ?? facilityName(known)) : (f.name ?? t('charts.facilityUnknown'));
    return { key: f.facilityId ?? 'none', label, full: known ? facilityName(known) : label, count: f.count };
  });
  const byAct: Row[] = a.byAct.map((x) => ({ key: x.act, label: term('act_kind', x.act, x.label), count: x.count }));

  return (
    <div className="charts">
      <ChartBlock id="chart-time" title={t('charts.overTime')} rows={overTime} labelHeader={t('charts.period')} />
      <ChartBlock
        id="chart-facility"
        title={t('charts.byFacility')}
        rows={byFacility}
        horizontal
        labelHeader={t('charts.facility')}
      />
      <ChartBlock id="chart-act" title={t('charts.byAct')} rows={byAct} horizontal labelHeader={t('charts.act')} />
    </div>
  );
}
