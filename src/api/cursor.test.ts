import { describe, expect, it } from 'vitest';
import { cursorParam, decodeCursor, encodeCursor, pageOf } from './cursor.ts';

describe('cursors', () => {
  it('round-trips a sort key, including non-ASCII names', () => {
    const c = encodeCursor(['Следственный изолятор ЛА-155/18', 'id-1']);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, 2)).toEqual(['Следственный изолятор ЛА-155/18', 'id-1']);
  });

  it('refuses garbage, wrong arity and non-string parts', () => {
    expect(decodeCursor('not a cursor!', 1)).toBeUndefined();
    expect(decodeCursor(encodeCursor(['a']), 2)).toBeUndefined();
    expect(decodeCursor(Buffer.from('[1,2]').toString('base64url'), 2)).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"a":1}').toString('base64url'), 1)).toBeUndefined();
    expect(cursorParam(1).safeParse('%%%').success).toBe(false);
  });

  it('cuts a page fetched with one extra row and points the cursor at its last item', () => {
    expect(pageOf([1, 2], 2, (n) => [String(n)])).toEqual({ items: [1, 2], nextCursor: null });
    const page = pageOf([1, 2, 3], 2, (n) => [String(n)]);
    expect(page.items).toEqual([1, 2]);
    expect(decodeCursor(page.nextCursor!, 1)).toEqual(['2']);
  });
});
