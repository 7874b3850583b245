import { describe, expect, it } from 'vitest';
import { normalizeNameKey } from './name-key.ts';

function allSame(names: string[]): void {
  const keys = names.map(normalizeNameKey);
  expect(new Set(keys).size, `${names.join(', ')} → ${keys.join(' | ')}`).toBe(1);
}

describe('normalizeNameKey', () => {
  it('is script, case, spacing, order and punctuation insensitive', () => {
    allSame([
      'Нурдилда Ораз',
      'Nurdilda Oraz',
      'NURDILDA ORAZ',
      '  nurdilda   oraz ',
      'Oraz Nurdilda',
      'Nurdilda Oraz.',
    ]);
    expect(normalizeNameKey('Нурдилда Ораз')).toBe('nurdilda oraz');
  });

  it('removes diacritics and handles Kazakh Latin', () => {
    allSame(['Өмірзақ', 'Ömirzaq', 'Omirzak', 'OMIRZAK']);
    allSame(['Шымкентов', 'Şymkentov', 'Shymkentov']);
    allSame(['Батырбекұлы', 'Batyrbekuly', 'Batyrbekuli']);
  });

  it.each([
    ['kh/h', ['Ахметов', 'Akhmetov', 'Ahmetov']],
    ['kh/h 2', ['Хабиб', 'Khabib', 'Habib']],
    ['-iy/-y/-ii endings', ['Юрий', 'Yuriy', 'Yury', 'Yuri', 'Iurii', 'Yurii']],
    ['-iy/-y/-ii endings 2', ['Дмитрий', 'Dmitriy', 'Dmitry', 'Dmitri', 'Dmitrii', 'Dmitrij']],
    ['-ey/-ei/-ej', ['Алексей', 'Alexey', 'Aleksey', 'Aleksej', 'Alexei', 'Aleksei']],
    ['-yy/-yi', ['Белый', 'Belyy', 'Bely', 'Belyi', 'Belyj']],
    ['ye/e', ['Евгений', 'Yevgeniy', 'Evgeny', 'Yevgeny', 'Evgenii', 'Evgeniy']],
    ['ye/e 2', ['Ерлан', 'Yerlan', 'Erlan']],
    ['-yev/-ev', ['Алиев', 'Aliyev', 'Aliev']],
    ['-ayev/-aev', ['Назарбаев', 'Nazarbayev', 'Nazarbaev']],
    ['ya/ia/iya', ['Мария', 'Maria', 'Mariya', 'Mariia']],
    ['yu/iu', ['Юлия', 'Yulia', 'Yuliya', 'Iuliia', 'Yuliia']],
    ['ya/ia', ['Яков', 'Yakov', 'Iakov']],
    ['ya/ia 2', ['Наталья', 'Natalya', 'Natalia', "Natal'ya"]],
    ['consonant+yu', ['Людмила', 'Lyudmila', 'Liudmila', 'Ludmila']],
    ['yo/e', ['Фёдор', 'Fyodor', 'Fedor']],
    ['zh/j', ['Жанна', 'Zhanna', 'Janna']],
    ['dzh/dj/j', ['Джамбул', 'Dzhambul', 'Djambul', 'Jambul']],
    ['double letters, q/k', ['Касым', 'Kassym', 'Qasym', 'Kasym']],
    ['shch/sch', ['Щербаков', 'Shcherbakov', 'Scherbakov', 'Shherbakov']],
    ['y for й before consonant', ['Айгерим', 'Aigerim', 'Aygerim']],
    ['y for й, -ayev', ['Майлыбаев', 'Maylybayev', 'Mailybaev']],
    ['c/k', ['Виктор', 'Viktor', 'Victor']],
    ['x/ks', ['Ксения', 'Kseniya', 'Xenia', 'Ksenia', 'Kseniia']],
    ['-ay/-ai, c/k', ['Николай', 'Nikolay', 'Nikolai', 'Nicolai']],
    ['w/v', ['Иванов', 'Ivanov', 'Iwanow']],
  ])('folds %s', (_label, names) => {
    allSame(names);
  });

  it('keeps different names different', () => {
    const pairs: [string, string][] = [
      ['Oraz', 'Oras'],
      ['Ораз', 'Орас'],
      ['Ким', 'Кым'],
      ['Ivanov', 'Ivanova'],
      ['Мадина', 'Медина'],
      ['Dina', 'Dana'],
      ['Марат', 'Мурат'],
      ['Болат', 'Булат'],
      ['Асель', 'Асем'],
      ['Нурлан Ораз', 'Нурлан Оразов'],
      ['Ali', 'Ali Ali'],
      ['Ivanov I.', 'Ivanov'],
      ['Нурдилда Ораз', 'Нурдилда Орал'],
      ['Данияр', 'Дана'],
      ['Сергей', 'Сергеев'],
    ];
    for (const [a, b] of pairs) {
      expect(normalizeNameKey(a), `${a} vs ${b}`).not.toBe(normalizeNameKey(b));
    }
  });

  it('handles apostrophes, hyphens and other scripts', () => {
    expect(normalizeNameKey("O'Brien")).toBe(normalizeNameKey('OBrien'));
    expect(normalizeNameKey('Мухаммед-Али')).toBe(normalizeNameKey('Ali Muhammed'));
    expect(normalizeNameKey('محمد علي')).not.toBe('');
    expect(normalizeNameKey('محمد علي')).toBe(normalizeNameKey('علي  محمد'));
  });

  it('ignores invisible characters a pasted name may carry', () => {
    const typed = normalizeNameKey('Ерлан Иванов');
    for (const c of ['\u200B', '\u200C', '\u200D', '\u00AD', '\u2060', '\uFEFF']) {
      expect(normalizeNameKey(`Ер${c}лан Ива${c}нов${c}`), JSON.stringify(c)).toBe(typed);
      expect(normalizeNameKey(`Yer${c}lan I${c}vanov`), JSON.stringify(c)).toBe(typed);
    }
    expect(normalizeNameKey('\u200B\u00AD')).toBe('');
  });

  it('returns an empty key for names without letters or digits', () => {
    expect(normalizeNameKey('')).toBe('');
    expect(normalizeNameKey('  .-  ')).toBe('');
  });

  it('is idempotent on its output', () => {
    for (const n of ['Нурдилда Ораз', 'Yevgeniy Aliyev', 'Кассымова Жанна', 'Щербаков Фёдор']) {
      const k = normalizeNameKey(n);
      expect(normalizeNameKey(k)).toBe(k);
    }
  });
});
