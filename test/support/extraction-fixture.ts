/**
 * The LA-155/18 article and the facts an extractor should propose from it, built by hand with
 * spans found in the text, so review-queue tests do not depend on the extraction rules.
 */
import { readFileSync } from 'node:fs';
import type { Extraction } from '../../src/extract/types.ts';

/** The scenario article, verbatim (the repository's copy; src/demo/la-155-18.test.ts checks it equals the scenario's). */
export const ARTICLE = readFileSync(new URL('../../src/demo/la-155-18.article.txt', import.meta.url), 'utf8');

/** The ministry's denial, as the article words it. */
export const DENIAL =
  'The Ministry of Internal Affairs of Kazakhstan stated that the rumors about the existence of a torture facility in the pre-trial detention center in Almaty are not true.';
const BRIEFING_START = 'So, at the end of January, Nurdilda Oraz';

/** The span of the first occurrence of `words` at or after `from` (so tests can check `text.slice(span)`). */
function at(words: string, from = 0): { start: number; end: number } {
  const start = ARTICLE.indexOf(words, from);
  if (start < 0) throw new Error(`not in the article: ${words}`);
  return { start, end: start + words.length };
}

/** The LA-155/18 facts as the extractor should propose them, built by hand so the tests do not depend on its rules. */
export function scenarioExtraction(): Extraction {
  const briefing = at(BRIEFING_START);
  const briefingSpan = { start: briefing.start, end: ARTICLE.indexOf('20 more facts.') + '20 more facts.'.length };
  return {
    language: 'en',
    chars: ARTICLE.length,
    facilities: [
      {
        text: 'pre-trial detention center LA-155/18',
        kind: 'pretrial_detention',
        code: 'LA-155/18',
        city: 'Almaty',
        span: at('pre-trial detention center LA-155/18'),
        confidence: 0.9,
      },
    ],
    places: [
      { name: 'Kazakhstan', type: 'country', text: 'Kazakhstan', span: at('Kazakhstan'), confidence: 0.9 },
      { name: 'Almaty', type: 'city', text: 'Almaty', span: at('Almaty'), confidence: 0.9 },
    ],
    organizations: [
      {
        name: 'Ministry of Internal Affairs of Kazakhstan',
        canonical: 'mvd_kz',
        kind: 'ministry',
        text: 'Ministry of Internal Affairs of Kazakhstan',
        span: at('Ministry of Internal Affairs of Kazakhstan'),
        confidence: 0.9,
      },
      {
        name: 'Prosecutor’s Office',
        canonical: null,
        kind: 'prosecutor',
        text: 'Prosecutor’s Office',
        span: at('Prosecutor’s Office'),
        confidence: 0.9,
      },
    ],
    people: [
      {
        name: 'Nurdilda Oraz',
        role: 'adviser to the minister and official representative of the Ministry of Internal Affairs of Kazakhstan',
        text: 'Nurdilda Oraz',
        span: at('Nurdilda Oraz'),
        confidence: 0.95,
      },
    ],
    legal_refs: [
      {
        text: 'Article 146 of the Criminal Code',
        code: 'criminal_code',
        article: '146',
        part: null,
        topic: 'torture',
        span: at('Article 146 of the Criminal Code'),
        confidence: 0.95,
      },
    ],
    counts: [{ value: 230, what: 'cells', text: '230', span: at('230'), confidence: 0.8 }],
    dates: [
      {
        text: 'end of January',
        iso: null,
        precision: 'part_of_month',
        part: 'end',
        month: 1,
        span: at('end of January'),
        confidence: 0.75,
      },
    ],
    facility_layout: {
      buildings: [
        {
          label: 'administrative building',
          count: 1,
          floors: 2,
          span: at('two-story administrative building'),
          confidence: 0.8,
        },
      ],
      cells: { value: 230, span: at('230 cells'), confidence: 0.8 },
      declared_rooms: [
        {
          label: 'semi-basement rooms',
          declared_use: ['communication systems', 'heating units'],
          access: 'from outside the buildings',
          span: at('semi-basement rooms'),
          confidence: 0.7,
        },
      ],
      declared_safeguards: [{ text: 'video filming of intake', span: at('video filming is made'), confidence: 0.5 }],
    },
    statements: [
      {
        speaker: 'Ministry of Internal Affairs of Kazakhstan',
        stance: 'denial',
        gist: 'rumours of a torture room in LA-155/18 are not true',
        date: null,
        span: at(DENIAL),
        confidence: 0.7,
      },
      {
        speaker: 'Nurdilda Oraz',
        stance: 'confirmation',
        gist: '7 pre-trial investigations opened on 27 torture reports; official investigations into 20 more facts',
        date: 'end of January',
        span: briefingSpan,
        confidence: 0.7,
      },
    ],
    reported_figures: [
      {
        stage: 'reports',
        value: 27,
        what: 'reports of torture',
        speaker: 'Nurdilda Oraz',
        date: 'end of January',
        span: at('27 reports of torture'),
        confidence: 0.8,
      },
      {
        stage: 'investigations',
        value: 7,
        what: 'pre-trial investigations launched',
        speaker: 'Nurdilda Oraz',
        date: 'end of January',
        span: at('7 pre-trial investigations'),
        confidence: 0.8,
      },
      {
        stage: 'inquiries',
        value: 20,
        what: 'more facts under official investigation',
        speaker: 'Nurdilda Oraz',
        date: 'end of January',
        span: at('20 more facts'),
        confidence: 0.8,
      },
    ],
    accountability_funnel: { reports: 27, investigations: 7, inquiries: 20 },
  };
}
