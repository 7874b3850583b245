import { currentLanguage } from '../../i18n/index.ts';

/** A facility's name in the reader's language when it has one (Russian names are kept as recorded). */
export function facilityName(f: { name: string | null; nameRu?: string | null }): string {
  if (currentLanguage() === 'ru' && f.nameRu) return f.nameRu;
  return f.name ?? '';
}

/** An area's label in the reader's language when it has one. */
export function areaLabel(a: { label: string; labelRu: string | null }): string {
  return currentLanguage() === 'ru' && a.labelRu ? a.labelRu : a.label;
}
