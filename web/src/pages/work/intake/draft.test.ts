import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearAllDrafts, DRAFT_PREFIX } from '../../../drafts.ts';
import { clearDraft, emptyDraft, type IntakeDraft, periodOf, readDraft, storedForm, writeDraft } from './draft.ts';

/** localStorage as the browser offers it, in memory. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
}

const draft = (over: Partial<IntakeDraft>): IntakeDraft => ({ ...emptyDraft(), ...over });
const partText = (part: string, month: string) => `${part} of ${month}`;

describe('intake draft storage', () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    vi.stubGlobal('localStorage', storage);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('keeps what was typed, keyed by the user, without the identity fields', () => {
    const typed = draft({
      title: 'Beaten at interrogation',
      victimName: 'Ivan Petrov',
      victimContacts: '+7 700 000 0000',
      perpetratorName: 'Officer K.',
    });
    writeDraft('user-1', typed);
    const raw = storage.getItem(`${DRAFT_PREFIX}user-1`) ?? '';
    expect(raw).not.toContain('Ivan Petrov');
    expect(raw).not.toContain('+7 700');
    expect(raw).not.toContain('Officer K.');
    expect(readDraft('user-1')).toEqual({ ...typed, victimName: '', victimContacts: '', perpetratorName: '' });
    expect(readDraft('user-2')).toBeNull();
  });

  it('drops identity fields an older draft may hold and fills fields added since with their empty values', () => {
    storage.setItem(
      `${DRAFT_PREFIX}user-1`,
      JSON.stringify({ title: 'old draft', victimName: 'Ivan Petrov', sources: [{ title: 'a letter' }] }),
    );
    const read = readDraft('user-1');
    expect(read).toMatchObject({ title: 'old draft', victimName: '', precision: 'day', acts: [] });
    expect(read?.sources).toHaveLength(1);
    expect(read?.sources[0]).toMatchObject({ title: 'a letter', kind: 'relative_report', reliability: 'F' });
  });

  it('reads an unreadable draft as none, and works when storage is blocked', () => {
    storage.setItem(`${DRAFT_PREFIX}user-1`, '{not json');
    expect(readDraft('user-1')).toBeNull();
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
      removeItem: () => {
        throw new Error('blocked');
      },
    });
    expect(readDraft('user-1')).toBeNull();
    expect(() => writeDraft('user-1', emptyDraft())).not.toThrow();
    expect(() => clearDraft('user-1')).not.toThrow();
    expect(() => clearAllDrafts()).not.toThrow();
  });

  it('forgets one draft, or every user’s drafts and nothing else', () => {
    writeDraft('user-1', draft({ title: 'one' }));
    writeDraft('user-2', draft({ title: 'two' }));
    storage.setItem('vigil.lang', 'ru');
    clearDraft('user-1');
    expect(readDraft('user-1')).toBeNull();
    expect(readDraft('user-2')?.title).toBe('two');
    clearAllDrafts();
    expect(readDraft('user-2')).toBeNull();
    expect(storage.getItem('vigil.lang')).toBe('ru');
  });

  it('empties the identity fields in the stored form and leaves the draft itself as it was', () => {
    const typed = draft({ victimName: 'Ivan Petrov', title: 't' });
    expect(storedForm(typed)).toMatchObject({ victimName: '', title: 't' });
    expect(typed.victimName).toBe('Ivan Petrov');
  });
});

describe('periodOf', () => {
  it('gives a day, or a range of days when the end is not before the start', () => {
    expect(periodOf(draft({ precision: 'day', day: '2022-01-27' }), partText)).toEqual({
      precision: 'day',
      start: '2022-01-27',
      end: '2022-01-27',
    });
    expect(periodOf(draft({ precision: 'day', day: '2022-01-27', dayEnd: '2022-01-29' }), partText)).toMatchObject({
      start: '2022-01-27',
      end: '2022-01-29',
    });
    expect(periodOf(draft({ precision: 'day', day: '2022-01-27', dayEnd: '2022-01-20' }), partText)).toMatchObject({
      end: '2022-01-27',
    });
  });

  it('gives the days of a part of a month, up to the last day of that month, worded when no wording was typed', () => {
    expect(periodOf(draft({ precision: 'part_of_month', month: '2022-01', part: 'end' }), partText)).toEqual({
      precision: 'part_of_month',
      start: '2022-01-21',
      end: '2022-01-31',
      text: 'end of 2022-01',
    });
    expect(periodOf(draft({ precision: 'part_of_month', month: '2024-02', part: 'end' }), partText).end).toBe(
      '2024-02-29',
    );
    expect(
      periodOf(
        draft({ precision: 'part_of_month', month: '2022-03', part: 'early', periodText: ' early March ' }),
        partText,
      ),
    ).toEqual({ precision: 'part_of_month', start: '2022-03-01', end: '2022-03-10', text: 'early March' });
    expect(periodOf(draft({ precision: 'part_of_month', month: '2022-03', part: 'mid' }), partText)).toMatchObject({
      start: '2022-03-11',
      end: '2022-03-20',
    });
  });

  it('gives a month or a year, and an unknown period when the field is empty or not a year', () => {
    expect(periodOf(draft({ precision: 'month', month: '2022-01' }), partText)).toEqual({
      precision: 'month',
      start: '2022-01',
      end: '2022-01',
    });
    expect(periodOf(draft({ precision: 'year', year: '2021' }), partText)).toEqual({
      precision: 'year',
      start: '2021',
      end: '2021',
    });
    expect(periodOf(draft({ precision: 'year', year: '21' }), partText)).toEqual({ precision: 'unknown' });
    expect(periodOf(draft({ precision: 'month', month: '', periodText: 'last winter' }), partText)).toEqual({
      precision: 'unknown',
      text: 'last winter',
    });
    expect(periodOf(draft({ precision: 'unknown' }), partText)).toEqual({ precision: 'unknown' });
  });
});
