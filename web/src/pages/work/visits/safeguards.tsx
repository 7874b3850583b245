/** The safeguards checklist (domain.md 3.3): one answer per check, yes / no / partial / not checked. */
import { useTranslation } from 'react-i18next';
import { useVocab } from '../../../i18n/vocab.ts';

/** The checklist as a table of radio groups, one row per safeguard. */
export function SafeguardsChecklist({
  value,
  onChange,
  name,
}: {
  value: Record<string, string>;
  onChange(v: Record<string, string>): void;
  name: string;
}) {
  const { t } = useTranslation('visits');
  const vocab = useVocab();
  const answers = vocab.terms('safeguard_answer');
  return (
    <fieldset className="safeguards">
      <legend>{t('safeguards.title')}</legend>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('safeguards.check')}</th>
            {answers.map((a) => (
              <th key={a.id} scope="col">
                {vocab.label('safeguard_answer', a.id)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {vocab.terms('safeguard_check').map((c) => (
            <tr key={c.id}>
              <th scope="row">{vocab.label('safeguard_check', c.id)}</th>
              {answers.map((a) => (
                <td key={a.id}>
                  <input
                    type="radio"
                    name={`${name}-${c.id}`}
                    aria-label={`${vocab.label('safeguard_check', c.id)}: ${vocab.label('safeguard_answer', a.id)}`}
                    checked={value[c.id] === a.id}
                    onChange={() => onChange({ ...value, [c.id]: a.id })}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}

/** The answers as read-only text. */
export function SafeguardsSummary({ value }: { value: Record<string, string> }) {
  const { t } = useTranslation('visits');
  const vocab = useVocab();
  const answered = vocab.terms('safeguard_check').filter((c) => value[c.id]);
  if (answered.length === 0) return <p className="muted">{t('safeguards.none')}</p>;
  return (
    <dl className="facts">
      {answered.map((c) => (
        <div key={c.id} style={{ display: 'contents' }}>
          <dt>{vocab.label('safeguard_check', c.id)}</dt>
          <dd>{vocab.label('safeguard_answer', value[c.id])}</dd>
        </div>
      ))}
    </dl>
  );
}
