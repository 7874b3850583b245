/**
 * Files attached to a report: chosen before saving, uploaded after the allegation exists (the
 * upload names it), each with its own progress bar and its own error, so one failed file never
 * hides that the allegation itself was saved.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { upload } from '../../../api/client.ts';
import { useFormat } from '../components/format.ts';
import type { EvidenceUploaded } from '../components/types.ts';

export interface Attachment {
  key: string;
  file: File;
  /** Index of the form's source the file belongs to; null for the allegation itself. */
  sourceIndex: number | null;
}

export interface UploadState {
  loaded: number;
  total: number;
  result?: EvidenceUploaded;
  error?: unknown;
}

/** Uploads one file as evidence of `allegationId` through `POST /evidence`. */
export function uploadEvidence(
  file: File,
  allegationId: string,
  sourceId: string | null,
  purpose: string,
  onProgress: (loaded: number, total: number) => void,
): Promise<EvidenceUploaded> {
  const form = new FormData();
  // Fields before the file: a streaming server reads them before it starts on the bytes.
  form.append('allegationId', allegationId);
  if (sourceId) form.append('sourceId', sourceId);
  form.append('purpose', purpose);
  form.append('file', file, file.name);
  return upload<EvidenceUploaded>('/evidence', form, onProgress);
}

/** The file picker and the chosen files, each with the source it belongs to. */
export function AttachmentPicker(props: {
  files: Attachment[];
  onChange(files: Attachment[]): void;
  sourceLabels: string[];
  disabled?: boolean;
}) {
  const { t } = useTranslation('intake');
  const { count } = useFormat();
  const id = useId();
  const add = (list: FileList | null) => {
    if (!list) return;
    const added = [...list].map((file) => ({
      key: `${file.name}:${file.size}:${file.lastModified}:${Math.random()}`,
      file,
      sourceIndex: null,
    }));
    props.onChange([...props.files, ...added]);
  };
  return (
    <div className="attachments">
      <div className="field">
        <label htmlFor={id}>{t('files.choose')}</label>
        <input
          id={id}
          type="file"
          multiple
          disabled={props.disabled}
          aria-describedby={`${id}-hint`}
          onChange={(e) => {
            add(e.target.files);
            e.target.value = '';
          }}
        />
        <small id={`${id}-hint`} className="hint">
          {t('files.hint')}
        </small>
      </div>
      {props.files.length > 0 ? (
        <ul className="file-list">
          {props.files.map((a) => (
            <li key={a.key}>
              <span className="file-name">{a.file.name}</span>{' '}
              <span className="muted">
                ({t('files.size', { size: count(Math.max(1, Math.round(a.file.size / 1024))) })})
              </span>
              <label className="inline">
                <span className="visually-hidden">{t('files.belongsTo', { name: a.file.name })}</span>
                <select
                  value={a.sourceIndex === null ? '' : String(a.sourceIndex)}
                  disabled={props.disabled}
                  onChange={(e) =>
                    props.onChange(
                      props.files.map((x) =>
                        x.key === a.key
                          ? { ...x, sourceIndex: e.target.value === '' ? null : Number(e.target.value) }
                          : x,
                      ),
                    )
                  }
                >
                  <option value="">{t('files.toAllegation')}</option>
                  {props.sourceLabels.map((label, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the value is the source's position in the form, which is what the option stands for
                    <option key={i} value={i}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="link-button"
                disabled={props.disabled}
                onClick={() => props.onChange(props.files.filter((x) => x.key !== a.key))}
              >
                {t('files.remove', { name: a.file.name })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
