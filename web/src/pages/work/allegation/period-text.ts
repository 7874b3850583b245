/** An allegation's period in words, as precisely as it is known. */
import { formatPartialDate } from '../components/format.ts';

/** "end of January 2022 (21 Jan 2022 – 31 Jan 2022)"; the source's wording first when there is one. */
export function periodText(
  p: { start: string | null; end: string | null; precision: string; text: string | null },
  lang: string,
  precisionLabel: string,
): string {
  const start = formatPartialDate(p.start, lang);
  const end = formatPartialDate(p.end, lang);
  const range = start && end && start !== end ? `${start} – ${end}` : start || end;
  if (p.text && range) return `${p.text} (${range})`;
  if (p.text) return p.text;
  if (range)
    return p.precision === 'day' || p.precision === 'month' || p.precision === 'year'
      ? range
      : `${range} (${precisionLabel})`;
  return '';
}
