import { describe, expect, it } from 'vitest';
import { actorText, entryText, type Change, type HistoryRefs } from './history-text.ts';

const refs: HistoryRefs = {
  name: (kind, id) =>
    kind === 'person' && id === 'p1'
      ? { en: 'V-0007', ru: 'V-0007' }
      : kind === 'user' && id === 'u1'
        ? { en: 'ana', ru: 'ana' }
        : undefined,
};
const facts = (action: string, entityType: string, changes: Change[] | null, entityId = 'x1') => ({
  action,
  entityType,
  entityId,
  changes,
});

describe('history in words', () => {
  it('words an entry written before changes were recorded from its action', () => {
    expect(entryText(facts('transition:under_verification->withdrawn', 'allegation', null), refs)).toEqual({
      label: { en: 'Status changed', ru: 'Статус изменён' },
      details: [{ en: 'Status: Under verification → Withdrawn', ru: 'Статус: На проверке → Отозвано' }],
    });
    expect(entryText(facts('stage:complaint_filed->registered_erdr', 'proceeding', null), refs).details).toEqual([
      { en: 'Stage: Complaint filed → Registered in ERDR', ru: 'Стадия: Заявление подано → Зарегистрировано в ЕРДР' },
    ]);
  });

  it('reads consent as scopes given and withdrawn', () => {
    const both = entryText(
      facts('update', 'allegation', [{ field: 'consent', from: ['record', 'share'], to: ['record', 'photos'] }]),
      refs,
    );
    expect(both.label.en).toBe('Consent changed');
    expect(both.details.map((d) => d.en)).toEqual([
      'Consent withdrawn: Share with partners',
      'Consent given: Injury photos',
    ]);
    expect(
      entryText(facts('update', 'allegation', [{ field: 'consent', from: [], to: ['record'] }]), refs).label.ru,
    ).toBe('Согласие дано');
  });

  it('names people by pseudonym and users by username, says only "changed" for sensitive fields, and says when nothing of the record itself changed', () => {
    expect(
      entryText(facts('assign', 'allegation_assignment', [{ field: 'user_id', from: null, to: 'u1' }]), refs).label.en,
    ).toBe('Added to the case team: ana');
    expect(entryText(facts('identity.view', 'person', null, 'p1'), refs).label).toEqual({
      en: 'Identity revealed: V-0007',
      ru: 'Раскрыта личность: V-0007',
    });
    expect(entryText(facts('update', 'person', [{ field: 'birth_date', changed: true }], 'p1'), refs).details).toEqual([
      { en: 'Date of birth: changed', ru: 'Дата рождения: изменено' },
    ]);
    expect(entryText(facts('update', 'allegation', []), refs)).toEqual({
      label: { en: 'Allegation saved, its own fields unchanged', ru: 'Сообщение сохранено, его поля не изменились' },
      details: [],
    });
    expect(
      entryText(
        facts('update', 'allegation', [
          { field: 'urgent', from: 0, to: 1 },
          { field: 'summary', from: null, to: 'x' },
        ]),
        refs,
      ).details.map((d) => d.ru),
    ).toEqual(['Срочно: нет → да', 'Краткое описание: — → «x»']);
  });

  it('says who a non-user actor is', () => {
    expect(actorText('system', null).en).toBe('Vigil (system)');
    expect(actorText('cli:root', null).ru).toBe('консоль (root)');
    expect(actorText('u1', 'ana')).toEqual({ en: 'ana', ru: 'ana' });
  });
});
