import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  highlightSnippet,
  indexTerms,
  matchesQuery,
  parseQuery,
  queryTerms,
  termForms,
  tokenize,
} from './search-terms.ts';

/** The index-side contract: every OR-group of the query has an alternative among the text's terms. */
function finds(query: string, text: string): boolean {
  const groups = queryTerms(query);
  if (groups.length === 0) return false;
  const terms = new Set(indexTerms(text).split(' '));
  return groups.every((g) => g.some((alt) => terms.has(alt)));
}

const ASCII_TERMS_RE = /^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$/;

describe('tokenize', () => {
  it('splits on -, / and № and lowercases', () => {
    expect(tokenize('LA-155/18')).toEqual(['la', '155', '18']);
    expect(tokenize('ЛА-155/18')).toEqual(['ла', '155', '18']);
    expect(tokenize('СИЗО №1')).toEqual(['сизо', '1']);
    expect(tokenize('СИЗО№1')).toEqual(['сизо', '1']);
  });
  it('separates letters from digits', () => {
    expect(tokenize('LA155/18')).toEqual(['la', '155', '18']);
  });
  it('is Unicode-aware', () => {
    expect(tokenize('Қазақстан, Şymkent; «Әділет»… e-mail')).toEqual(['қазақстан', 'şymkent', 'әділет', 'e', 'mail']);
    expect(tokenize('  ')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });
  it('handles characters outside the BMP', () => {
    expect(tokenize('пытки😀СИЗО 𝐀𝐁c')).toEqual(['пытки', 'сизо', '𝐀𝐁c'.toLowerCase()]);
    expect(indexTerms('𝐀𝐁c')).toBe('abc');
  });
  it('keeps a combining mark with its letter', () => {
    expect(tokenize('Алексе\u0438\u0306 cafe\u0301')).toEqual(['алексе\u0438\u0306', 'cafe\u0301']);
  });
});

describe('termForms', () => {
  it('gives Russian stem + full transliteration for Cyrillic', () => {
    expect(termForms('пытки')).toEqual(['pytk', 'pytki']);
    expect(termForms('СИЗО')).toEqual(['siz', 'sizo']);
    expect(termForms('Алматы')).toEqual(['almat', 'almaty']);
  });
  it('gives English stem + lowercase token for Latin', () => {
    expect(termForms('Tortured')).toEqual(['tortur', 'tortured']);
    expect(termForms('Almaty')).toEqual(['almati', 'almaty']);
    expect(termForms('la')).toEqual(['la']);
  });
  it('keeps digits and folds diacritics', () => {
    expect(termForms('155')).toEqual(['155']);
    expect(termForms('３４')).toEqual(['34']);
    expect(termForms('Şymkent')).toEqual(['shymkent']);
    expect(termForms('café')).toEqual(['cafe']);
  });
  it('repairs look-alike letters in mixed-script tokens', () => {
    expect(termForms('CИЗО')).toEqual(termForms('СИЗО')); // Latin C
    expect(termForms('сизo')).toEqual(termForms('СИЗО')); // Latin o
    expect(termForms('tоrture')).toEqual(termForms('torture')); // Cyrillic о
  });
  it('gives nothing for unsupported scripts', () => {
    expect(termForms('მიხეილ')).toEqual([]);
  });
});

describe('indexTerms', () => {
  it('stores the forms of each token, deduplicated within a token', () => {
    expect(indexTerms('Пытки в СИЗО №1')).toBe('pytk pytki v siz sizo 1');
    expect(indexTerms('LA-155/18')).toBe('la 155 18');
    expect(indexTerms('ЛА-155/18')).toBe('la 155 18');
    expect(indexTerms('')).toBe('');
    expect(indexTerms(' ,.- ')).toBe('');
  });

  it('indexes very long tokens by their full form only', () => {
    const long = 'пытка'.repeat(20);
    expect(indexTerms(long)).toBe('pytka'.repeat(20));
    expect(finds(long, `x ${long} y`)).toBe(true);
  });

  it('outputs only lowercase ASCII words', () => {
    expect(indexTerms('Қазақстан Şymkent ЁЛКА Straße ١٢ მიხეილ «пытки»')).toMatch(ASCII_TERMS_RE);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        expect(indexTerms(s)).toMatch(ASCII_TERMS_RE);
      }),
      { numRuns: 300 },
    );
  });

  it('every text finds each of its own words', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom('пытки', 'СИЗО', 'Almaty', 'Алматы', 'ЛА-155/18', 'tortured', 'Қазақстан', '№1', 'Şymkent'),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (words) => {
          const text = words.join(' ');
          for (const w of words) expect(finds(w, text)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('queryTerms', () => {
  it('returns an AND of ORs', () => {
    expect(queryTerms('пытка СИЗО')).toEqual([
      ['pytk', 'pytka'],
      ['siz', 'sizo'],
    ]);
    expect(queryTerms('LA-155/18')).toEqual([['la'], ['155'], ['18']]);
  });
  it('returns [] for an empty query', () => {
    expect(queryTerms('')).toEqual([]);
    expect(queryTerms('   \n\t')).toEqual([]);
    expect(queryTerms('" - / №"')).toEqual([]);
  });
  it('drops duplicate groups', () => {
    expect(queryTerms('СИЗО сизо SIZO')).toEqual([['siz', 'sizo'], ['sizo']]);
  });
  it('includes phrase words as groups', () => {
    expect(queryTerms('"пытки в СИЗО"')).toEqual([['pytk', 'pytki'], ['v'], ['siz', 'sizo']]);
  });
});

describe('parseQuery', () => {
  it('separates quoted phrases', () => {
    expect(parseQuery('пытка «ЛА-155/18» "в СИЗО"')).toEqual({
      groups: [['pytk', 'pytka'], ['la'], ['155'], ['18'], ['v'], ['siz', 'sizo']],
      phrases: [
        [['la'], ['155'], ['18']],
        [['v'], ['siz', 'sizo']],
      ],
    });
  });
  it('treats a single quoted word as a plain group and an unclosed quote as running to the end', () => {
    expect(parseQuery('"пытка"')).toEqual({ groups: [['pytk', 'pytka']], phrases: [] });
    expect(parseQuery('СИЗО "пытки в').phrases).toEqual([[['pytk', 'pytki'], ['v']]]);
  });
  it('is empty for an empty query', () => {
    expect(parseQuery('  ')).toEqual({ groups: [], phrases: [] });
  });
});

describe('search semantics', () => {
  it.each([
    ['пытка', 'Заявитель сообщил о пытки в отделе'],
    ['пытка', 'применяли пытку'],
    ['пытки', 'применяли пытку'],
    ['tortured', 'acts of torture were reported'],
    ['tortured', 'he was torturing detainees'],
    ['SIZO', 'доставлен в СИЗО №1'],
    ['СИЗО', 'held in SIZO-1'],
    ['LA-155/18', 'учреждение ЛА-155/18'],
    ['ЛА-155/18', 'facility LA-155/18'],
    ['LA155/18', 'facility LA-155/18'],
    ['Алматы', 'pre-trial detention in Almaty'],
    ['Almaty', 'в городе Алматы'],
    ['investigations', 'no investigation was opened'],
    ['СИЗО №1', 'СИЗО-1 г. Алматы'],
    ['Шымкент', 'Şymkent'],
  ])('%s finds %s', (q, text) => {
    expect(finds(q, text)).toBe(true);
    expect(matchesQuery(text, q)).toBe(true);
  });

  it.each([
    ['пытка', 'избиение в отделе полиции'],
    ['tortured', 'no complaints'],
    ['LA-155/18', 'LA-155/19'],
    ['Алматы', 'Astana'],
    ['СИЗО №1', 'СИЗО №2'],
  ])('%s does not find %s', (q, text) => {
    expect(finds(q, text)).toBe(false);
    expect(matchesQuery(text, q)).toBe(false);
  });

  it('matchesQuery checks phrase order and adjacency', () => {
    const text = 'Сотрудники применяли пытки в СИЗО.';
    expect(matchesQuery(text, '"применяли пытки"')).toBe(true);
    expect(matchesQuery(text, '"применяют пытку"')).toBe(true); // stems
    expect(matchesQuery(text, '"пытки применяли"')).toBe(false);
    expect(matchesQuery(text, '"сотрудники пытки"')).toBe(false);
    expect(matchesQuery(text, '"в SIZO"')).toBe(true);
    expect(matchesQuery(text, '')).toBe(false);
    expect(matchesQuery(text, parseQuery('пытка'))).toBe(true);
  });
});

describe('highlightSnippet', () => {
  const long =
    'В 2018 году в учреждении ЛА-155/18 (г. Алматы) заключённый сообщил, что сотрудники применяли к нему пытки: ' +
    'его избивали дубинками и угрожали.\n\nПозже прокуратура начала расследование по статье 146 УК о пытках.';

  it('wraps matches with the default markers', () => {
    expect(highlightSnippet('short text about Almaty', 'Алматы')).toBe('short text about «Almaty»');
    expect(highlightSnippet('Пытки и пытку', 'пытка')).toBe('«Пытки» и «пытку»');
  });

  it('uses the given markers and merges a code split by - and /', () => {
    expect(highlightSnippet(long, 'LA-155/18', 60, '<b>', '</b>')).toContain('<b>ЛА-155/18</b>');
  });

  it('centres a short excerpt on the first match, cutting at whitespace', () => {
    const s = highlightSnippet(long, 'расследование', 60);
    expect(s).toContain('«расследование»');
    expect(s.startsWith('…')).toBe(true);
    const source = s.replace(/[«»…]/g, '');
    expect(source.length).toBeLessThanOrEqual(60);
    expect(long.replace(/\s+/g, ' ')).toContain(source.trim());
  });

  it('collapses whitespace and keeps words whole', () => {
    const s = highlightSnippet(long, 'прокуратура', 50);
    expect(s).not.toMatch(/\n/);
    for (const w of s.replace(/[«»…]/g, '').trim().split(' ')) expect(long).toContain(w);
  });

  it('returns the beginning without markers when nothing matches', () => {
    const s = highlightSnippet(long, 'Astana', 40);
    expect(s).not.toContain('«');
    expect(s.endsWith('…')).toBe(true);
    expect(long.startsWith(s.slice(0, -1))).toBe(true);
    expect(highlightSnippet(long, '', 40)).toBe(s);
  });
});
