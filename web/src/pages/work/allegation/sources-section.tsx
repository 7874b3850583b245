/** Sources of an allegation with their relation and ratings, the preserved files, and forms to add either. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { Section, SelectField, TextField, termOptions } from '../components/form.tsx';
import { useFormat } from '../components/format.ts';
import { Done, ErrorNote, Loading, optionalRoute, Progress } from '../components/status.tsx';
import type {
  AllegationDetail,
  Created,
  EvidenceItem,
  EvidenceUploaded,
  Source,
  Updated,
} from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { uploadEvidence } from '../intake/attachments.tsx';

const EDITORS = ['documenter', 'analyst'];

/** Evidence of an allegation; null when the server has no such list. */
async function loadEvidence(allegationId: string): Promise<EvidenceItem[] | null> {
  const r = await optionalRoute('allegation-evidence', () =>
    api<{ items: EvidenceItem[] }>('GET', `/allegations/${encodeURIComponent(allegationId)}/evidence`),
  );
  return r === null ? null : r.items;
}

/** The sources and evidence block of the allegation page. */
export function SourcesSection({ allegation, onChanged }: { allegation: AllegationDetail; onChanged(): void }) {
  const { t } = useTranslation('allegation');
  const vocab = useVocab();
  const { date, count } = useFormat();
  const { user } = useSession();
  const mayEdit = user ? EDITORS.includes(user.role) : false;
  const mayUpload = user ? ['documenter', 'analyst', 'monitor'].includes(user.role) : false;
  const key = allegation.sources.map((s) => s.sourceId).join(',');
  const sources = useLoad(`sources:${key}`, () =>
    Promise.all(allegation.sources.map((s) => api<Source>('GET', `/sources/${encodeURIComponent(s.sourceId)}`))),
  );
  const evidence = useLoad(`evidence:${allegation.id}:${allegation.version}`, () => loadEvidence(allegation.id));
  const [adding, setAdding] = useState(false);

  const sourceTitle = new Map((sources.data ?? []).map((s) => [s.id, s.title]));

  return (
    <Section title={t('sources.title')}>
      {sources.loading ? <Loading /> : null}
      <ErrorNote error={sources.error} />
      {allegation.sources.length === 0 ? (
        <p className="muted">{t('sources.none')}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{t('sources.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sources.source')}</th>
              <th scope="col">{t('sources.relation')}</th>
              <th scope="col">{t('sources.rating')}</th>
            </tr>
          </thead>
          <tbody>
            {allegation.sources.map((link) => {
              const s = sources.data?.find((x) => x.id === link.sourceId);
              return (
                <tr key={link.sourceId}>
                  <td>
                    <div>
                      <strong>{s?.title ?? link.sourceId}</strong>
                    </div>
                    {s ? (
                      <div className="muted">
                        {vocab.label('source_kind', s.kind)}
                        {s.outlet ? ` · ${s.outlet}` : ''}
                        {s.handle ? ` · ${s.handle}` : ''}
                        {s.publishedAt ? ` · ${date(s.publishedAt)}` : ''}
                      </div>
                    ) : null}
                    {s?.url ? (
                      <div>
                        <a href={s.url} rel="noreferrer noopener" target="_blank">
                          {s.url}
                        </a>
                      </div>
                    ) : null}
                  </td>
                  <td>{vocab.label('source_relation', link.relation)}</td>
                  <td
                    title={
                      s
                        ? `${vocab.label('reliability', s.reliability)} / ${vocab.label('credibility', s.credibility)}`
                        : undefined
                    }
                  >
                    {s ? (
                      <>
                        <strong>
                          {s.reliability}
                          {s.credibility}
                        </strong>{' '}
                        <span className="muted">
                          {vocab.label('reliability', s.reliability)}; {vocab.label('credibility', s.credibility)}
                        </span>
                      </>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {mayEdit ? (
        adding ? (
          <AddSourceForm
            allegation={allegation}
            onDone={() => {
              setAdding(false);
              onChanged();
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <button type="button" className="secondary" onClick={() => setAdding(true)}>
            {t('sources.add')}
          </button>
        )
      ) : null}

      <h3>{t('evidence.title')}</h3>
      {evidence.loading ? <Loading /> : null}
      <ErrorNote error={evidence.error} />
      {evidence.data === null ? <p className="muted">{t('evidence.noList')}</p> : null}
      {evidence.data && evidence.data.length === 0 ? <p className="muted">{t('evidence.none')}</p> : null}
      {evidence.data && evidence.data.length > 0 ? (
        <ul className="plain">
          {evidence.data.map((e) => (
            <li key={e.id}>
              <strong>{e.originalName ?? e.id}</strong>
              {e.copyKind === 'working' ? <span className="badge"> {t('evidence.working')}</span> : null}{' '}
              <span className="muted">
                {e.mediaType}, {t('evidence.size', { size: count(e.size) })}
                {e.createdAt ? ` · ${date(e.createdAt)}` : ''}
                {e.sourceId && sourceTitle.get(e.sourceId) ? ` · ${sourceTitle.get(e.sourceId)}` : ''}
              </span>
              <div className="muted">
                SHA-256 <code className="hash">{e.sha256}</code>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {mayUpload ? (
        <AttachFile allegationId={allegation.id} sources={sources.data ?? []} onDone={evidence.reload} />
      ) : null}
    </Section>
  );
}

function AttachFile({ allegationId, sources, onDone }: { allegationId: string; sources: Source[]; onDone(): void }) {
  const { t } = useTranslation('allegation');
  const [file, setFile] = useState<File>();
  const [sourceId, setSourceId] = useState('');
  const [progress, setProgress] = useState<{ loaded: number; total: number }>();
  const [result, setResult] = useState<EvidenceUploaded>();
  const [error, setError] = useState<unknown>();
  const send = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setError(undefined);
    setResult(undefined);
    setProgress({ loaded: 0, total: file.size });
    try {
      setResult(
        await uploadEvidence(file, allegationId, sourceId || null, 'attached on the allegation page', (loaded, total) =>
          setProgress({ loaded, total: total || file.size }),
        ),
      );
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="attach" onSubmit={send}>
      <div className="row">
        <div className="field">
          <label htmlFor="attach-file">{t('evidence.file')}</label>
          <input id="attach-file" type="file" onChange={(e) => setFile(e.target.files?.[0])} />
        </div>
        <SelectField
          label={t('evidence.source')}
          value={sourceId}
          empty={t('evidence.noSource')}
          options={sources.map((s) => ({ value: s.id, label: s.title }))}
          onChange={setSourceId}
        />
      </div>
      <button type="submit" disabled={!file}>
        {t('evidence.upload')}
      </button>
      {progress && file ? <Progress label={file.name} loaded={progress.loaded} total={progress.total} /> : null}
      {result ? (
        <Done>
          {result.duplicate ? t('evidence.duplicate') : t('evidence.stored')}{' '}
          <code className="hash">{result.sha256}</code>
        </Done>
      ) : null}
      <ErrorNote error={error} context={t('evidence.failed')} />
    </form>
  );
}

function AddSourceForm({
  allegation,
  onDone,
  onCancel,
}: {
  allegation: AllegationDetail;
  onDone(): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('allegation');
  const vocab = useVocab();
  const opts = (name: string) => termOptions(vocab.terms(name), (id) => vocab.label(name, id));
  const [f, setF] = useState({
    kind: 'testimony',
    title: '',
    url: '',
    outlet: '',
    handle: '',
    relation: 'corroborates',
    reliability: 'F',
    credibility: '6',
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (p: Partial<typeof f>) => setF((o) => ({ ...o, ...p }));
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = Object.fromEntries(
        Object.entries({
          kind: f.kind,
          title: f.title.trim(),
          url: f.url.trim(),
          outlet: f.outlet.trim(),
          handle: f.handle.trim(),
          reliability: f.reliability,
          credibility: f.credibility,
          collectedAt: new Date().toISOString(),
        }).filter(([, v]) => v !== ''),
      );
      const source = await api<Created>('POST', '/sources', body);
      const sources = [
        ...allegation.sources.map((s) => ({ sourceId: s.sourceId, relation: s.relation })),
        { sourceId: source.id, relation: f.relation },
      ];
      await api<Updated>('PATCH', `/allegations/${encodeURIComponent(allegation.id)}`, {
        sources,
        version: allegation.version,
      });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? new ApiError(409, err.code, t('work.stale')) : err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="add-source" onSubmit={save}>
      <fieldset>
        <legend>{t('sources.addTitle')}</legend>
        <div className="row">
          <SelectField
            label={t('sources.kind')}
            value={f.kind}
            options={opts('source_kind')}
            onChange={(kind) => set({ kind })}
          />
          <SelectField
            label={t('sources.relation')}
            value={f.relation}
            options={opts('source_relation')}
            onChange={(relation) => set({ relation })}
          />
        </div>
        <TextField label={t('sources.name')} required value={f.title} onChange={(title) => set({ title })} />
        <div className="row">
          <TextField label={t('sources.url')} type="url" value={f.url} onChange={(url) => set({ url })} />
          <TextField label={t('sources.outlet')} value={f.outlet} onChange={(outlet) => set({ outlet })} />
          <TextField label={t('sources.handle')} value={f.handle} onChange={(handle) => set({ handle })} />
        </div>
        <div className="row">
          <SelectField
            label={t('sources.reliability')}
            value={f.reliability}
            options={opts('reliability').map((o) => ({ ...o, label: `${o.value} — ${o.label}` }))}
            onChange={(reliability) => set({ reliability })}
          />
          <SelectField
            label={t('sources.credibility')}
            value={f.credibility}
            options={opts('credibility').map((o) => ({ ...o, label: `${o.value} — ${o.label}` }))}
            onChange={(credibility) => set({ credibility })}
          />
        </div>
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !f.title.trim()}>
            {t('sources.save')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('work.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
