import { describe, expect, it } from 'vitest';
import { findNumbers } from './numbers.ts';

const values = (s: string) => findNumbers(s).map((n) => [n.value, s.slice(n.start, n.end)]);

describe('findNumbers', () => {
  it('reads digits with thousands separators and decimals', () => {
    expect(values('27 reports, 1,200 people, 1 200 человек, 3.5 и 1,5')).toEqual([
      [27, '27'],
      [1200, '1,200'],
      [1200, '1 200'],
      [3.5, '3.5'],
      [1.5, '1,5'],
    ]);
  });
  it('skips the parts of facility codes', () => {
    expect(values('LA-155/18')).toEqual([]);
  });
  it('reads English number words', () => {
    expect(values('seven, twenty-seven, one hundred and five, two thousand three hundred')).toEqual([
      [7, 'seven'],
      [27, 'twenty-seven'],
      [105, 'one hundred and five'],
      [2300, 'two thousand three hundred'],
    ]);
  });
  it('reads Russian number words in any case, and collective numerals', () => {
    expect(values('двадцать семь, двадцати семи, трёхсот сорока, шестеро, двух тысяч')).toEqual([
      [27, 'двадцать семь'],
      [27, 'двадцати семи'],
      [340, 'трёхсот сорока'],
      [6, 'шестеро'],
      [2000, 'двух тысяч'],
    ]);
  });
  it('does not join two units ("one two")', () => {
    expect(values('one two')).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
  });
});
