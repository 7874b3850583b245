import { z } from 'zod';
import { DatePrecisionSchema, ReviewRatingSchema, StatementStanceSchema } from '../vocabularies.ts';
import { Line, PartialDate, RecordKey, RecordMeta, Text } from './common.ts';

/**
 * An analyst's review of a statement: the rating, the internal `rationale` (kept for the case team
 * and in the audit log, never published) and, optionally, `publicReview`, the explanation published
 * with the statement on the public site and in its ClaimReview, written knowing that it is.
 */
export const StatementReview = z.strictObject({
  rating: ReviewRatingSchema,
  rationale: Line.describe('Internal: why the rating, for the case team; never published'),
  publicReview: Text.pipe(z.string().trim().min(1, 'must not be empty'))
    .optional()
    .describe(
      'Published word for word with the statement (public site, ClaimReview JSON-LD); leave out to publish the rating alone',
    ),
});

/** What someone said (the ministry's denial), with speaker, date, source and stance. */
export const StatementInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  speakerLabel: Line,
  speakerPersonId: RecordKey.optional(),
  speakerOrganizationId: RecordKey.optional(),
  statedOn: PartialDate.optional(),
  statedPrecision: DatePrecisionSchema.default('unknown'),
  statedText: Line.optional(),
  sourceId: RecordKey,
  stance: StatementStanceSchema,
  gist: Text.pipe(z.string().trim().min(1, 'must not be empty')),
  quote: Text.optional(),
  facilityId: RecordKey.optional(),
  review: StatementReview.optional(),
});
export type StatementInput = z.input<typeof StatementInput>;

export const Statement = RecordMeta.extend({
  speakerLabel: z.string(),
  speakerPersonId: z.string().nullable(),
  speakerOrganizationId: z.string().nullable(),
  statedOn: z.string().nullable(),
  statedPrecision: z.string(),
  statedText: z.string().nullable(),
  sourceId: z.string(),
  stance: z.string(),
  gist: z.string(),
  quote: z.string().nullable(),
  facilityId: z.string().nullable(),
  review: z
    .object({
      rating: z.string(),
      rationale: z.string().nullable(),
      publicReview: z.string().nullable(),
      reviewedBy: z.string().nullable(),
      reviewedAt: z.string().nullable(),
    })
    .nullable(),
});
export type Statement = z.infer<typeof Statement>;

/**
 * A number someone published ("27 torture reports"), kept apart from Vigil's own counts (ST1):
 * it needs value, what it counts, scope, as-of date, speaker and source (ST2).
 */
export const ReportedFigureInput = z
  .strictObject({
    id: RecordKey.optional(),
    externalId: RecordKey.optional(),
    value: z.number().finite().nonnegative(),
    valueMax: z.number().finite().nonnegative().optional(),
    counts: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a snake_case id such as torture_reports'),
    countsLabel: Line,
    scope: Line,
    asOf: PartialDate,
    asOfPrecision: DatePrecisionSchema.default('day'),
    asOfText: Line.optional(),
    speakerLabel: Line,
    statementId: RecordKey.optional(),
    sourceId: RecordKey,
  })
  .refine((f) => f.valueMax === undefined || f.valueMax >= f.value, {
    message: 'valueMax must not be below value',
    path: ['valueMax'],
  });
export type ReportedFigureInput = z.input<typeof ReportedFigureInput>;

export const ReportedFigure = RecordMeta.extend({
  value: z.number(),
  valueMax: z.number().nullable(),
  counts: z.string(),
  countsLabel: z.string(),
  scope: z.string(),
  asOf: z.string().nullable(),
  asOfPrecision: z.string(),
  asOfText: z.string().nullable(),
  speakerLabel: z.string(),
  statementId: z.string().nullable(),
  sourceId: z.string(),
});
export type ReportedFigure = z.infer<typeof ReportedFigure>;

/** A reported figure as statistics show it: with the title and address of its source (ST3: provenance). */
export const ReportedFigureView = ReportedFigure.omit({ createdAt: true, updatedAt: true, version: true }).extend({
  sourceTitle: z.string(),
  sourceUrl: z.string().nullable(),
});
export type ReportedFigureView = z.infer<typeof ReportedFigureView>;
