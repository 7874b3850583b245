import { describe, expect, it } from 'vitest';
import { periodText } from '../allegation/period-text.ts';
import { collator, formatCount, formatPartialDate } from './format.ts';
import { areaLabel, facilityName, flattenAreas } from './registry.ts';
import type { AreaNode } from './types.ts';

describe('formatPartialDate', () => {
  it('formats a date as precisely as it is given, in the reader’s language', () => {
    expect(formatPartialDate('2022', 'en')).toBe('2022');
    expect(formatPartialDate('2022-01', 'en')).toBe('January 2022');
    expect(formatPartialDate('2022-01', 'ru')).toBe('январь 2022 г.');
    expect(formatPartialDate('2022-01-27', 'en')).toBe('27 Jan 2022');
    expect(formatPartialDate('2022-01-27', 'ru')).toBe('27 янв. 2022 г.');
  });

  it('gives nothing for no date, and the value itself when it is not a date', () => {
    expect(formatPartialDate(null, 'en')).toBe('');
    expect(formatPartialDate(undefined, 'en')).toBe('');
    expect(formatPartialDate('', 'ru')).toBe('');
    expect(formatPartialDate('sometime', 'en')).toBe('sometime');
  });

  it('formats an instant with its time', () => {
    expect(formatPartialDate('2022-01-27T10:00:00Z', 'en')).toMatch(/^27 Jan 2022, \d\d:\d\d$/);
  });
});

describe('formatCount and collator', () => {
  it('groups digits the way the reader’s language does', () => {
    expect(formatCount(12345, 'en')).toBe('12,345');
    expect(formatCount(12345, 'ru').replace(/\s/g, ' ')).toBe('12 345');
  });

  it('sorts numbers inside names by value and ignores case', () => {
    const names = ['СИЗО-10', 'сизо-2', 'СИЗО-1'];
    expect([...names].sort(collator('ru').compare)).toEqual(['СИЗО-1', 'сизо-2', 'СИЗО-10']);
    expect(collator('en').compare('ivs', 'IVS')).toBe(0);
  });
});

describe('periodText', () => {
  const p = (over: Partial<Parameters<typeof periodText>[0]>) => ({
    start: null,
    end: null,
    precision: 'unknown',
    text: null,
    ...over,
  });

  it('puts the source’s wording first, with the dates after it', () => {
    expect(
      periodText(
        p({ start: '2022-01-21', end: '2022-01-31', precision: 'part_of_month', text: 'end of January' }),
        'en',
        'approx.',
      ),
    ).toBe('end of January (21 Jan 2022 – 31 Jan 2022)');
    expect(periodText(p({ text: 'last winter' }), 'en', 'approx.')).toBe('last winter');
  });

  it('labels a range that is not a day, month or year with its precision, and gives one date once', () => {
    expect(periodText(p({ start: '2022-01-21', end: '2022-01-31', precision: 'part_of_month' }), 'en', 'approx.')).toBe(
      '21 Jan 2022 – 31 Jan 2022 (approx.)',
    );
    expect(periodText(p({ start: '2022-01', end: '2022-01', precision: 'month' }), 'en', 'approx.')).toBe(
      'January 2022',
    );
    expect(periodText(p({}), 'en', 'approx.')).toBe('');
  });
});

describe('registry names', () => {
  const area = (label: string, labelRu: string | null, children: AreaNode[] = []): AreaNode =>
    ({ id: label, label, labelRu, children }) as unknown as AreaNode;

  it('names a facility in the reader’s script, with its code unless the name has it', () => {
    const f = { name: 'Pre-trial detention centre 1', nameRu: 'СИЗО №1', code: 'LA-155/18' };
    expect(facilityName(f, 'en')).toBe('Pre-trial detention centre 1 (LA-155/18)');
    expect(facilityName(f, 'ru')).toBe('СИЗО №1 (LA-155/18)');
    expect(facilityName({ ...f, nameRu: 'СИЗО LA-155/18' }, 'en')).toBe('Pre-trial detention centre 1');
    expect(facilityName({ ...f, code: null }, 'ru')).toBe('СИЗО №1');
    expect(facilityName(undefined, 'en')).toBe('');
  });

  it('flattens the area tree in display order with depth and path', () => {
    const tree = [area('Block A', 'Корпус А', [area('Cell 1', null), area('Cell 2', 'Камера 2')]), area('Yard', null)];
    expect(areaLabel(tree[0] as AreaNode, 'ru')).toBe('Корпус А');
    expect(flattenAreas(tree, 'ru').map(({ depth, path }) => [depth, path.join(' / ')])).toEqual([
      [0, 'Корпус А'],
      [1, 'Корпус А / Cell 1'],
      [1, 'Корпус А / Камера 2'],
      [0, 'Yard'],
    ]);
  });
});
