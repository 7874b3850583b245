import type { JSX } from 'react';
import { formatNumber } from '../i18n/index.ts';

/** A labelled progress bar for long operations (uploads, exports); `total` 0 means not known yet. */
export function ProgressBar(props: { label: string; loaded: number; total: number }): JSX.Element {
  const pct = props.total > 0 ? Math.min(100, Math.round((props.loaded / props.total) * 100)) : undefined;
  return (
    <div className="progress">
      <span className="progress-label">{props.label}</span>
      <progress max={100} {...(pct !== undefined ? { value: pct } : {})} aria-label={props.label} />
      {pct !== undefined ? (
        <span className="progress-value">{formatNumber(pct / 100, { style: 'percent' })}</span>
      ) : null}
    </div>
  );
}
