/**
 * The controlled vocabularies of the app, labelled in the reader's language. The lists come from
 * the domain at build time (`virtual:vigil-vocabularies`, made by web/vite.config.ts), so every
 * page has them from the first render and shows the labels the API serves.
 */
import { useTranslation } from 'react-i18next';
import vocabularies from 'virtual:vigil-vocabularies';
import type { CatElementMet } from '../../../src/domain/vocabularies-allegation.ts';
import type { Term as DomainTerm } from '../../../src/domain/vocabulary.ts';
import { currentLanguage } from './index.ts';

/** One term of a vocabulary; some carry more (an act's `group`, a CAT answer's `met`). */
export type Term = DomainTerm & { readonly group?: string; readonly met?: CatElementMet };

const NO_TERMS: readonly Term[] = [];
const byId = new Map<string, ReadonlyMap<string, Term>>();

function find(vocabulary: string, id: string): Term | undefined {
  let ids = byId.get(vocabulary);
  if (ids === undefined) {
    ids = new Map((vocabularies[vocabulary] ?? NO_TERMS).map((t) => [t.id, t]));
    byId.set(vocabulary, ids);
  }
  return ids.get(id);
}

/** The label of a vocabulary term in the reader's language ('act_kind', 'beating' → 'Избиение'); unknown ids come back as `fallback` or themselves. */
export function term(vocabulary: string, id: string | null | undefined, fallback?: string): string {
  if (id === null || id === undefined) return fallback ?? '';
  const t = find(vocabulary, id);
  if (!t) return fallback ?? id;
  return t[currentLanguage()];
}

/** Every term of a vocabulary as { id, label } in the reader's language, in the domain's order. */
export function terms(vocabulary: string): { id: string; label: string }[] {
  const lang = currentLanguage();
  return (vocabularies[vocabulary] ?? NO_TERMS).map((t) => ({ id: t.id, label: t[lang] }));
}

export interface VocabView {
  /** The terms of vocabulary `name`, in the domain's order. */
  terms(name: string): readonly Term[];
  /** The label of `id` in `name` in the current language; the id itself when unknown. */
  label(name: string, id: string | null | undefined): string;
}

const VIEW: VocabView = {
  terms: (name) => vocabularies[name] ?? NO_TERMS,
  label: (name, id) => term(name, id),
};

/** The vocabularies for a component, which renders again when the language changes. */
export function useVocab(): VocabView {
  useTranslation();
  return VIEW;
}
