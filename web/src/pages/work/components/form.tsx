/** Labelled form fields for the work pages: every control has a visible label, hints are tied by aria-describedby. */
import { useId, type ReactNode } from 'react';
import type { Term } from '../../../i18n/vocab.ts';

interface FieldBase {
  label: string;
  hint?: string;
  required?: boolean;
  className?: string;
}

function Hint({ id, hint }: { id: string; hint?: string }) {
  return hint ? (
    <small id={id} className="hint">
      {hint}
    </small>
  ) : null;
}

/** A one-line text, date, number or month input with its label. */
export function TextField(
  props: FieldBase & {
    value: string;
    onChange(value: string): void;
    type?: 'text' | 'date' | 'month' | 'number' | 'url' | 'password' | 'search' | 'datetime-local';
    name?: string;
    autoComplete?: string;
    min?: string;
    max?: string;
    placeholder?: string;
  },
) {
  const id = useId();
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        min={props.min}
        max={props.max}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? 'off'}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <Hint id={`${id}-hint`} hint={props.hint} />
    </div>
  );
}

/** A multi-line text with its label. */
export function TextArea(
  props: FieldBase & { value: string; onChange(value: string): void; rows?: number; name?: string },
) {
  const id = useId();
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 4}
        value={props.value}
        required={props.required}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <Hint id={`${id}-hint`} hint={props.hint} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** Options from vocabulary terms, labelled by `label`. */
export function termOptions(terms: readonly Term[], label: (id: string) => string): Option[] {
  return terms.map((t) => ({ value: t.id, label: label(t.id) }));
}

/** A select with its label; `empty` adds a first, empty choice. */
export function SelectField(
  props: FieldBase & { value: string; onChange(value: string): void; options: Option[]; empty?: string; name?: string },
) {
  const id = useId();
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        required={props.required}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Hint id={`${id}-hint`} hint={props.hint} />
    </div>
  );
}

/** A group of checkboxes in a fieldset with a legend. */
export function CheckboxGroup(props: {
  legend: string;
  hint?: string;
  options: Option[];
  values: string[];
  onChange(values: string[]): void;
  className?: string;
}) {
  const id = useId();
  const toggle = (v: string, on: boolean) =>
    props.onChange(on ? [...props.values, v] : props.values.filter((x) => x !== v));
  return (
    <fieldset className={`checks ${props.className ?? ''}`} aria-describedby={props.hint ? `${id}-hint` : undefined}>
      <legend>{props.legend}</legend>
      <Hint id={`${id}-hint`} hint={props.hint} />
      {props.options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="checkbox"
            checked={props.values.includes(o.value)}
            onChange={(e) => toggle(o.value, e.target.checked)}
          />{' '}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** One checkbox with its label. */
export function Checkbox(props: { label: string; checked: boolean; onChange(on: boolean): void }) {
  return (
    <label className="check">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} /> {props.label}
    </label>
  );
}

/** A group of radio buttons in a fieldset with a legend. */
export function RadioGroup(props: {
  legend: string;
  name: string;
  options: Option[];
  value: string;
  onChange(value: string): void;
  inline?: boolean;
}) {
  return (
    <fieldset className={`radios ${props.inline ? 'inline' : ''}`}>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="radio"
            name={props.name}
            value={o.value}
            checked={props.value === o.value}
            onChange={() => props.onChange(o.value)}
          />{' '}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** A titled block of a page (a section with its own heading for screen-reader navigation). */
export function Section(props: {
  title: string;
  children: ReactNode;
  id?: string;
  level?: 2 | 3;
  actions?: ReactNode;
}) {
  const hid = useId();
  const H = props.level === 3 ? 'h3' : 'h2';
  return (
    <section className="work-section" aria-labelledby={hid} id={props.id}>
      <div className="section-head">
        <H id={hid}>{props.title}</H>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}
