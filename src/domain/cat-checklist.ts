/**
 * The CAT art. 1 checklist and the classification it suggests (domain.md 2.7). The suggestion
 * never sets a classification: only an analyst does, with a rationale kept beside the suggestion.
 */
import { z } from 'zod';
import {
  CAT_INTENTS,
  CAT_OFFICIAL_LINKS,
  CAT_PURPOSES,
  CAT_SEVERITIES,
  CatIntentSchema,
  CatOfficialLinkSchema,
  CatPurposeSchema,
  CatSeveritySchema,
  type CatElementMet,
} from './vocabularies-allegation.ts';
import type { Term } from './vocabulary.ts';

/** An analyst's answers to the CAT art. 1 elements; an unanswered element is `unknown`, never met. */
export const CatChecklistSchema = z.strictObject({
  severity: CatSeveritySchema.default('unknown'),
  intent: CatIntentSchema.default('unknown'),
  purpose: CatPurposeSchema.default('unknown'),
  officialLink: CatOfficialLinkSchema.default('unknown'),
  /** Pain or suffering arising only from lawful sanctions is excluded from art. 1. */
  lawfulSanctionOnly: z.boolean().default(false),
});
/** A filled-in checklist. */
export type CatChecklist = z.infer<typeof CatChecklistSchema>;

/** The four elements of CAT art. 1, as checklist keys. */
type CatElement = 'severity' | 'intent' | 'purpose' | 'officialLink';
/** What keeps a checklist from `torture`: an element not met or unknown, or the lawful-sanction exclusion. */
type CatBlocker = CatElement | 'lawfulSanctionOnly';

/** The Kazakh Criminal Code article a classification corresponds to (**verify** against the law in force). */
interface CriminalCodeHint {
  readonly code: 'criminal_code';
  readonly article: '146';
  readonly part: 1 | 2;
}

/** What `suggestClassification` proposes for an analyst to confirm or override. */
export interface ClassificationSuggestion {
  readonly suggestion: 'torture' | 'cidt' | 'undetermined';
  readonly blockers: CatBlocker[];
  readonly hint: CriminalCodeHint | null;
}

const ELEMENTS: readonly { key: CatElement; list: readonly (Term & { readonly met: CatElementMet })[] }[] = [
  { key: 'severity', list: CAT_SEVERITIES },
  { key: 'intent', list: CAT_INTENTS },
  { key: 'purpose', list: CAT_PURPOSES },
  { key: 'officialLink', list: CAT_OFFICIAL_LINKS },
];

/** Whether one element of the checklist is met, not met or unknown. */
function catElementStatus(checklist: CatChecklist, element: CatElement): CatElementMet {
  const entry = ELEMENTS.find((e) => e.key === element);
  return entry?.list.find((t) => t.id === checklist[element])?.met ?? 'unknown';
}

/**
 * Suggests a classification from the checklist, per domain.md 2.7: all four elements met and not
 * lawful-sanction-only → `torture` (Criminal Code art. 146 part 2); official link met and another
 * element not met → `cidt` (part 1); otherwise `undetermined`. `blockers` names what stands between
 * the checklist and `torture`. A suggestion only: an analyst confirms it with a rationale, and the
 * article hint is to be verified against the law in force.
 */
export function suggestClassification(checklist: CatChecklist): ClassificationSuggestion {
  const status = (e: CatElement) => catElementStatus(checklist, e);
  const blockers: CatBlocker[] = ELEMENTS.map((e) => e.key).filter((e) => status(e) !== 'met');
  if (checklist.lawfulSanctionOnly) blockers.push('lawfulSanctionOnly');

  if (blockers.length === 0) {
    return { suggestion: 'torture', blockers, hint: { code: 'criminal_code', article: '146', part: 2 } };
  }
  const otherNotMet = (['severity', 'intent', 'purpose'] as const).some((e) => status(e) === 'not_met');
  if (status('officialLink') === 'met' && otherNotMet) {
    return { suggestion: 'cidt', blockers, hint: { code: 'criminal_code', article: '146', part: 1 } };
  }
  return { suggestion: 'undetermined', blockers, hint: null };
}
