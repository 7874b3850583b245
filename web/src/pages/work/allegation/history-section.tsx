/** The allegation's history from the audit log: who changed what, when and why. */
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { Section } from '../components/form.tsx';
import { useFormat } from '../components/format.ts';
import { ErrorNote, Loading, optionalRoute } from '../components/status.tsx';
import { useLoad } from '../components/use-load.ts';

interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  actorName?: string | null;
  action: string;
  entityType?: string;
  entityId?: string;
  reason: string | null;
}

async function loadHistory(id: string): Promise<HistoryEntry[] | null> {
  const r = await optionalRoute('allegation-history', () => api<{ items: HistoryEntry[] } | HistoryEntry[]>('GET', `/allegations/${encodeURIComponent(id)}/history`));
  return r === null ? null : Array.isArray(r) ? r : r.items;
}

/** The history block; says so plainly when the API does not serve the history. */
export function HistorySection({ allegationId, refreshKey }: { allegationId: string; refreshKey: number }) {
  const { t } = useTranslation('allegation');
  const { date } = useFormat();
  const h = useLoad(`history:${allegationId}:${refreshKey}`, () => loadHistory(allegationId));
  return (
    <Section title={t('history.title')}>
      {h.loading ? <Loading /> : null}
      <ErrorNote error={h.error} />
      {h.data === null ? <p className="muted">{t('history.unavailable')}</p> : null}
      {h.data && h.data.length === 0 ? <p className="muted">{t('history.none')}</p> : null}
      {h.data && h.data.length > 0 ? (
        <ol className="timeline">
          {h.data.map((e) => (
            <li key={e.seq}>
              <div><strong>{t(`history.actions.${e.action.split(':')[0]!.replace(/\./g, '_')}`, { defaultValue: e.action })}</strong>{e.action.includes(':') ? <span className="muted"> {e.action.slice(e.action.indexOf(':') + 1)}</span> : null}</div>
              <div className="muted">
                {date(e.at)} · {e.actorName ?? e.actor}
                {e.entityType && e.entityType !== 'allegation' ? ` · ${t(`history.entities.${e.entityType}`, { defaultValue: e.entityType })}` : ''}
              </div>
              {e.reason ? <div>{e.reason}</div> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </Section>
  );
}
