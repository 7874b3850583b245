import type { JSX, ReactNode } from 'react';
import { formatDate } from '../i18n/index.ts';

export interface TimelineItem {
  key: string;
  /** 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' or an ISO timestamp. */
  date: string | null;
  precision?: string;
  title: ReactNode;
  body?: ReactNode;
  /** Marks the entry as pending or overdue. */
  tone?: 'default' | 'pending' | 'overdue';
}

/** Dated events in order, as a list (the order is the reader's, not re-sorted here). */
export function Timeline(props: { items: TimelineItem[]; label: string }): JSX.Element {
  return (
    <ol className="timeline" aria-label={props.label}>
      {props.items.map((i) => (
        <li key={i.key} className={`timeline-item tone-${i.tone ?? 'default'}`}>
          <span className="timeline-date">
            {i.date ? <time dateTime={i.date}>{formatDate(i.date, i.precision)}</time> : '—'}
          </span>
          <div className="timeline-body">
            <div className="timeline-title">{i.title}</div>
            {i.body ? <div className="timeline-text">{i.body}</div> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
