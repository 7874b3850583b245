import type { JSX } from 'react';
import { term } from '../../i18n/vocab.ts';

const TONE: Record<string, string> = {
  accurate: 'good',
  misleading: 'warn',
  unsupported: 'warn',
  contradicted_by_evidence: 'bad',
  false: 'bad',
  unverifiable: 'neutral',
};

/** A review rating as a small labelled badge (the colour repeats the words, never replaces them). */
export function RatingBadge(props: { rating: string; label: string }): JSX.Element {
  return (
    <span className={`badge badge-${TONE[props.rating] ?? 'neutral'}`}>
      {term('review_rating', props.rating, props.label)}
    </span>
  );
}
