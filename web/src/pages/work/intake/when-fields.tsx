/** "When": a date, a month, part of a month ("end of January"), a year, or unknown. */
import { useTranslation } from 'react-i18next';
import { RadioGroup, SelectField, TextField } from '../components/form.tsx';
import type { IntakeDraft, MonthPart, Precision } from './draft.ts';

const PRECISIONS: Precision[] = ['day', 'month', 'part_of_month', 'year', 'unknown'];
const PARTS: MonthPart[] = ['early', 'mid', 'end'];

/** The period fields of the intake form. */
export function WhenFields({ d, set }: { d: IntakeDraft; set(patch: Partial<IntakeDraft>): void }) {
  const { t } = useTranslation('intake');
  return (
    <div className="when">
      <RadioGroup
        legend={t('when.precision')}
        name="precision"
        inline
        value={d.precision}
        onChange={(v) => set({ precision: v as Precision })}
        options={PRECISIONS.map((p) => ({ value: p, label: t(`when.precisions.${p}`) }))}
      />
      <div className="row">
        {d.precision === 'day' ? (
          <>
            <TextField label={t('when.day')} type="date" value={d.day} onChange={(day) => set({ day })} />
            <TextField
              label={t('when.dayEnd')}
              hint={t('when.dayEndHint')}
              type="date"
              value={d.dayEnd}
              min={d.day}
              onChange={(dayEnd) => set({ dayEnd })}
            />
          </>
        ) : null}
        {d.precision === 'month' || d.precision === 'part_of_month' ? (
          <TextField
            label={t('when.month')}
            hint={t('when.monthHint')}
            type="month"
            value={d.month}
            onChange={(month) => set({ month })}
          />
        ) : null}
        {d.precision === 'part_of_month' ? (
          <SelectField
            label={t('when.part')}
            value={d.part}
            onChange={(v) => set({ part: v as MonthPart })}
            options={PARTS.map((p) => ({ value: p, label: t(`when.parts.${p}`) }))}
          />
        ) : null}
        {d.precision === 'year' ? (
          <TextField
            label={t('when.year')}
            type="number"
            min="1900"
            max="2100"
            value={d.year}
            onChange={(year) => set({ year })}
          />
        ) : null}
      </div>
      <TextField
        label={t('when.text')}
        hint={t('when.textHint')}
        value={d.periodText}
        onChange={(periodText) => set({ periodText })}
      />
    </div>
  );
}

/** "End of January 2022" in the reader's language. */
export function usePartText(): (part: MonthPart, month: string) => string {
  const { t, i18n } = useTranslation('intake');
  return (part, month) => {
    const locale = i18n.language?.startsWith('ru') ? 'ru-RU' : 'en-GB';
    const date = new Date(`${month}-01T00:00:00Z`);
    // Russian needs the genitive month ("конец января"), which Intl gives with a day in the pattern.
    const monthName =
      locale === 'ru-RU'
        ? new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' })
            .format(date)
            .replace(/^\d+\s*/, '')
        : new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(date);
    return t(`when.partPhrase.${part}`, { month: monthName, year: month.slice(0, 4) });
  };
}
