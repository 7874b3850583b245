import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../services/history.service.ts';
import { describeHistoryEntry } from './history.ts';

const entry: HistoryEntry = {
  seq: 7,
  at: '2022-02-01T09:00:00.000Z',
  actor: 'u1',
  actorName: 'ana',
  actorLabel: { en: 'ana', ru: 'ana' },
  action: 'update',
  entityType: 'allegation',
  entityId: 'a1',
  stateHash: null,
  reason: 'typo',
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
  changes: [{ field: 'title', from: 'Beatn', to: 'Beaten' }],
  label: { en: 'Allegation changed', ru: 'Сообщение изменено' },
  details: [{ en: 'Title: “Beatn” → “Beaten”', ru: 'Заголовок: «Beatn» → «Beaten»' }],
};

describe('vigil history lines', () => {
  it('prints who, what and why on one line and each change below it, in the chosen language', () => {
    expect(describeHistoryEntry(entry, 'en')).toEqual([
      '7\t2022-02-01T09:00:00.000Z\tana\tAllegation changed\tallegation a1\ttypo',
      '    Title: “Beatn” → “Beaten”',
    ]);
    expect(describeHistoryEntry({ ...entry, reason: null }, 'ru')).toEqual([
      '7\t2022-02-01T09:00:00.000Z\tana\tСообщение изменено\tallegation a1',
      '    Заголовок: «Beatn» → «Beaten»',
    ]);
  });
});
