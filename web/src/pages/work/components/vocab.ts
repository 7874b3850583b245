/** The controlled vocabularies from the API, loaded once per page load and labelled in the reader's language. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api/client.ts';

/** One term of a vocabulary; some carry more (an act's `group`, a CAT answer's `met`). */
export interface Term {
  id: string;
  en: string;
  ru: string;
  group?: string;
  met?: 'met' | 'not_met' | 'unknown';
}

type Vocabularies = Record<string, Term[]>;

let pending: Promise<Vocabularies> | undefined;

/** Fetches `/vocabularies` once; a failure is forgotten so the next call tries again. */
function loadVocabularies(): Promise<Vocabularies> {
  pending ??= api<Vocabularies>('GET', '/vocabularies').catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

export interface VocabView {
  ready: boolean;
  error?: ApiError;
  /** The terms of vocabulary `name`, in catalogue order (empty until loaded). */
  terms(name: string): Term[];
  /** The label of `id` in `name` in the current language; the id itself when unknown. */
  label(name: string, id: string | null | undefined): string;
}

/** The vocabularies, with labels following the language switch. */
export function useVocab(): VocabView {
  const { i18n } = useTranslation();
  const [data, setData] = useState<Vocabularies>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    let live = true;
    loadVocabularies().then(
      (v) => {
        if (live) setData(v);
      },
      (e: unknown) => {
        if (live) setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e)));
      },
    );
    return () => {
      live = false;
    };
  }, []);
  const ru = i18n.language?.startsWith('ru') ?? false;
  return {
    ready: data !== undefined,
    ...(error ? { error } : {}),
    terms: (name) => data?.[name] ?? [],
    label: (name, id) => {
      if (id === null || id === undefined || id === '') return '';
      const term = data?.[name]?.find((t) => t.id === id);
      return term ? (ru ? term.ru : term.en) : id;
    },
  };
}
