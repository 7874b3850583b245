import { describe, expect, it } from 'vitest';
import { ACT_KINDS, RISK_LEVELS } from './vocabularies.ts';
import { isTermId, termLabel, unknownTermMessage, vocabularyIds, vocabularySchema } from './vocabulary.ts';

describe('vocabularyIds', () => {
  it('returns the ids in declaration order', () => {
    expect(vocabularyIds(RISK_LEVELS)).toEqual(['low', 'medium', 'high', 'critical']);
  });
});

describe('isTermId', () => {
  it('accepts ids and rejects anything else', () => {
    expect(isTermId(RISK_LEVELS, 'high')).toBe(true);
    expect(isTermId(RISK_LEVELS, 'High')).toBe(false);
    expect(isTermId(RISK_LEVELS, 3)).toBe(false);
    expect(isTermId(RISK_LEVELS, undefined)).toBe(false);
  });
});

describe('termLabel', () => {
  it('gives the label in the asked language', () => {
    expect(termLabel(ACT_KINDS, 'falanga', 'en')).toBe('Blows to the soles');
    expect(termLabel(ACT_KINDS, 'falanga', 'ru')).toBe('Удары по стопам');
  });

  it('falls back to the id for an id it does not know', () => {
    expect(termLabel(RISK_LEVELS, 'extreme' as 'high', 'en')).toBe('extreme');
  });
});

describe('vocabularySchema', () => {
  const schema = vocabularySchema(ACT_KINDS, 'act kind');

  it('accepts every id', () => {
    for (const { id } of ACT_KINDS) expect(schema.parse(id)).toBe(id);
  });

  it('names the vocabulary and a few ids for an unknown value', () => {
    const result = schema.safeParse('beatng');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'unknown act kind "beatng"; expected one of: beating, falanga, suspension, stress_position, burning, hot_iron, ...',
    );
  });

  it('lists every id of a short vocabulary without an ellipsis', () => {
    const result = vocabularySchema(RISK_LEVELS, 'risk level').safeParse('extreme');
    expect(result.error?.issues[0]?.message).toBe(
      'unknown risk level "extreme"; expected one of: low, medium, high, critical',
    );
  });

  it('says "missing" when there is no value', () => {
    expect(schema.safeParse(undefined).error?.issues[0]?.message).toMatch(
      /^missing act kind; expected one of: beating/,
    );
  });

  it('quotes a non-string value as JSON', () => {
    expect(unknownTermMessage('risk level', ['low'], 3)).toBe('unknown risk level 3; expected one of: low');
    expect(unknownTermMessage('risk level', ['low'], 3n)).toBe('unknown risk level 3; expected one of: low');
  });
});
