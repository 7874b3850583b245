/** "Sources": where the report came from, each rated for reliability (A–F) and credibility (1–6). */
import { useTranslation } from 'react-i18next';
import { SelectField, TextArea, TextField, termOptions } from '../components/form.tsx';
import { useVocab } from '../../../i18n/vocab.ts';
import { emptySource, type SourceDraft } from './draft.ts';

/** The list of sources of the intake form, with add and remove. */
export function SourceFields({
  sources,
  onChange,
}: {
  sources: SourceDraft[];
  onChange(sources: SourceDraft[]): void;
}) {
  const { t } = useTranslation('intake');
  const vocab = useVocab();
  const opts = (name: string) => termOptions(vocab.terms(name), (id) => vocab.label(name, id));
  const patch = (key: string, p: Partial<SourceDraft>) =>
    onChange(sources.map((s) => (s.key === key ? { ...s, ...p } : s)));
  return (
    <div className="sources">
      {sources.map((s, i) => (
        <fieldset key={s.key} className="source-item">
          <legend>{t('sources.item', { n: i + 1 })}</legend>
          <div className="row">
            <SelectField
              label={t('sources.kind')}
              value={s.kind}
              options={opts('source_kind')}
              onChange={(kind) => patch(s.key, { kind })}
            />
            <SelectField
              label={t('sources.relation')}
              value={s.relation}
              options={opts('source_relation')}
              onChange={(relation) => patch(s.key, { relation })}
            />
          </div>
          <TextField
            label={t('sources.name')}
            hint={t('sources.titleHint')}
            value={s.title}
            onChange={(title) => patch(s.key, { title })}
          />
          <div className="row">
            <TextField label={t('sources.url')} type="url" value={s.url} onChange={(url) => patch(s.key, { url })} />
            <TextField label={t('sources.outlet')} value={s.outlet} onChange={(outlet) => patch(s.key, { outlet })} />
            <TextField label={t('sources.handle')} value={s.handle} onChange={(handle) => patch(s.key, { handle })} />
          </div>
          <div className="row">
            <TextField
              label={t('sources.publishedAt')}
              hint={t('sources.publishedAtHint')}
              value={s.publishedAt}
              onChange={(publishedAt) => patch(s.key, { publishedAt })}
            />
            <SelectField
              label={t('sources.reliability')}
              value={s.reliability}
              options={opts('reliability').map((o) => ({ ...o, label: `${o.value} — ${o.label}` }))}
              onChange={(reliability) => patch(s.key, { reliability })}
            />
            <SelectField
              label={t('sources.credibility')}
              value={s.credibility}
              options={opts('credibility').map((o) => ({ ...o, label: `${o.value} — ${o.label}` }))}
              onChange={(credibility) => patch(s.key, { credibility })}
            />
          </div>
          <TextArea
            label={t('sources.summary')}
            rows={2}
            value={s.summary}
            onChange={(summary) => patch(s.key, { summary })}
          />
          {sources.length > 1 ? (
            <button
              type="button"
              className="secondary"
              onClick={() => onChange(sources.filter((x) => x.key !== s.key))}
            >
              {t('sources.remove', { n: i + 1 })}
            </button>
          ) : null}
        </fieldset>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...sources, emptySource()])}>
        {t('sources.add')}
      </button>
    </div>
  );
}
