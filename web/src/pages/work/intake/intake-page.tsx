/** The intake form: a documenter takes a report from a relative, a post or an article, step by step. */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../../../session.tsx';
import {
  Checkbox,
  CheckboxGroup,
  Section,
  SelectField,
  TextArea,
  TextField,
  termOptions,
} from '../components/form.tsx';
import { Done, ErrorNote, Progress } from '../components/status.tsx';
import { useVocab, type Term } from '../../../i18n/vocab.ts';
import { useTitle } from '../../../components/status.tsx';
import '../work.css';
import { AttachmentPicker, uploadEvidence, type Attachment, type UploadState } from './attachments.tsx';
import { clearDraft, emptyDraft, readDraft, writeDraft, type IntakeDraft } from './draft.ts';
import { PlaceFields } from './place-fields.tsx';
import { SourceFields } from './source-fields.tsx';
import { saveReport, type Saved } from './submit.ts';
import { usePartText, WhenFields } from './when-fields.tsx';

const REGISTRY_KEEPERS = ['analyst', 'monitor'];

/** Acts grouped as the vocabulary groups them (physical, sexual, psychological…). */
function byGroup(acts: readonly Term[]): Map<string, Term[]> {
  const groups = new Map<string, Term[]>();
  for (const a of acts) groups.set(a.group ?? 'other', [...(groups.get(a.group ?? 'other') ?? []), a]);
  return groups;
}

