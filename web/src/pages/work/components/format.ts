/** Dates, periods and pages, formatted in the reader's language. */
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';

/** Formats a `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or ISO instant in `lang`, as precisely as it is given. */
export function formatPartialDate(value: string | null | undefined, lang: string): string {
  if (!value) return '';
  const locale = lang.startsWith('ru') ? 'ru-RU' : 'en-GB';
  if (/^\d{4}$/.test(value)) return value;
  if (/^\d{4}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
      new Date(`${value}-01T00:00:00Z`),
    );
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${value}T00:00:00Z`),
    );
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** A number in the reader's language. */
export function formatCount(n: number, lang: string): string {
  return new Intl.NumberFormat(lang.startsWith('ru') ? 'ru-RU' : 'en-GB').format(n);
}

/** The current language and a date formatter bound to it. */
export function useFormat(): { lang: string; date(v: string | null | undefined): string; count(n: number): string } {
  const { i18n } = useTranslation();
  const lang = i18n.language ?? 'en';
  return { lang, date: (v) => formatPartialDate(v, lang), count: (n) => formatCount(n, lang) };
}

/** Reads every page of a keyset-paged list (at most `maxPages` of 200). */
export async function fetchAll<T>(path: string, maxPages = 10): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  for (let i = 0; i < maxPages; i++) {
    const page: { items: T[]; nextCursor: string | null } = await api(
      'GET',
      `${path}${sep}limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    out.push(...page.items);
    after = page.nextCursor;
    if (!after) break;
  }
  return out;
}

/** Compares strings the way the reader's language sorts them (Cyrillic and Latin alike). */
export function collator(lang: string): Intl.Collator {
  return new Intl.Collator(lang.startsWith('ru') ? 'ru' : 'en', { numeric: true, sensitivity: 'base' });
}
