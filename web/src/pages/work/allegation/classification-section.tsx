/**
 * The CAT art. 1 checklist and the classification it suggests. The suggestion is computed here
 * with the same pure function the server uses; only an analyst decides, with a rationale.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { suggestClassification, type CatChecklist } from '../../../../../src/domain/cat-checklist.ts';
import { Checkbox, Section, SelectField, TextField, termOptions } from '../components/form.tsx';
import { Done, ErrorNote } from '../components/status.tsx';
import type { AllegationDetail } from '../components/types.ts';
import { useVocab } from '../../../i18n/vocab.ts';

const ELEMENTS = [
  { key: 'severity', vocab: 'cat_severity' },
  { key: 'intent', vocab: 'cat_intent' },
  { key: 'purpose', vocab: 'cat_purpose' },
  { key: 'officialLink', vocab: 'cat_official_link' },
] as const;

function checklistOf(value: unknown): CatChecklist {
  const v = (value && typeof value === 'object' ? value : {}) as Partial<CatChecklist>;
  return {
    severity: v.severity ?? 'unknown',
    intent: v.intent ?? 'unknown',
    purpose: v.purpose ?? 'unknown',
    officialLink: v.officialLink ?? 'unknown',
    lawfulSanctionOnly: v.lawfulSanctionOnly ?? false,
  };
}

/** The classification block of the allegation page. */
export function ClassificationSection({ allegation, onChanged }: { allegation: AllegationDetail; onChanged(): void }) {
  const { t } = useTranslation('allegation');
  const vocab = useVocab();
  const { user } = useSession();
  const isAnalyst = user?.role === 'analyst';
  const [c, setC] = useState<CatChecklist>(() => checklistOf(allegation.catChecklist));
  const [classification, setClassification] = useState('');
  const [rationale, setRationale] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const suggestion = suggestClassification(c);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setDone(false);
    try {
      await api('POST', `/allegations/${encodeURIComponent(allegation.id)}/classification`, {
        classification: classification || suggestion.suggestion,
        rationale: rationale.trim(),
        catChecklist: c,
        version: allegation.version,
      });
      setDone(true);
      setRationale('');
      onChanged();
    } catch (err) {
      setError(err);
    }
  };

  const met = (key: (typeof ELEMENTS)[number]['key'], vocabName: string) =>
    vocab.terms(vocabName).find((x) => x.id === c[key])?.met ?? 'unknown';

  return (
    <Section title={t('classification.title')}>
      <p>
        {t('classification.current')}: <strong>{vocab.label('classification', allegation.classification)}</strong>
      </p>
      {allegation.classificationRationale ? (
        <p className="muted">
          {t('classification.rationale')}: {allegation.classificationRationale}
        </p>
      ) : null}
      <form onSubmit={save}>
        <fieldset>
          <legend>{t('classification.checklist')}</legend>
          {ELEMENTS.map((el) => (
            <div key={el.key} className="cat-element">
              <SelectField
                label={t(`classification.elements.${el.key}`)}
                value={c[el.key]}
                options={termOptions(vocab.terms(el.vocab), (id) => vocab.label(el.vocab, id))}
                onChange={(v) => isAnalyst && setC({ ...c, [el.key]: v } as CatChecklist)}
                hint={t(`classification.met.${met(el.key, el.vocab)}`)}
              />
            </div>
          ))}
          <Checkbox
            label={t('classification.lawfulSanctionOnly')}
            checked={c.lawfulSanctionOnly}
            onChange={(on) => isAnalyst && setC({ ...c, lawfulSanctionOnly: on })}
          />
        </fieldset>
        <div className="notice" role="status" aria-live="polite">
          {t('classification.suggestion')}: <strong>{vocab.label('classification', suggestion.suggestion)}</strong>
          {suggestion.hint ? (
            <> — {t('classification.hint', { article: suggestion.hint.article, part: suggestion.hint.part })}</>
          ) : null}
          {suggestion.blockers.length > 0 ? (
            <div className="muted">
              {t('classification.blockers')}:{' '}
              {suggestion.blockers.map((b) => t(`classification.elements.${b}`)).join(', ')}
            </div>
          ) : null}
        </div>
        {isAnalyst ? (
          <>
            <SelectField
              label={t('classification.decide')}
              value={classification}
              empty={t('classification.takeSuggestion', {
                label: vocab.label('classification', suggestion.suggestion),
              })}
              options={termOptions(vocab.terms('classification'), (id) => vocab.label('classification', id))}
              onChange={setClassification}
            />
            <TextField label={t('classification.rationale')} required value={rationale} onChange={setRationale} />
            <ErrorNote error={error} />
            {done ? <Done>{t('classification.saved')}</Done> : null}
            <button type="submit" className="primary" disabled={!rationale.trim()}>
              {t('classification.save')}
            </button>
          </>
        ) : (
          <p className="hint">{t('classification.analystOnly')}</p>
        )}
      </form>
    </Section>
  );
}
