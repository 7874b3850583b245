import { readFileSync } from 'node:fs';

/** Where the LA-155/18 demo dataset comes from, and what it deliberately leaves out. */
export const DEMO_SOURCE_NOTE =
  'Built only from one English news article of February 2022, "Kazakhstan: The Ministry of Internal Affairs denies ' +
  'existence of torture cells" (no URL or outlet recorded), kept verbatim as the source content and shipped as ' +
  'src/demo/la-155-18.article.txt. Nothing is added that the article does not state: the facility layout, the ' +
  "ministry's denial and declared safeguards, the Article 274 warning, the relatives' allegation, the article's " +
  "confirmation and Nurdilda Oraz's end-of-January briefing figures (27 torture reports, 7 pre-trial investigations " +
  'under Article 146, 20 official investigations). Official claims are recorded as statements and reported figures, ' +
  'not as facts, and carry no review. There are no victims, allegations, proceedings or visits, and no identity data. ' +
  'Every record has an external id starting with "demo:la-155-18:", so loading the demo twice changes nothing.';

/** One line of the demo import file: its `type` and the fields of that type's input schema. */
export type DemoLine = { type: string } & Record<string, unknown>;

/** The demo dataset's lines, in import (dependency) order, as parsed from `la-155-18.jsonl`. */
export function demoLines(): DemoLine[] {
  const text = readFileSync(new URL('./la-155-18.jsonl', import.meta.url), 'utf8');
  const lines: DemoLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const value: unknown = JSON.parse(raw);
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      typeof (value as { type?: unknown }).type !== 'string'
    ) {
      throw new Error(`la-155-18.jsonl line ${i + 1}: not an object with a string "type"`);
    }
    lines.push(value as DemoLine);
  });
  return lines;
}
