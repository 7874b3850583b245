import { z } from 'zod';

/**
 * Opaque keyset cursors. A cursor is the sort key of the last item a page showed, as base64url
 * JSON; clients pass it back unchanged in `after`. Opaque so the sort key can change without
 * breaking the contract, and checked on the way in so a tampered cursor is a 400, not a 500.
 */
export type CursorKey = readonly string[];

/** The cursor that continues after an item with this sort key. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** A sort key of `N` parts, as a tuple so a route reads each part without a check of its own. */
type CursorParts<N extends number> = N extends 1
  ? [string]
  : N extends 2
    ? [string, string]
    : N extends 3
      ? [string, string, string]
      : string[];

/** The sort key in a cursor, or undefined when it is not a cursor of `arity` parts. */
export function decodeCursor<N extends number>(cursor: string, arity: N): CursorParts<N> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Checked here: `arity` strings, which is what CursorParts<N> says.
    if (Array.isArray(value) && value.length === arity && value.every((v) => typeof v === 'string'))
      return value as CursorParts<N>;
  } catch {
    // not JSON: falls through to "not a cursor"
  }
  return undefined;
}

/** A query parameter holding a cursor of `arity` parts; decodes to the sort key. */
export function cursorParam<N extends number>(arity: N) {
  return z
    .string()
    .max(2000, 'must be at most 2000 characters')
    .describe('The `nextCursor` of the previous page')
    .transform((s, ctx): CursorParts<N> => {
      const key = decodeCursor(s, arity);
      if (key) return key;
      ctx.addIssue({ code: 'custom', message: 'is not a cursor returned by this endpoint' });
      return z.NEVER;
    });
}

/** `?limit=`: 1–200, default 50. */
export const LimitParam = z.coerce
  .number('must be a number')
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(200, 'must be at most 200')
  .default(50)
  .describe('Items per page (1–200)');

/**
 * Cuts a page fetched with one extra row: the items to show and the cursor of the next page
 * (null on the last page).
 */
export function pageOf<T>(
  rows: T[],
  limit: number,
  keyOf: (item: T) => CursorKey,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  if (rows.length <= limit || last === undefined) return { items: rows, nextCursor: null };
  return { items, nextCursor: encodeCursor(keyOf(last)) };
}
