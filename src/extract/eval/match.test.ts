import { describe, expect, it } from 'vitest';
import { dateKey, itemsOf, matchField, samePerson, stageOfKey } from './match.ts';

const m = (field: Parameters<typeof matchField>[0], e: Record<string, unknown>[], p: Record<string, unknown>[]) => {
  const { tp, fp, fn } = matchField(field, e, p);
  return { tp, fp, fn };
};

describe('matching of proposed to expected facts', () => {
  it('matches facilities by code across scripts, else by kind and city', () => {
    expect(
      m(
        'facilities',
        [{ kind: 'pretrial_detention', code: 'ЛА-155/18', city: 'Almaty' }],
        [{ kind: 'other', code: 'LA-155/18', city: null }],
      ),
    ).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(
      m(
        'facilities',
        [{ kind: 'temporary_detention_isolator', code: null, city: 'Алматы' }],
        [{ kind: 'temporary_detention_isolator', code: null, city: 'Almaty' }],
      ).tp,
    ).toBe(1);
    expect(
      m(
        'facilities',
        [{ kind: 'temporary_detention_isolator', code: null, city: 'Almaty' }],
        [{ kind: 'pretrial_detention', code: null, city: 'Almaty' }],
      ).tp,
    ).toBe(0);
  });
  it('matches places and organizations through the gazetteers, one to one', () => {
    expect(
      m(
        'places',
        [{ name: 'Uralsk' }, { name: 'Kazakhstan' }],
        [{ name: 'Oral' }, { name: 'Kazakhstan' }, { name: 'Kazakhstan' }],
      ),
    ).toEqual({ tp: 2, fp: 1, fn: 0 });
    expect(
      m('organizations', [{ name: 'Генеральная прокуратура Казахстана' }], [{ name: "Prosecutor General's Office" }])
        .tp,
    ).toBe(1);
    expect(
      m('organizations', [{ name: '1 Служба Генеральной прокуратуры' }], [{ name: 'Генеральной прокуратуры' }]).tp,
    ).toBe(0);
  });
  it('matches people by name key, allowing a shorter form of the same name', () => {
    expect(samePerson('Nurdilda Oraz', 'Нурдилда Ораз')).toBe(true);
    expect(samePerson('Ожаров', 'Ризабек Ожаров')).toBe(true);
    expect(samePerson('Ivanov', 'Petrov')).toBe(false);
  });
  it('requires code, article and part of legal references to agree', () => {
    expect(
      m(
        'legal_refs',
        [{ code: 'criminal_code', article: '146', part: '2' }],
        [{ code: 'criminal_code', article: '146', part: null }],
      ).tp,
    ).toBe(0);
    expect(
      m(
        'legal_refs',
        [{ code: 'criminal_code', article: '146' }],
        [{ code: 'criminal_code', article: '146', part: null }],
      ).tp,
    ).toBe(1);
  });
  it('matches counts by value and the words of what they count', () => {
    expect(
      m(
        'counts',
        [{ value: 27, what: 'reports of torture' }],
        [{ value: 27, what: 'reports of torture under Article' }],
      ).tp,
    ).toBe(1);
    expect(m('counts', [{ value: 27, what: 'reports of torture' }], [{ value: 27, what: 'cells' }]).tp).toBe(0);
    expect(
      m('counts', [{ value: 27, what: 'reports of torture' }], [{ value: 7, what: 'reports of torture' }]).tp,
    ).toBe(0);
  });
  it('matches dates by their parts, whatever the language', () => {
    expect(dateKey('end of January')).toBe(dateKey('в конце января'));
    expect(dateKey('3 August')).not.toBe(dateKey('3 September'));
    expect(
      m('dates', [{ text: 'February 23, 2022', iso: '2022-02-23' }], [{ text: '23 февраля 2022', iso: '2022-02-23' }])
        .tp,
    ).toBe(1);
  });
  it('matches statements by speaker and stance, and a gist sharing enough words', () => {
    const e = [
      {
        speaker: 'Nurdilda Oraz',
        stance: 'confirmation',
        gist: '7 pre-trial investigations were opened on 27 torture reports',
      },
    ];
    expect(
      m('statements', e, [
        {
          speaker: 'Нурдилда Ораз',
          stance: 'confirmation',
          gist: '7 pre-trial investigations had been launched on 27 reports of torture',
        },
      ]).tp,
    ).toBe(1);
    expect(
      m('statements', e, [
        {
          speaker: 'Nurdilda Oraz',
          stance: 'denial',
          gist: '7 pre-trial investigations had been launched on 27 reports of torture',
        },
      ]).tp,
    ).toBe(0);
    expect(
      m('statements', e, [{ speaker: 'Nurdilda Oraz', stance: 'confirmation', gist: 'the weather was fine' }]).tp,
    ).toBe(0);
    expect(
      m(
        'statements',
        [{ speaker: 'article author', stance: 'confirmation', gist: 'some statements were confirmed' }],
        [{ speaker: 'Nurdilda Oraz', stance: 'confirmation', gist: 'some statements were confirmed' }],
      ).tp,
    ).toBe(0);
  });
  it('reads the funnel from reported figures, or from the stage words of the funnel keys', () => {
    expect(stageOfKey('official_investigations')).toBe('inquiries');
    expect(stageOfKey('pretrial_investigations_art_146')).toBe('investigations');
    expect(stageOfKey('reports_of_torture')).toBe('reports');
    expect(
      itemsOf(
        { accountability_funnel: { reports_of_torture: 27, official_investigations: 20, note: 'x' } },
        'accountability_funnel',
      ),
    ).toEqual([
      { stage: 'reports', value: 27 },
      { stage: 'inquiries', value: 20 },
    ]);
  });
});
