/** A proceeding's stages in order, and its next (or missed) deadline. */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../components/format.ts';
import type { ProceedingView } from '../components/types.ts';
import { useVocab } from '../../../i18n/vocab.ts';

const DETAIL_ORDER = [
  'body',
  'reference',
  'erdrNumber',
  'article',
  'part',
  'refusalKind',
  'terminationGround',
  'suspensionGround',
  'outcome',
  'caseNumber',
  'decision',
];

/** The deadline line: overdue in words and colour, or when the next one lapses. */
export function DeadlineNote({ p }: { p: ProceedingView }) {
  const { t } = useTranslation('proceedings');
  const { date } = useFormat();
  if (!p.overdue.rule || !p.overdue.due) return <span className="muted">{t('deadline.none')}</span>;
  const rule = t(`deadline.rules.${p.overdue.rule}`, { defaultValue: p.overdue.rule });
  return p.overdue.overdue ? (
    <span>
      <span className="badge overdue">{t('deadline.overdue')}</span>{' '}
      {t('deadline.lapsed', { rule, due: date(p.overdue.due) })}
    </span>
  ) : (
    <span>{t('deadline.next', { rule, due: date(p.overdue.due) })}</span>
  );
}

/** The stage history as a timeline. */
export function ProceedingTimeline({ p }: { p: ProceedingView }) {
  const { t } = useTranslation('proceedings');
  const vocab = useVocab();
  const { date } = useFormat();
  const detailLabel = (k: string, v: unknown): string => {
    const value = Array.isArray(v)
      ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ')
      : String(v);
    if (k === 'refusalKind') return vocab.label('refusal_kind', value);
    if (k === 'terminationGround') return vocab.label('termination_ground', value);
    if (k === 'outcome') return vocab.label('inquiry_outcome', value);
    return value;
  };
  return (
    <ol className="timeline" aria-label={t('timeline')}>
      {p.stages.map((s) => (
        <li key={s.seq}>
          <div>
            <strong>{vocab.label('proceeding_stage', s.stage)}</strong> — {date(s.onDate)}
          </div>
          {s.decidedBy ? (
            <div className="muted">
              {t('stage.decidedBy')}: {vocab.label('decided_by', s.decidedBy)}
            </div>
          ) : null}
          {Object.entries(s.details)
            .filter(([k, v]) => DETAIL_ORDER.includes(k) && v !== undefined && v !== null && v !== '')
            .sort(([a], [b]) => DETAIL_ORDER.indexOf(a) - DETAIL_ORDER.indexOf(b))
            .map(([k, v]) => (
              <div key={k} className="muted">
                {t(`stage.fields.${k}`, { defaultValue: k })}: {detailLabel(k, v)}
              </div>
            ))}
        </li>
      ))}
    </ol>
  );
}
