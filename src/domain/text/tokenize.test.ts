import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanSegments, scanWords } from './tokenize.ts';

/** The rules of the tokenizer written as regular expressions: slower, but easy to read. */
const SEGMENT_RE = /[\p{L}\p{M}]+|\p{Nd}+/gu;
const WORD_RE = /[\p{L}\p{N}]+(?:['’-](?=\p{L})[\p{L}\p{N}]+)*/gu;

type Span = [number, number];

function byRegex(re: RegExp, text: string): Span[] {
  return [...text.matchAll(re)].map((m): Span => [m.index, m.index + m[0].length]);
}

function byScan(scan: typeof scanSegments, text: string, from = 0): Span[] {
  const out: Span[] = [];
  scan(text, from, (s, e) => {
    out.push([s, e]);
  });
  return out;
}

function pieces(text: string, spans: Span[]): string[] {
  return spans.map(([s, e]) => text.slice(s, e));
}

/** Characters on the edges of the rules: scripts, marks, numbers, joiners, surrogates. */
const EDGE_CHARS = [
  'a',
  'Z',
  'я',
  'Ё',
  'Қ',
  'ә',
  'ş',
  'ß',
  '\u0301',
  '\u0306',
  '0',
  '9',
  '١',
  '۴',
  '²',
  'Ⅻ',
  '½',
  '-',
  "'",
  '’',
  '/',
  '№',
  '.',
  ' ',
  '\n',
  '«',
  '😀',
  '𝐀',
  '\ud800',
  '\udc00',
  'ـ',
  '中',
];
const edgeText = fc.array(fc.constantFrom(...EDGE_CHARS), { maxLength: 40 }).map((cs) => cs.join(''));
const anyText = fc.string({ unit: 'binary', maxLength: 60 });

describe('segments', () => {
  it('are runs of letters (with marks) or of decimal digits', () => {
    expect(pieces('ЛА-155/18', byScan(scanSegments, 'ЛА-155/18'))).toEqual(['ЛА', '155', '18']);
    expect(pieces('LA155/18', byScan(scanSegments, 'LA155/18'))).toEqual(['LA', '155', '18']);
    expect(pieces('СИЗО №1', byScan(scanSegments, 'СИЗО №1'))).toEqual(['СИЗО', '1']);
    expect(pieces("O'Brien pre-trial", byScan(scanSegments, "O'Brien pre-trial"))).toEqual([
      'O',
      'Brien',
      'pre',
      'trial',
    ]);
    expect(pieces('Алексе\u0438\u0306 x²', byScan(scanSegments, 'Алексе\u0438\u0306 x²'))).toEqual([
      'Алексе\u0438\u0306',
      'x',
    ]);
  });

  it('follow the rule for any text', () => {
    fc.assert(
      fc.property(fc.oneof(edgeText, anyText), (t) => {
        expect(byScan(scanSegments, t)).toEqual(byRegex(SEGMENT_RE, t));
      }),
      { numRuns: 1000 },
    );
  });

  it('start at `from` and stop when the visitor says so', () => {
    expect(byScan(scanSegments, 'aa bb cc', 3)).toEqual([
      [3, 5],
      [6, 8],
    ]);
    const seen: Span[] = [];
    scanSegments('aa bb cc', 0, (s, e) => {
      seen.push([s, e]);
      return s >= 3;
    });
    expect(seen).toEqual([
      [0, 2],
      [3, 5],
    ]);
  });
});

describe('words', () => {
  it('keep hyphens and apostrophes before a letter', () => {
    const t = "O'Brien don’t pre-trial Нур-Султан SIZO-1 LA-155/18 x² -a b-";
    expect(pieces(t, byScan(scanWords, t))).toEqual([
      "O'Brien",
      'don’t',
      'pre-trial',
      'Нур-Султан',
      'SIZO',
      '1',
      'LA',
      '155',
      '18',
      'x²',
      'a',
      'b',
    ]);
  });

  it('follow the rule for any text', () => {
    fc.assert(
      fc.property(fc.oneof(edgeText, anyText), (t) => {
        expect(byScan(scanWords, t)).toEqual(byRegex(WORD_RE, t));
      }),
      { numRuns: 1000 },
    );
  });

  it('start at `from` and stop when the visitor says so', () => {
    expect(byScan(scanWords, "it's a-b", 1)).toEqual([
      [1, 4],
      [5, 8],
    ]);
    const seen: Span[] = [];
    scanWords('aa bb cc', 0, (s, e) => {
      seen.push([s, e]);
      return true;
    });
    expect(seen).toEqual([[0, 2]]);
  });
});
