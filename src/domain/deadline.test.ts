import { describe, expect, it } from 'vitest';
import { addDuration, deadlineInstant, isIsoDate, isPast } from './deadline.ts';

describe('isIsoDate', () => {
  it('accepts real calendar days and zoned date-times', () => {
    for (const ok of [
      '2024-02-29',
      '2022-01-31',
      '2022-01-31T10:00:00Z',
      '2022-01-31T10:00+06:00',
      '2022-01-31T10:00:00.123Z',
    ]) {
      expect(isIsoDate(ok), ok).toBe(true);
    }
  });

  it('refuses impossible days, missing zones and other formats', () => {
    for (const bad of ['2023-02-29', '2022-13-01', '2022-01-31T10:00:00', '31.01.2022', '2022-1-3', '', 20220131]) {
      expect(isIsoDate(bad), String(bad)).toBe(false);
    }
  });
});

describe('deadlineInstant', () => {
  it('reads a bare date as the end of that day in UTC', () => {
    expect(deadlineInstant('2022-01-31').toISOString()).toBe('2022-02-01T00:00:00.000Z');
  });

  it('reads a date-time as that instant', () => {
    expect(deadlineInstant('2022-01-31T10:00:00+06:00').toISOString()).toBe('2022-01-31T04:00:00.000Z');
  });
});

describe('addDuration', () => {
  const start = new Date('2024-01-31T05:30:00Z');

  it('adds hours and days', () => {
    expect(addDuration(start, { hours: 24 }).toISOString()).toBe('2024-02-01T05:30:00.000Z');
    expect(addDuration(start, { days: 30 }).toISOString()).toBe('2024-03-01T05:30:00.000Z');
  });

  it('adds calendar months, clamping to the last day of a shorter month', () => {
    expect(addDuration(start, { months: 1 }).toISOString()).toBe('2024-02-29T05:30:00.000Z');
    expect(addDuration(start, { months: 2 }).toISOString()).toBe('2024-03-31T05:30:00.000Z');
    expect(addDuration(new Date('2024-11-30T00:00:00Z'), { months: 3 }).toISOString()).toBe('2025-02-28T00:00:00.000Z');
  });
});

describe('isPast', () => {
  it('is true from the due instant on', () => {
    const due = new Date('2022-01-01T00:00:00Z');
    expect(isPast(due, new Date('2021-12-31T23:59:59.999Z'))).toBe(false);
    expect(isPast(due, due)).toBe(true);
  });
});
