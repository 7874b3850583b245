import { describe, expect, it } from 'vitest';
import { CatChecklistSchema, suggestClassification, type CatChecklist } from './cat-checklist.ts';
import { CAT_INTENTS, CAT_OFFICIAL_LINKS, CAT_PURPOSES, CAT_SEVERITIES } from './vocabularies.ts';

const TORTURE: CatChecklist = {
  severity: 'severe',
  intent: 'intentional',
  purpose: 'confession_or_information',
  officialLink: 'direct',
  lawfulSanctionOnly: false,
};
const PART_2 = { code: 'criminal_code', article: '146', part: 2 };
const PART_1 = { code: 'criminal_code', article: '146', part: 1 };

describe('suggestClassification', () => {
  it('suggests torture when all four elements are met (art. 146 part 2)', () => {
    expect(suggestClassification(TORTURE)).toEqual({ suggestion: 'torture', blockers: [], hint: PART_2 });
  });

  it.each(['confession_or_information', 'punishment', 'intimidation_or_coercion', 'discrimination', 'other'] as const)(
    'counts purpose %s as met',
    (purpose) => {
      expect(suggestClassification({ ...TORTURE, purpose }).suggestion).toBe('torture');
    },
  );

  it.each(['direct', 'instigation', 'consent_or_acquiescence'] as const)(
    'counts official link %s as met',
    (officialLink) => {
      expect(suggestClassification({ ...TORTURE, officialLink }).suggestion).toBe('torture');
    },
  );

  it('does not suggest torture for pain from lawful sanctions only', () => {
    expect(suggestClassification({ ...TORTURE, lawfulSanctionOnly: true })).toEqual({
      suggestion: 'undetermined',
      blockers: ['lawfulSanctionOnly'],
      hint: null,
    });
  });

  it.each([
    [{ severity: 'not_severe' }, ['severity']],
    [{ intent: 'negligent' }, ['intent']],
    [{ purpose: 'none' }, ['purpose']],
    [{ severity: 'not_severe', purpose: 'unknown' }, ['severity', 'purpose']],
  ] as const)('suggests CIDT (part 1) when the official link holds and %o is not met', (change, blockers) => {
    expect(suggestClassification({ ...TORTURE, ...change })).toEqual({ suggestion: 'cidt', blockers, hint: PART_1 });
  });

  it('leaves a case with only unknowns undetermined, naming them', () => {
    expect(suggestClassification({ ...TORTURE, severity: 'unknown', intent: 'unknown' })).toEqual({
      suggestion: 'undetermined',
      blockers: ['severity', 'intent'],
      hint: null,
    });
  });

  it('never suggests CIDT without the official link', () => {
    expect(suggestClassification({ ...TORTURE, officialLink: 'none' })).toEqual({
      suggestion: 'undetermined',
      blockers: ['officialLink'],
      hint: null,
    });
    expect(suggestClassification({ ...TORTURE, officialLink: 'unknown', severity: 'not_severe' })).toEqual({
      suggestion: 'undetermined',
      blockers: ['severity', 'officialLink'],
      hint: null,
    });
  });

  it('holds its invariants over every combination of answers', () => {
    for (const s of CAT_SEVERITIES)
      for (const i of CAT_INTENTS)
        for (const p of CAT_PURPOSES)
          for (const o of CAT_OFFICIAL_LINKS) {
            for (const lawfulSanctionOnly of [false, true]) {
              const checklist: CatChecklist = {
                severity: s.id,
                intent: i.id,
                purpose: p.id,
                officialLink: o.id,
                lawfulSanctionOnly,
              };
              const { suggestion, blockers, hint } = suggestClassification(checklist);
              const met = [s, i, p, o].filter((e) => e.met === 'met').length;
              expect(suggestion === 'torture').toBe(met === 4 && !lawfulSanctionOnly);
              expect(blockers.length).toBe(4 - met + (lawfulSanctionOnly ? 1 : 0));
              if (suggestion === 'cidt') {
                expect(o.met).toBe('met');
                expect([s, i, p].some((e) => e.met === 'not_met')).toBe(true);
              }
              expect(hint === null).toBe(suggestion === 'undetermined');
            }
          }
  });
});

describe('CatChecklistSchema', () => {
  it('defaults every unanswered element to unknown', () => {
    const checklist = CatChecklistSchema.parse({});
    expect(checklist).toEqual({
      severity: 'unknown',
      intent: 'unknown',
      purpose: 'unknown',
      officialLink: 'unknown',
      lawfulSanctionOnly: false,
    });
    expect(suggestClassification(checklist).blockers).toEqual(['severity', 'intent', 'purpose', 'officialLink']);
  });

  it('names the element and its values for an unknown answer', () => {
    const result = CatChecklistSchema.safeParse({ ...TORTURE, purpose: 'revenge' });
    expect(result.error?.issues[0]?.path).toEqual(['purpose']);
    expect(result.error?.issues[0]?.message).toMatch(
      /^unknown purpose "revenge"; expected one of: confession_or_information, /,
    );
  });

  it('refuses keys it does not know, so a misspelt element is never silently unknown', () => {
    expect(CatChecklistSchema.safeParse({ ...TORTURE, official_link: 'direct' }).success).toBe(false);
  });
});
