import vocabularies from 'virtual:vigil-vocabularies';
import { currentLanguage } from './index.ts';

/** The label of a vocabulary term in the reader's language ('act_kind', 'beating' → 'Избиение'); unknown ids come back as `fallback` or themselves. */
export function term(vocabulary: string, id: string | null | undefined, fallback?: string): string {
  if (id === null || id === undefined) return fallback ?? '';
  const t = vocabularies[vocabulary]?.[id];
  if (!t) return fallback ?? id;
  return t[currentLanguage()];
}

/** Every term of a vocabulary as { id, label } in the reader's language, in the domain's order. */
export function terms(vocabulary: string): { id: string; label: string }[] {
  const lang = currentLanguage();
  return Object.entries(vocabularies[vocabulary] ?? {}).map(([id, t]) => ({ id, label: t[lang] }));
}
