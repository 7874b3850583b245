import { z } from 'zod';
import { DatePrecisionSchema } from '../vocabularies.ts';

/** A record id or external id: printable, no whitespace at the ends, at most 200 characters. */
export const RecordKey = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the range of control characters is what the key must not hold
    /^[^\s\u0000-\u001f](.*[^\s\u0000-\u001f])?$/,
    'must not start or end with whitespace or contain control characters',
  );

/** A one-line text: trimmed, 1–500 characters. */
export const Line = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

/** A free text of up to 100,000 characters (articles, summaries). */
export const Text = z.string().max(100_000, 'must be at most 100,000 characters');

/** A date with the precision it is known to: `2022`, `2022-01` or `2022-01-31`. */
export const PartialDate = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'must be a date as YYYY, YYYY-MM or YYYY-MM-DD')
  .refine(
    (s) =>
      s.length < 10 ||
      (!Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)),
    'is not a real calendar date',
  );

/** A full calendar date, YYYY-MM-DD. */
export const CalendarDate = PartialDate.refine((s) => s.length === 10, 'must be a full date YYYY-MM-DD');

/** An instant, ISO-8601 with a time zone. */
export const Instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with time zone' });

/** A web address (http or https only). */
export const WebUrl = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .url('must be a URL')
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http or https URL');

/**
 * When something happened, as precisely as it is known: "end of January 2022" is
 * `{ start: '2022-01-21', end: '2022-01-31', precision: 'part_of_month', text: 'end of January' }`.
 */
export const Period = z
  .strictObject({
    start: PartialDate.optional(),
    end: PartialDate.optional(),
    precision: DatePrecisionSchema.default('unknown'),
    text: Line.optional(),
  })
  .refine((p) => !p.start || !p.end || p.start <= p.end, { message: 'start must not be after end', path: ['end'] });
export type Period = z.infer<typeof Period>;

/** Fields every stored record carries. */
export const RecordMeta = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
