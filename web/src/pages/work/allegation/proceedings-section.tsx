/** Proceedings linked to an allegation: each with its timeline and next deadline; analysts open new ones. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { Section } from '../components/form.tsx';
import { ErrorNote, Loading } from '../components/status.tsx';
import type { AllegationDetail, Page, ProceedingView, Source } from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { OpenProceedingForm } from '../proceedings/open-form.tsx';
import { DeadlineNote, ProceedingTimeline } from '../proceedings/timeline.tsx';

/** The proceedings block of the allegation page. */
export function ProceedingsSection({ allegation }: { allegation: AllegationDetail }) {
  const { t } = useTranslation('allegation');
  const vocab = useVocab();
  const { user } = useSession();
  const [opening, setOpening] = useState(false);
  const list = useLoad(`proceedings:${allegation.id}`, () =>
    api<Page<ProceedingView>>('GET', `/proceedings?allegationId=${encodeURIComponent(allegation.id)}&limit=200`),
  );
  const sources = useLoad(opening ? `sources-for-open:${allegation.id}:${allegation.version}` : null, () =>
    Promise.all(allegation.sources.map((s) => api<Source>('GET', `/sources/${encodeURIComponent(s.sourceId)}`))),
  );
  const items = list.data?.items ?? [];
  return (
    <Section title={t('proceedings.title')}>
      {list.loading ? <Loading /> : null}
      <ErrorNote error={list.error} />
      {!list.loading && items.length === 0 ? <p className="muted">{t('proceedings.none')}</p> : null}
      {items.map((p) => (
        <article key={p.id} className={`card ${p.overdue.overdue ? 'overdue' : ''}`} aria-labelledby={`proc-${p.id}`}>
          <h3 id={`proc-${p.id}`}>
            <Link to={`/work/proceedings/${encodeURIComponent(p.id)}`}>
              {vocab.label('proceeding_kind', p.kind)} — {p.body}
            </Link>
          </h3>
          <p>
            <span className="badge status">{vocab.label('proceeding_stage', p.stage)}</span>{' '}
            {p.reference ? (
              <span className="muted">
                {t('proceedings.reference')}: {p.reference}
              </span>
            ) : null}
            {p.erdrNumber ? <span className="muted"> · ERDR {p.erdrNumber}</span> : null}
            {p.codeArticle ? (
              <span className="muted">
                {' '}
                · {t('proceedings.article', { article: p.codeArticle, part: p.codePart ?? '—' })}
              </span>
            ) : null}
          </p>
          <p>
            <DeadlineNote p={p} />
          </p>
          <ProceedingTimeline p={p} />
        </article>
      ))}
      {user?.role === 'analyst' ? (
        opening ? (
          <OpenProceedingForm
            allegationId={allegation.id}
            sources={(sources.data ?? []).map((s) => ({ id: s.id, title: s.title }))}
            onDone={() => {
              setOpening(false);
              list.reload();
            }}
            onCancel={() => setOpening(false)}
          />
        ) : (
          <button type="button" className="secondary" onClick={() => setOpening(true)}>
            {t('proceedings.open')}
          </button>
        )
      ) : null}
    </Section>
  );
}
