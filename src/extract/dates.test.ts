import { describe, expect, it } from 'vitest';
import { extractDates } from './dates.ts';

const dates = (s: string) =>
  extractDates(s).map((d) => ({
    text: d.text,
    iso: d.iso,
    precision: d.precision,
    ...(d.part ? { part: d.part } : {}),
    ...(d.month ? { month: d.month } : {}),
  }));

describe('extractDates', () => {
  it('finds relative parts of a month, English and Russian, without inventing a year', () => {
    expect(dates('So, at the end of January, he said')).toEqual([
      { text: 'end of January', iso: null, precision: 'part_of_month', part: 'end', month: 1 },
    ]);
    expect(dates('в конце января он заявил')).toEqual([
      { text: 'конце января', iso: null, precision: 'part_of_month', part: 'end', month: 1 },
    ]);
    expect(dates('in early March 2022')[0]).toMatchObject({
      iso: '2022-03',
      precision: 'part_of_month',
      part: 'start',
    });
  });
  it('finds absolute dates with their precision', () => {
    expect(dates('on February 23, 2022')).toEqual([{ text: 'February 23, 2022', iso: '2022-02-23', precision: 'day' }]);
    expect(dates('23 февраля 2022 года')[0]).toMatchObject({ iso: '2022-02-23', precision: 'day' });
    expect(dates('27.01.2022')[0]).toMatchObject({ iso: '2022-01-27', precision: 'day' });
    expect(dates('в январе 2022 года')[0]).toMatchObject({ iso: '2022-01', precision: 'month' });
    expect(dates('в 2021 году')[0]).toMatchObject({ iso: '2021', precision: 'year' });
    expect(dates('on October 17 he')).toEqual([{ text: 'October 17', iso: null, precision: 'day', month: 10 }]);
  });
  it('does not take a month used as a name of events for a date', () => {
    expect(dates('after the January riots')).toEqual([]);
  });
  it('gives spans into the text', () => {
    const text = 'So, at the end of January, he said';
    const [d] = extractDates(text);
    expect(text.slice(d!.span.start, d!.span.end)).toBe('end of January');
  });
});
