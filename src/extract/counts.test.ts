import { describe, expect, it } from 'vitest';
import { extractCounts } from './counts.ts';

const counts = (s: string) => extractCounts(s).map((c) => [c.value, c.what, ...(c.value_max ? [c.value_max] : [])]);

describe('extractCounts', () => {
  it('pairs numbers with what they count', () => {
    expect(counts('7 pre-trial investigations had been launched on 27 reports of torture')).toEqual([
      [7, 'pre-trial investigations'],
      [27, 'reports of torture'],
    ]);
    expect(counts('поступила 91 жалоба о пытках, по 56 проверки еще проводятся')).toEqual([
      [91, 'жалоба о пытках'],
      [56, 'проверки'],
    ]);
  });
  it('reads numbers in words and ranges', () => {
    expect(counts('Шестеро задержанных скончались')).toEqual([[6, 'задержанных']]);
    expect(counts('twenty-seven detainees and from 5 to 10 officers')).toEqual([
      [27, 'detainees'],
      [5, 'officers', 10],
    ]);
  });
  it('skips years, durations, ages and percentages', () => {
    expect(counts('in 2022, for a term of one to five years, a 33-year-old man, 40% of cases')).toEqual([]);
  });
  it('keeps a compound of floors in the thing counted', () => {
    expect(counts('six secure four and five-story buildings')).toEqual([[6, 'secure four and five-story buildings']]);
  });
  it('gives an elliptic count the thing counted before it', () => {
    expect(counts('два летальных случая зафиксированы в ИВС, три — в области')).toEqual([
      [2, 'летальных случая'],
      [3, 'летальных случая'],
    ]);
  });
});
