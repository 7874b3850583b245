/**
 * `extract(text)`: every extractor over one article, offline (rules and the gazetteers under
 * gazetteers/). The result is proposals for review, each with its span and confidence.
 */
import { extractCounts } from './counts.ts';
import { extractDates } from './dates.ts';
import { extractFacilities } from './facilities.ts';
import { extractReportedFigures, funnelOf } from './funnel.ts';
import { keyedWords } from './gazetteer.ts';
import { extractLayout } from './layout.ts';
import { extractLegalRefs } from './legal.ts';
import { extractOrganizations } from './organizations.ts';
import { extractPeople } from './people.ts';
import { extractPlaces } from './places.ts';
import { extractStatements } from './statements.ts';
import { detectLanguage, splitSentences } from './text.ts';
import type { Extraction } from './types.ts';

/** Proposed facts of one article (English or Russian plain text). */
export function extract(text: string): Extraction {
  const language = detectLanguage(text);
  const sentences = splitSentences(text, language === 'en' ? 'en' : 'ru');
  const ws = keyedWords(text);
  const places = extractPlaces(text, ws);
  const organizations = extractOrganizations(text, ws);
  const facilities = extractFacilities(text, ws);
  const legal_refs = extractLegalRefs(text);
  const dates = extractDates(text);
  const people = extractPeople(text, [...organizations.map((o) => o.span)]);
  const exclude = [
    ...dates.map((d) => d.span),
    ...legal_refs.map((r) => r.span),
    ...facilities.filter((f) => f.code).map((f) => f.span),
  ];
  const counts = extractCounts(text, exclude);
  const statements = extractStatements({ text, sentences, people, organizations, dates });
  const reported_figures = extractReportedFigures(text, counts, statements);
  return {
    language,
    chars: text.length,
    facilities,
    places,
    organizations,
    people,
    legal_refs,
    counts,
    dates,
    facility_layout: extractLayout(text),
    statements,
    reported_figures,
    accountability_funnel: funnelOf(reported_figures),
  };
}
