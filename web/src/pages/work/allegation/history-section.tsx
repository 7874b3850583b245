/**
 * The allegation's history from the audit log: who changed what, from what to what, when and why.
 * The API words each entry in English and Russian (labels of fields and codes, pseudonyms, usernames);
 * this block shows the reader's language.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { Section } from '../components/form.tsx';
import { useFormat } from '../components/format.ts';
import { ErrorNote, Loading, optionalRoute } from '../components/status.tsx';
import { useLoad } from '../components/use-load.ts';

interface Text {
  en: string;
  ru: string;
}

interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  actorName: string | null;
  actorLabel: Text;
  action: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  label: Text;
  details: Text[];
}

/** How many of the latest entries show before the reader asks for the earlier ones. */
const LATEST = 12;

async function loadHistory(id: string): Promise<HistoryEntry[] | null> {
  const r = await optionalRoute('allegation-history', () =>
    api<{ items: HistoryEntry[] }>('GET', `/allegations/${encodeURIComponent(id)}/history`),
  );
  return r === null ? null : r.items;
}

/** The history block; says so plainly when the API does not serve the history. */
export function HistorySection({ allegationId, refreshKey }: { allegationId: string; refreshKey: number }) {
  const { t } = useTranslation('allegation');
  const { lang, date } = useFormat();
  const words = (x: Text) => (lang.startsWith('ru') ? x.ru : x.en);
  const h = useLoad(`history:${allegationId}:${refreshKey}`, () => loadHistory(allegationId));
  const [all, setAll] = useState(false);
  const earlier = h.data && !all ? Math.max(0, h.data.length - LATEST) : 0;
  return (
    <Section title={t('history.title')} id="history">
      {h.loading ? <Loading /> : null}
      <ErrorNote error={h.error} />
      {h.data === null ? <p className="muted">{t('history.unavailable')}</p> : null}
      {h.data && h.data.length === 0 ? <p className="muted">{t('history.none')}</p> : null}
      {earlier > 0 ? (
        <button type="button" className="link-button" onClick={() => setAll(true)}>
          {t('history.earlier', { count: earlier })}
        </button>
      ) : null}
      {h.data && h.data.length > 0 ? (
        <ol className="timeline history">
          {h.data.slice(earlier).map((e) => (
            <li key={e.seq} data-seq={e.seq}>
              <div className="history-label">{words(e.label)}</div>
              {e.details.length > 0 ? (
                <ul className="history-changes">
                  {e.details.map((d, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the details of one history entry are fixed once written and never reordered
                    <li key={i}>{words(d)}</li>
                  ))}
                </ul>
              ) : null}
              <div className="muted">
                {date(e.at)} · {words(e.actorLabel)}
              </div>
              {e.reason ? (
                <div className="history-reason">
                  <span className="muted">{t('history.reason')}:</span> {e.reason}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </Section>
  );
}
