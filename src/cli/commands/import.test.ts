import { describe, expect, it } from 'vitest';
import { defaultRejectsFile } from './import.ts';

describe('the rejects file of vigil import', () => {
  it('sits beside the file: NAME.rejects.jsonl for NAME.jsonl, NAME.rejects.csv for NAME.csv', () => {
    expect(defaultRejectsFile('data/records.jsonl', 'jsonl')).toBe('data/records.rejects.jsonl');
    expect(defaultRejectsFile('data/records.ndjson', 'jsonl')).toBe('data/records.rejects.jsonl');
    expect(defaultRejectsFile('records.CSV', 'csv')).toBe('records.rejects.csv');
    expect(defaultRejectsFile('list.txt', 'csv')).toBe('list.txt.rejects.csv');
  });
});
