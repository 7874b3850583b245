import { describe, expect, it } from 'vitest';
import { extractFacilities, normalizeFacilityCode } from './facilities.ts';

const fac = (s: string) => extractFacilities(s).map((f) => [f.kind, f.code, f.city, s.slice(f.span.start, f.span.end)]);

describe('extractFacilities', () => {
  it('finds kind, code and city in English and Russian', () => {
    expect(fac('the pre-trial detention center LA-155/18')).toEqual([
      ['pretrial_detention', 'LA-155/18', null, 'pre-trial detention center LA-155/18'],
    ]);
    expect(fac('в СИЗО №1 г. Алматы')).toEqual([['pretrial_detention', '1', 'Almaty', 'СИЗО №1 г. Алматы']]);
    expect(fac('в ИВС ДП г. Алматы')).toEqual([['temporary_detention_isolator', null, 'Almaty', 'ИВС ДП г. Алматы']]);
    expect(fac('held in SIZO-1 in Almaty')).toEqual([['pretrial_detention', '1', 'Almaty', 'SIZO-1 in Almaty']]);
  });
  it('merges mentions of one facility (city in one, code in another)', () => {
    const text =
      'a torture room in the pre-trial detention center in Almaty. The basement of the pre-trial detention center LA-155/18 has none.';
    expect(extractFacilities(text).map((f) => [f.kind, f.code, f.city])).toEqual([
      ['pretrial_detention', 'LA-155/18', 'Almaty'],
    ]);
  });
  it('does not take the Criminal Code or a prison sentence for a facility', () => {
    expect(fac('по ст. 146 УК РК, sentenced to a prison term')).toEqual([]);
  });
  it('writes Cyrillic codes in Latin letters', () => {
    expect(normalizeFacilityCode('ЛА-155/18')).toBe('LA-155/18');
    expect(normalizeFacilityCode('№ 1')).toBe('1');
  });
});
