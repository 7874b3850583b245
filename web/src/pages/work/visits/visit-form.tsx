/** Recording a visit: facility, team, type and mode, the safeguards checklist, findings and recommendations. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { SelectField, TextArea, TextField, termOptions } from '../components/form.tsx';
import { collator, useFormat } from '../components/format.ts';
import { facilityName } from '../components/registry.ts';
import { ErrorNote } from '../components/status.tsx';
import type { Created, Facility } from '../components/types.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { SafeguardsChecklist } from './safeguards.tsx';

interface RecDraft {
  key: number;
  text: string;
  addressee: string;
  deadline: string;
}
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The form; calls `onDone` with the new visit's id. */
export function VisitForm({
  facilities,
  onDone,
  onCancel,
}: {
  facilities: Facility[];
  onDone(id: string): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('visits');
  const vocab = useVocab();
  const { lang } = useFormat();
  const [f, setF] = useState({
    facilityId: '',
    body: '',
    visitDate: new Date().toISOString().slice(0, 10),
    visitType: 'ad_hoc',
    mode: 'unannounced',
    team: '',
    findings: '',
    findingsPublic: '',
    responseDue: '',
  });
  const [safeguards, setSafeguards] = useState<Record<string, string>>({});
  const [recs, setRecs] = useState<RecDraft[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (p: Partial<typeof f>) => setF((o) => ({ ...o, ...p }));
  const opts = (name: string) => termOptions(vocab.terms(name), (id) => vocab.label(name, id));
  const sort = collator(lang);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, unknown> = {
        facilityId: f.facilityId,
        body: f.body.trim(),
        visitDate: f.visitDate,
        visitType: f.visitType,
        mode: f.mode,
        team: list(f.team),
        safeguards,
        recommendations: recs
          .filter((r) => r.text.trim())
          .map((r) => ({ text: r.text.trim(), addressee: r.addressee.trim(), deadline: r.deadline })),
      };
      if (f.findings.trim()) body.findings = f.findings.trim();
      if (f.findingsPublic.trim()) body.findingsPublic = f.findingsPublic.trim();
      if (f.responseDue) body.responseDue = f.responseDue;
      onDone((await api<Created>('POST', '/visits', body)).id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={save} className="visit-form">
      <fieldset>
        <legend>{t('form.title')}</legend>
        <div className="row">
          <SelectField
            label={t('form.facility')}
            required
            value={f.facilityId}
            empty={t('form.choose')}
            options={facilities
              .map((x) => ({ value: x.id, label: facilityName(x, lang) }))
              .sort((a, b) => sort.compare(a.label, b.label))}
            onChange={(facilityId) => set({ facilityId })}
          />
          <TextField
            label={t('form.body')}
            hint={t('form.bodyHint')}
            required
            value={f.body}
            onChange={(body) => set({ body })}
          />
        </div>
        <div className="row">
          <TextField
            label={t('form.date')}
            type="date"
            required
            value={f.visitDate}
            onChange={(visitDate) => set({ visitDate })}
          />
          <SelectField
            label={t('form.type')}
            value={f.visitType}
            options={opts('visit_type')}
            onChange={(visitType) => set({ visitType })}
          />
          <SelectField
            label={t('form.mode')}
            value={f.mode}
            options={opts('visit_mode')}
            onChange={(mode) => set({ mode })}
          />
        </div>
        <TextField
          label={t('form.team')}
          hint={t('form.teamHint')}
          required
          value={f.team}
          onChange={(team) => set({ team })}
        />
        <SafeguardsChecklist name="new-visit" value={safeguards} onChange={setSafeguards} />
        <TextArea
          label={t('form.findings')}
          hint={t('form.findingsHint')}
          value={f.findings}
          onChange={(findings) => set({ findings })}
        />
        <TextArea
          label={t('form.findingsPublic')}
          hint={t('form.findingsPublicHint')}
          value={f.findingsPublic}
          onChange={(findingsPublic) => set({ findingsPublic })}
        />
        <TextField
          label={t('form.responseDue')}
          type="date"
          value={f.responseDue}
          onChange={(responseDue) => set({ responseDue })}
        />
        <h3>{t('recs.title')}</h3>
        {recs.map((r, i) => (
          <fieldset key={r.key}>
            <legend>{t('recs.item', { n: i + 1 })}</legend>
            <TextArea
              label={t('recs.text')}
              rows={2}
              required
              value={r.text}
              onChange={(text) => setRecs(recs.map((x) => (x.key === r.key ? { ...x, text } : x)))}
            />
            <div className="row">
              <TextField
                label={t('recs.addressee')}
                required
                value={r.addressee}
                onChange={(addressee) => setRecs(recs.map((x) => (x.key === r.key ? { ...x, addressee } : x)))}
              />
              <TextField
                label={t('recs.deadline')}
                type="date"
                required
                value={r.deadline}
                onChange={(deadline) => setRecs(recs.map((x) => (x.key === r.key ? { ...x, deadline } : x)))}
              />
            </div>
            <button type="button" className="secondary" onClick={() => setRecs(recs.filter((x) => x.key !== r.key))}>
              {t('recs.remove', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => setRecs([...recs, { key: Date.now(), text: '', addressee: '', deadline: '' }])}
        >
          {t('recs.add')}
        </button>
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
