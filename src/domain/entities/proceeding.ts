import { z } from 'zod';
import { DecidedBySchema, ProceedingKindSchema, ProceedingStageSchema } from '../vocabularies.ts';
import { CalendarDate, Line, RecordKey, RecordMeta } from './common.ts';

/** The official response to an allegation: a complaint, a criminal case, an internal inquiry… */
export const ProceedingInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  allegationId: RecordKey.optional(),
  parentId: RecordKey.optional(),
  kind: ProceedingKindSchema,
  body: Line,
  reference: Line.optional(),
  openedOn: CalendarDate,
  sourceId: RecordKey.optional(),
  decidedBy: DecidedBySchema.optional(),
});
export type ProceedingInput = z.input<typeof ProceedingInput>;

/** A stage change: the target stage, its official date and what the stage requires (ERDR no., article…). */
export const ProceedingStageInput = z.strictObject({
  to: ProceedingStageSchema,
  onDate: CalendarDate,
  sourceId: RecordKey.optional(),
  decidedBy: DecidedBySchema.optional(),
  details: z
    .record(
      z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'must be a field name such as erdrNumber'),
      z.union([
        z.string().max(2000),
        z.number(),
        z.boolean(),
        z.array(z.string().max(500)).max(100),
        // Verdicts: one flat object per accused ({ accusedId, outcome, article, sentence }).
        z.array(z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/), z.string().max(2000))).max(100),
      ]),
    )
    .default({}),
  version: z.number().int().positive().optional(),
});
export type ProceedingStageInput = z.input<typeof ProceedingStageInput>;

export const Proceeding = RecordMeta.extend({
  allegationId: z.string().nullable(),
  parentId: z.string().nullable(),
  kind: z.string(),
  stage: z.string(),
  body: z.string(),
  reference: z.string().nullable(),
  erdrNumber: z.string().nullable(),
  codeArticle: z.string().nullable(),
  codePart: z.string().nullable(),
  outcome: z.string().nullable(),
  openedOn: z.string(),
  stageOn: z.string(),
  stages: z.array(
    z.object({
      seq: z.number(),
      stage: z.string(),
      onDate: z.string(),
      sourceId: z.string().nullable(),
      decidedBy: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type Proceeding = z.infer<typeof Proceeding>;
