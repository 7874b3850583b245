import { z } from 'zod';

/**
 * The schema of an update: any of the record's own fields (never its id or external id, nor the
 * fields in `fixed`), all optional, plus the `version` the client read, so a stale write is
 * refused instead of silently undoing someone else's change.
 */
export function updateSchema<T extends z.core.$ZodLooseShape>(shape: T, fixed: readonly string[] = []) {
  // Defaults belong to creation: in an update, an absent field must stay absent, not reset.
  const noDefault = (s: unknown) => (s instanceof z.ZodDefault ? s.unwrap() : s);
  const own = Object.fromEntries(
    Object.entries(shape)
      .filter(([k]) => k !== 'id' && k !== 'externalId' && !fixed.includes(k))
      .map(([k, s]) => [k, noDefault(s)]),
  ) as z.core.$ZodLooseShape;
  return z
    .strictObject(own)
    .partial()
    .extend({ version: z.number().int().positive() })
    .refine((d) => Object.keys(d).length > 1, {
      message: 'nothing to change',
      path: ['(root)'],
    }) as unknown as z.ZodType<{ [K in Exclude<keyof T, 'id' | 'externalId'>]?: z.output<T[K]> } & { version: number }>;
}