export default function IntakePage() {
  const { t, i18n } = useTranslation('intake');
  const { user } = useSession();
  const vocab = useVocab();
  const partText = usePartText();
  useTitle(t('title'));
  const userId = user?.id ?? 'anonymous';
  const [d, setDraft] = useState<IntakeDraft>(() => readDraft(userId) ?? emptyDraft());
  const [restored] = useState(() => readDraft(userId) !== null);
  const [files, setFiles] = useState<Attachment[]>([]);
  const [step, setStep] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<Saved & { title: string }>();
  const [uploads, setUploads] = useState<Record<string, UploadState>>({});
  const [busy, setBusy] = useState(false);
  const dirty = useRef(false);

  // Save the draft as it is typed (a short pause keeps typing smooth); never after it was submitted.
  useEffect(() => {
    if (!dirty.current || saved) return;
    const h = setTimeout(() => writeDraft(userId, d), 300);
    return () => clearTimeout(h);
  }, [d, userId, saved]);

  const set = (patch: Partial<IntakeDraft>) => {
    dirty.current = true;
    setDraft((old) => ({ ...old, ...patch }));
  };
  const opts = (name: string) => termOptions(vocab.terms(name), (id) => vocab.label(name, id));
  const mayAddPlaces = user ? REGISTRY_KEEPERS.includes(user.role) : false;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await saveReport(d, {
        mayAddPlaces,
        lang: i18n.language ?? 'en',
        partText,
        placeNote: (text) => t('where.summaryNote', { text }),
        onStep: (s) => setStep(t(`submit.steps.${s}`)),
      });
      clearDraft(userId);
      setSaved({ ...result, title: d.title });
      setStep(undefined);
      await uploadAll(result);
    } catch (err) {
      setError(err);
      setStep(undefined);
    } finally {
      setBusy(false);
    }
  };

  const uploadAll = async (result: Saved) => {
    for (const a of files) {
      const sourceId = a.sourceIndex === null ? null : (result.sourceIds[a.sourceIndex] ?? null);
      setUploads((u) => ({ ...u, [a.key]: { loaded: 0, total: a.file.size } }));
      try {
        const r = await uploadEvidence(a.file, result.allegationId, sourceId, 'intake', (loaded, total) =>
          setUploads((u) => ({ ...u, [a.key]: { loaded, total: total || a.file.size } })),
        );
        setUploads((u) => ({ ...u, [a.key]: { loaded: a.file.size, total: a.file.size, result: r } }));
      } catch (err) {
        setUploads((u) => ({ ...u, [a.key]: { ...(u[a.key] ?? { loaded: 0, total: a.file.size }), error: err } }));
      }
    }
  };

  const startOver = () => {
    dirty.current = false;
    clearDraft(userId);
    setDraft(emptyDraft());
    setFiles([]);
    setUploads({});
    setSaved(undefined);
    setError(undefined);
  };

  if (saved) {
    const failed = files.filter((a) => uploads[a.key]?.error);
    return (
      <div className="work-page intake">
        <h1>{t('title')}</h1>
        <Done>
          {t('submit.saved')}{' '}
          <Link to={`/work/allegations/${encodeURIComponent(saved.allegationId)}`}>{saved.title}</Link>
        </Done>
        {files.length > 0 ? (
          <Section title={t('files.title')}>
            <ul className="upload-list">
              {files.map((a) => {
                const u = uploads[a.key];
                return (
                  <li key={a.key}>
                    <Progress label={a.file.name} loaded={u?.loaded ?? 0} total={u?.total ?? a.file.size} />
                    {u?.result ? (
                      <p className="muted">
                        {u.result.duplicate ? t('files.duplicate') : t('files.stored')} SHA-256{' '}
                        <code className="hash">{u.result.sha256}</code>
                      </p>
                    ) : null}
                    {u?.error ? <ErrorNote error={u.error} context={t('files.failed', { name: a.file.name })} /> : null}
                  </li>
                );
              })}
            </ul>
            {failed.length > 0 ? <p className="notice warn">{t('files.failedNote')}</p> : null}
          </Section>
        ) : null}
        <p>
          <button type="button" onClick={startOver}>
            {t('submit.another')}
          </button>
        </p>
      </div>
    );
  }

  const groups = byGroup(vocab.terms('act_kind'));
  const sourceLabels = d.sources.map((s, i) => s.title.trim() || t('sources.item', { n: i + 1 }));

  return (
    <div className="work-page intake">
      <h1>{t('title')}</h1>
      <p className="lead">{t('lead')}</p>
      {restored ? (
        <p className="notice" role="status">
          {t('draft.restored')}{' '}
          <button type="button" className="link-button" onClick={startOver}>
            {t('draft.discard')}
          </button>
        </p>
      ) : null}
      <form onSubmit={submit} aria-describedby="intake-privacy">
        <p id="intake-privacy" className="hint">
          {t('privacy')}
        </p>

        <Section title={t('what.title')}>
          <TextField
            label={t('what.headline')}
            hint={t('what.headlineHint')}
            required
            value={d.title}
            onChange={(title) => set({ title })}
          />
          <TextArea label={t('what.summary')} rows={5} value={d.summary} onChange={(summary) => set({ summary })} />
        </Section>

        <Section title={t('when.title')}>
          <WhenFields d={d} set={set} />
        </Section>

        <Section title={t('where.title')}>
          <PlaceFields d={d} set={set} mayAddPlaces={mayAddPlaces} />
        </Section>

        <Section title={t('whom.title')}>
          <p className="hint">{t('whom.hint')}</p>
          <p className="hint" id="intake-identity-draft">
            {t('draft.identityNotKept')}
          </p>
          <div className="row">
            <TextField
              label={t('whom.name')}
              hint={t('whom.nameHint')}
              value={d.victimName}
              onChange={(victimName) => set({ victimName })}
            />
            <TextField
              label={t('whom.contacts')}
              value={d.victimContacts}
              onChange={(victimContacts) => set({ victimContacts })}
            />
          </div>
          <div className="row">
            <SelectField
              label={t('whom.custody')}
              value={d.victimCustody}
              options={opts('custody_state')}
              onChange={(victimCustody) => set({ victimCustody })}
            />
            <SelectField
              label={t('whom.risk')}
              value={d.victimRisk}
              options={opts('risk_level')}
              onChange={(victimRisk) => set({ victimRisk })}
            />
          </div>
        </Section>

        <Section title={t('byWhom.title')}>
          <div className="row">
            <SelectField
              label={t('byWhom.kind')}
              value={d.perpetratorKind}
              empty={t('byWhom.notSaid')}
              options={opts('perpetrator_kind')}
              onChange={(perpetratorKind) => set({ perpetratorKind })}
            />
            <TextField
              label={t('byWhom.name')}
              hint={t('byWhom.nameHint')}
              value={d.perpetratorName}
              onChange={(perpetratorName) => set({ perpetratorName })}
            />
          </div>
          <Checkbox
            label={t('byWhom.unit')}
            checked={d.perpetratorIsUnit}
            onChange={(perpetratorIsUnit) => set({ perpetratorIsUnit })}
          />
        </Section>

        <Section title={t('acts.title')}>
          <div className="act-groups">
            {[...groups.entries()].map(([group, acts]) => (
              <CheckboxGroup
                key={group}
                legend={vocab.label('act_group', group)}
                options={termOptions(acts, (id) => vocab.label('act_kind', id))}
                values={d.acts.filter((a) => acts.some((x) => x.id === a))}
                onChange={(chosen) =>
                  set({ acts: [...d.acts.filter((a) => !acts.some((x) => x.id === a)), ...chosen] })
                }
              />
            ))}
          </div>
          {d.acts.includes('other') ? (
            <TextArea
              label={t('acts.otherDescription')}
              required
              rows={2}
              value={d.otherActDescription}
              onChange={(otherActDescription) => set({ otherActDescription })}
            />
          ) : null}
        </Section>

        <Section title={t('consent.title')}>
          <CheckboxGroup
            legend={t('consent.legend')}
            hint={t('consent.hint')}
            options={opts('consent_scope')}
            values={d.consent}
            onChange={(consent) => set({ consent })}
          />
          <div className="row">
            <SelectField
              label={t('consent.sensitivity')}
              hint={t('consent.sensitivityHint')}
              value={d.sensitivity}
              options={opts('sensitivity')}
              onChange={(sensitivity) => set({ sensitivity })}
            />
            <SelectField
              label={t('consent.risk')}
              value={d.risk}
              options={opts('risk_level')}
              onChange={(risk) => set({ risk })}
            />
          </div>
        </Section>

        <Section title={t('sources.title')}>
          <SourceFields sources={d.sources} onChange={(sources) => set({ sources })} />
        </Section>

        <Section title={t('files.title')}>
          <AttachmentPicker files={files} onChange={setFiles} sourceLabels={sourceLabels} disabled={busy} />
        </Section>

        <ErrorNote error={error} context={t('submit.failed')} />
        {step ? (
          <p role="status" className="muted">
            {step}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('submit.saving') : t('submit.save')}
          </button>
          <span className="hint">
            {t('draft.autosave')} {t('draft.identityNotKept')}
          </span>
        </div>
      </form>
    </div>
  );
}
