/**
 * Translations (i18next + react-i18next), English and Russian. Every JSON file under ./en and ./ru
 * is a namespace named after the file. The reader's choice is kept in localStorage 'vigil.lang';
 * without one, the browser's language decides, and English is the fallback.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'vigil.lang';

const files = import.meta.glob<{ default: Record<string, unknown> }>('./{en,ru}/*.json', { eager: true });

function resources(): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [file, mod] of Object.entries(files)) {
    const m = /^\.\/(en|ru)\/([\w-]+)\.json$/.exec(file);
    if (!m) continue;
    const [, lang, ns] = m as unknown as [string, string, string];
    const forLang = out[lang] ?? {};
    forLang[ns] = mod.default;
    out[lang] = forLang;
  }
  return out;
}

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'ru') return saved;
  } catch {
    // Storage can be blocked; the browser's language still decides.
  }
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'ru' || base === 'en') return base;
  }
  return 'en';
}

const res = resources();
void i18next.use(initReactI18next).init({
  resources: res,
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  ns: Object.keys(res.en ?? {}),
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18next.language;
i18next.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

/** Switches the language and remembers the choice. */
export function setLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, still switched.
  }
  void i18next.changeLanguage(lang);
}

/** The current language ('en' or 'ru'). */
export function currentLanguage(): Language {
  return i18next.language === 'ru' ? 'ru' : 'en';
}

function locale(): string {
  return currentLanguage() === 'ru' ? 'ru-RU' : 'en-GB';
}

/** How precisely a date is known (the domain's date_precision), or 'datetime' for a timestamp. */
export type DatePrecision = 'day' | 'month' | 'part_of_month' | 'year' | 'unknown' | 'datetime';

/**
 * A date in the reader's locale, no more precise than it is known ('March 2018', 'end of January 2018').
 * Accepts 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' or a full ISO timestamp; returns '' for null/undefined.
 */
export function formatDate(iso: string | null | undefined, precision?: DatePrecision | string): string {
  if (precision === 'unknown') return i18next.t('common:date.unknown');
  if (!iso) return '';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(iso);
  if (!m) return iso;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : undefined;
  const day = m[3] ? Number(m[3]) : undefined;
  const p =
    precision ?? (day !== undefined ? (iso.length > 10 ? 'datetime' : 'day') : month !== undefined ? 'month' : 'year');
  const loc = locale();
  // Calendar dates are formatted in UTC so a date never shifts by the reader's time zone.
  const utc = new Date(Date.UTC(year, (month ?? 1) - 1, day ?? 1));
  if (p === 'datetime') {
    return new Intl.DateTimeFormat(loc, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }
  if (p === 'year' || month === undefined) return String(year);
  const monthYear = new Intl.DateTimeFormat(loc, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(utc);
  if (p === 'month') return monthYear;
  if (p === 'part_of_month') return i18next.t('common:date.partOfMonth', { month: monthYear });
  if (day === undefined) return monthYear;
  return new Intl.DateTimeFormat(loc, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(utc);
}

/** A number in the reader's locale (1,234 / 1 234). */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale(), options).format(n);
}

/** Compares strings the way the reader's language sorts them (Cyrillic included; numbers inside codes in numeric order). */
export function compareText(a: string, b: string): number {
  return collator().compare(a, b);
}

let cached: { lang: string; c: Intl.Collator } | undefined;
function collator(): Intl.Collator {
  const lang = currentLanguage();
  if (cached?.lang !== lang) cached = { lang, c: new Intl.Collator(locale(), { numeric: true, sensitivity: 'base' }) };
  return cached.c;
}
