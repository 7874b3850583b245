/** Opening a proceeding for an allegation: a criminal case starts as a complaint, other kinds as opened. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { SelectField, TextField, termOptions } from '../components/form.tsx';
import { ErrorNote } from '../components/status.tsx';
import type { Created } from '../components/types.ts';
import { useVocab } from '../../../i18n/vocab.ts';

const today = () => new Date().toISOString().slice(0, 10);

/** The form; `sources` are the allegation's sources, offered as the document of the complaint. */
export function OpenProceedingForm(props: {
  allegationId: string;
  sources: { id: string; title: string }[];
  onDone(id: string): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('proceedings');
  const vocab = useVocab();
  const [f, setF] = useState({ kind: 'criminal_case', body: '', reference: '', openedOn: today(), sourceId: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (p: Partial<typeof f>) => setF((o) => ({ ...o, ...p }));
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, unknown> = {
        allegationId: props.allegationId,
        kind: f.kind,
        body: f.body.trim(),
        openedOn: f.openedOn,
      };
      if (f.reference.trim()) body.reference = f.reference.trim();
      if (f.sourceId) body.sourceId = f.sourceId;
      const r = await api<Created>('POST', '/proceedings', body);
      props.onDone(r.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save}>
      <fieldset>
        <legend>{t('open.title')}</legend>
        <SelectField
          label={t('open.kind')}
          value={f.kind}
          options={termOptions(vocab.terms('proceeding_kind'), (id) => vocab.label('proceeding_kind', id))}
          onChange={(kind) => set({ kind })}
        />
        <TextField
          label={t('open.body')}
          hint={t('open.bodyHint')}
          required
          value={f.body}
          onChange={(body) => set({ body })}
        />
        <div className="row">
          <TextField
            label={t('open.reference')}
            hint={f.kind === 'criminal_case' ? t('open.referenceNeeded') : undefined}
            required={f.kind === 'criminal_case'}
            value={f.reference}
            onChange={(reference) => set({ reference })}
          />
          <TextField
            label={t('open.openedOn')}
            type="date"
            required
            value={f.openedOn}
            onChange={(openedOn) => set({ openedOn })}
          />
        </div>
        <SelectField
          label={t('open.source')}
          value={f.sourceId}
          empty={t('open.noSource')}
          options={props.sources.map((s) => ({ value: s.id, label: s.title }))}
          onChange={(sourceId) => set({ sourceId })}
        />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('open.save')}
          </button>
          <button type="button" onClick={props.onCancel}>
            {t('open.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
