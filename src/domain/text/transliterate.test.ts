import { describe, expect, it } from 'vitest';
import { cyrillicToLatin, foldLatin, toLatin } from './transliterate.ts';

describe('cyrillicToLatin', () => {
  it.each([
    ['Нурдилда', 'nurdilda'],
    ['Ораз', 'oraz'],
    ['СИЗО', 'sizo'],
    ['ЛА', 'la'],
    ['Алматы', 'almaty'],
    ['ж', 'zh'],
    ['х', 'kh'],
    ['ц', 'ts'],
    ['ч', 'ch'],
    ['ш', 'sh'],
    ['щ', 'shch'],
    ['ю', 'yu'],
    ['я', 'ya'],
    ['ё', 'e'],
    ['е', 'e'],
    ['э', 'e'],
    ['й', 'i'],
    ['ы', 'y'],
    ['подъезд', 'podezd'],
    ['Ильич', 'ilich'],
    ['Щукин', 'shchukin'],
  ])('%s → %s', (cyr, lat) => {
    expect(cyrillicToLatin(cyr)).toBe(lat);
  });

  it('maps Kazakh letters as in identity documents', () => {
    expect(cyrillicToLatin('ӘҒҚҢӨҰҮҺІ әғқңөұүһі')).toBe('agknouuhi agknouuhi');
    expect(cyrillicToLatin('Қазақстан')).toBe('kazakstan');
    expect(cyrillicToLatin('Өмірзақ Шыңғыс')).toBe('omirzak shyngys');
  });

  it('covers every letter of the Russian alphabet, both cases', () => {
    const lower = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя';
    const expected = 'abvgdeezhziiklmnoprstufkhtschshshchyeyuya';
    expect(cyrillicToLatin(lower)).toBe(expected);
    expect(cyrillicToLatin(lower.toUpperCase())).toBe(expected);
  });

  it('lowercases and keeps non-Cyrillic characters', () => {
    expect(cyrillicToLatin('СИЗО №1, LA-155/18')).toBe('sizo №1, la-155/18');
    expect(cyrillicToLatin('')).toBe('');
    expect(cyrillicToLatin('Plain ASCII')).toBe('plain ascii');
  });

  it('treats decomposed й and ё like the precomposed letters', () => {
    expect(cyrillicToLatin('Алексе\u0438\u0306')).toBe('aleksei');
    expect(cyrillicToLatin('\u0435\u0308лка')).toBe('elka');
    // a combining mark on a Latin letter is kept
    expect(cyrillicToLatin('e\u0301')).toBe('e\u0301');
  });
});

describe('foldLatin / toLatin', () => {
  it('strips diacritics and maps special letters', () => {
    expect(foldLatin('Şymkent')).toBe('shymkent');
    expect(foldLatin('Ömirzaq Ğabit Ñ Ūlı')).toBe('omirzaq gabit n uli');
    expect(foldLatin('Café Straße Łódź Žukov')).toBe('cafe strasse lodz zhukov');
    expect(foldLatin('ASCII')).toBe('ascii');
  });
  it('toLatin combines both', () => {
    expect(toLatin('Алматы Şymkent')).toBe('almaty shymkent');
  });
});
