import { z } from 'zod';
import { SafeguardAnswerSchema, SafeguardCheckSchema, VisitModeSchema, VisitTypeSchema } from '../vocabularies.ts';
import { CalendarDate, Line, RecordKey, RecordMeta, Text } from './common.ts';

/** A recommendation issued after a visit, with an addressee and a deadline. */
export const RecommendationInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  text: Text.pipe(z.string().trim().min(1, 'must not be empty')),
  addressee: Line,
  deadline: CalendarDate,
});

/** A monitoring visit to a facility with its safeguards checklist. */
export const VisitInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  facilityId: RecordKey,
  body: Line,
  visitDate: CalendarDate,
  visitType: VisitTypeSchema,
  mode: VisitModeSchema,
  team: z.array(Line).max(50).default([]),
  safeguards: z.partialRecord(SafeguardCheckSchema, SafeguardAnswerSchema).default({}),
  findings: Text.optional(),
  findingsPublic: Text.optional(),
  responseDue: CalendarDate.optional(),
  recommendations: z.array(RecommendationInput).max(200).default([]),
});
export type VisitInput = z.input<typeof VisitInput>;

export const Visit = RecordMeta.extend({
  facilityId: z.string(),
  body: z.string(),
  visitDate: z.string(),
  visitType: z.string(),
  mode: z.string(),
  status: z.string(),
  team: z.array(z.string()),
  safeguards: z.record(z.string(), z.string()),
  findings: z.string().nullable(),
  findingsPublic: z.string().nullable(),
  responseDue: z.string().nullable(),
});
export type Visit = z.infer<typeof Visit>;
