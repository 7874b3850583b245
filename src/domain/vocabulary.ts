import { z } from 'zod';

/** One entry of a controlled vocabulary: a stable id and its labels. */
export type Term = { readonly id: string; readonly en: string; readonly ru: string };

/** A vocabulary as declared with `as const`: never empty, so it can back a `z.enum`. */
export type Vocabulary = readonly [Term, ...Term[]];

/** The id union of a vocabulary. */
export type TermId<L extends readonly Term[]> = L[number]['id'];

/** A UI language with labels in every vocabulary. */
export type Lang = 'en' | 'ru';

/** How many ids an error message lists before it elides the rest. */
const IDS_IN_MESSAGE = 6;

/** The ids of a vocabulary in declaration order, as the non-empty tuple `z.enum` wants. */
export function vocabularyIds<const L extends Vocabulary>(list: L): readonly [TermId<L>, ...TermId<L>[]] {
  // The cast is sound: `L` is non-empty, so the mapped array is too.
  return list.map((t) => t.id) as unknown as readonly [TermId<L>, ...TermId<L>[]];
}

/** True when `value` is an id of the vocabulary. */
export function isTermId<const L extends Vocabulary>(list: L, value: unknown): value is TermId<L> {
  return typeof value === 'string' && list.some((t) => t.id === value);
}

/** The label of `id` in `lang`; an unknown id comes back as itself so old data still renders. */
export function termLabel<const L extends Vocabulary>(list: L, id: TermId<L>, lang: Lang): string {
  const term = list.find((t) => t.id === id);
  return term ? term[lang] : id;
}

/** The message for a value outside a vocabulary, e.g. `unknown act kind "beatng"; expected one of: beating, ...`. */
export function unknownTermMessage(name: string, ids: readonly string[], input: unknown): string {
  const listed = ids.slice(0, IDS_IN_MESSAGE).join(', ');
  const expected = `expected one of: ${listed}${ids.length > IDS_IN_MESSAGE ? ', ...' : ''}`;
  if (input === undefined) return `missing ${name}; ${expected}`;
  // JSON keeps strings quoted; bigint cannot be serialised and symbols serialise to nothing.
  const shown = typeof input === 'bigint' ? String(input) : (JSON.stringify(input) ?? String(input));
  return `unknown ${name} ${shown}; ${expected}`;
}

/** A zod enum over the vocabulary's ids whose error names the vocabulary and a few allowed ids. */
export function vocabularySchema<const L extends Vocabulary>(list: L, name: string) {
  const ids = vocabularyIds(list);
  return z.enum(ids, { error: (issue) => unknownTermMessage(name, ids, issue.input) });
}
