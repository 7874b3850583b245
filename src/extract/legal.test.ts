import { describe, expect, it } from 'vitest';
import { extractLegalRefs } from './legal.ts';

const refs = (s: string) => extractLegalRefs(s).map((r) => [r.code, r.article, r.part]);

describe('extractLegalRefs', () => {
  it('normalizes English references to code + article + part', () => {
    expect(refs('under Article 146 of the Criminal Code')).toEqual([['criminal_code', '146', null]]);
    expect(refs('under part 2 of article 146 of the Criminal Code')).toEqual([['criminal_code', '146', '2']]);
    expect(refs('Article 180 of the Criminal Procedure Code')).toEqual([['criminal_procedure_code', '180', null]]);
  });
  it('normalizes Russian references, abbreviated and in full', () => {
    expect(refs('по ч. 2 ст. 146 УК РК')).toEqual([['criminal_code', '146', '2']]);
    expect(refs('по части 2 статьи 146 Уголовного кодекса')).toEqual([['criminal_code', '146', '2']]);
    expect(refs('статьями 146 и 362 УК')).toEqual([
      ['criminal_code', '146', null],
      ['criminal_code', '362', null],
    ]);
  });
  it('keeps the title given in quotes as the topic', () => {
    expect(extractLegalRefs('under Article 146 of the Criminal Code (“Torture”); official')[0]).toMatchObject({
      topic: 'torture',
      text: 'Article 146 of the Criminal Code (“Torture”)',
    });
  });
  it('ignores article numbers with no code anywhere', () => {
    expect(refs('see article 5 of this report')).toEqual([]);
  });
});
