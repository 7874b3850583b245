/** Recording what someone said: speaker, date as precisely as known, source, stance, gist and quote. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { SelectField, TextArea, TextField, termOptions } from '../components/form.tsx';
import { collator, useFormat } from '../components/format.ts';
import { facilityName } from '../components/registry.ts';
import { ErrorNote } from '../components/status.tsx';
import type { Created, Facility, Source } from '../components/types.ts';
import { useVocab } from '../../../i18n/vocab.ts';

/** The form; `onDone` gets the new statement's id. */
export function StatementForm({
  sources,
  facilities,
  onDone,
  onCancel,
}: {
  sources: Source[];
  facilities: Facility[];
  onDone(id: string): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('statements');
  const vocab = useVocab();
  const { lang } = useFormat();
  const [f, setF] = useState({
    speakerLabel: '',
    statedOn: '',
    statedPrecision: 'day',
    statedText: '',
    sourceId: '',
    stance: 'denial',
    gist: '',
    quote: '',
    facilityId: '',
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (p: Partial<typeof f>) => setF((o) => ({ ...o, ...p }));
  const sort = collator(lang);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = Object.fromEntries(
        Object.entries({ ...f, speakerLabel: f.speakerLabel.trim(), gist: f.gist.trim() }).filter(
          ([, v]) => v.trim() !== '',
        ),
      );
      if (!f.statedOn) body.statedPrecision = 'unknown';
      onDone((await api<Created>('POST', '/statements', body)).id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save}>
      <fieldset>
        <legend>{t('form.title')}</legend>
        <TextField
          label={t('form.speaker')}
          hint={t('form.speakerHint')}
          required
          value={f.speakerLabel}
          onChange={(speakerLabel) => set({ speakerLabel })}
        />
        <div className="row">
          <TextField
            label={t('form.statedOn')}
            hint={t('form.statedOnHint')}
            value={f.statedOn}
            onChange={(statedOn) => set({ statedOn })}
          />
          <SelectField
            label={t('form.precision')}
            value={f.statedPrecision}
            options={termOptions(vocab.terms('date_precision'), (id) => vocab.label('date_precision', id))}
            onChange={(statedPrecision) => set({ statedPrecision })}
          />
          <TextField
            label={t('form.statedText')}
            hint={t('form.statedTextHint')}
            value={f.statedText}
            onChange={(statedText) => set({ statedText })}
          />
        </div>
        <div className="row">
          <SelectField
            label={t('form.source')}
            required
            value={f.sourceId}
            empty={t('form.choose')}
            options={sources
              .map((s) => ({ value: s.id, label: s.title }))
              .sort((a, b) => sort.compare(a.label, b.label))}
            onChange={(sourceId) => set({ sourceId })}
          />
          <SelectField
            label={t('form.stance')}
            value={f.stance}
            options={termOptions(vocab.terms('statement_stance'), (id) => vocab.label('statement_stance', id))}
            onChange={(stance) => set({ stance })}
          />
          <SelectField
            label={t('form.facility')}
            value={f.facilityId}
            empty={t('form.noFacility')}
            options={facilities
              .map((x) => ({ value: x.id, label: facilityName(x, lang) }))
              .sort((a, b) => sort.compare(a.label, b.label))}
            onChange={(facilityId) => set({ facilityId })}
          />
        </div>
        <TextArea
          label={t('form.gist')}
          hint={t('form.gistHint')}
          required
          rows={2}
          value={f.gist}
          onChange={(gist) => set({ gist })}
        />
        <TextArea label={t('form.quote')} rows={3} value={f.quote} onChange={(quote) => set({ quote })} />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('form.save')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('form.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
