import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../i18n/index.ts';

/** A public count as the API gives it: a number, or a marker standing for a small or hidden one. */
export type PublicCount = number | '<5' | 'suppressed' | 'withheld';

/** True when the count is a plain number that may be shown and drawn. */
export function isShown(c: PublicCount | null | undefined): c is number {
  return typeof c === 'number';
}

/**
 * Prints a public count: the number in the reader's locale, `<5` for 1–4, and a short word for
 * counts hidden so that a small one cannot be worked out; each marker explains itself on hover
 * and to screen readers.
 */
export function CountCell(props: { value: PublicCount | null | undefined; className?: string }): JSX.Element {
  const { t } = useTranslation('common');
  const v = props.value;
  const cls = ['count', props.className].filter(Boolean).join(' ');
  if (v === null || v === undefined) return <span className={cls}>—</span>;
  if (typeof v === 'number') return <span className={cls}>{formatNumber(v)}</span>;
  const key = v === '<5' ? 'lt5' : v;
  return (
    <span className={`${cls} count-marker`} title={t(`count.${key}.title`)}>
      <span aria-hidden="true">{t(`count.${key}.short`)}</span>
      <span className="visually-hidden">{t(`count.${key}.title`)}</span>
    </span>
  );
}
