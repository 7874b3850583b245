import { z } from 'zod';
import { CatChecklistSchema } from '../cat-checklist.ts';
import {
  ActKindSchema,
  ClassificationSchema,
  ConsentScopeSchema,
  PerpetratorKindSchema,
  RiskLevelSchema,
  SensitivitySchema,
  SourceRelationSchema,
  VerificationStatusSchema,
} from '../vocabularies.ts';
import { Line, Period, RecordKey, RecordMeta, Text } from './common.ts';

/** One act of an allegation; `other` needs a description. */
const ActInput = z
  .strictObject({
    kind: ActKindSchema,
    victimId: RecordKey.optional(),
    areaId: RecordKey.optional(),
    description: Text.optional(),
  })
  .refine((a) => a.kind !== 'other' || (a.description ?? '').trim().length > 0, {
    message: 'an act of kind "other" needs a description',
    path: ['description'],
  });

/** What is said to have happened, where, to whom, by whom, and on what sources. */
export const AllegationInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  title: Line,
  summary: Text.optional(),
  period: Period.default({ precision: 'unknown' }),
  facilityId: RecordKey.optional(),
  areaId: RecordKey.optional(),
  acts: z.array(ActInput).max(100).default([]),
  victims: z
    .array(z.strictObject({ personId: RecordKey }))
    .max(500)
    .default([]),
  perpetrators: z
    .array(z.strictObject({ personId: RecordKey, perpetratorKind: PerpetratorKindSchema.optional() }))
    .max(500)
    .default([]),
  sources: z
    .array(z.strictObject({ sourceId: RecordKey, relation: SourceRelationSchema.default('reports') }))
    .max(500)
    .default([]),
  consent: z.array(ConsentScopeSchema).max(10).default([]),
  sensitivity: SensitivitySchema.default('internal'),
  risk: RiskLevelSchema.default('low'),
  catChecklist: CatChecklistSchema.optional(),
  /** Only on import of an exported record: the state it had. New allegations start as `received`. */
  verificationStatus: VerificationStatusSchema.optional(),
  /** Only on import: the status an allegation on hold or withdrawn had before. */
  priorStatus: VerificationStatusSchema.optional(),
  /** Only on import: flagged for urgent action. */
  urgent: z.boolean().optional(),
  /** Only on import: the allegation this one duplicates (id or external id, exported before it). */
  duplicateOf: RecordKey.optional(),
  classification: ClassificationSchema.optional(),
  classificationRationale: Text.optional(),
});
export type AllegationInput = z.input<typeof AllegationInput>;

/** An analyst's classification: the suggestion comes from the CAT checklist, the decision and rationale from a person. */
export const ClassifyInput = z.strictObject({
  classification: ClassificationSchema,
  rationale: Line,
  catChecklist: CatChecklistSchema.optional(),
  version: z.number().int().positive().optional(),
});

export const Allegation = RecordMeta.extend({
  title: z.string(),
  summary: z.string().nullable(),
  period: z.object({
    start: z.string().nullable(),
    end: z.string().nullable(),
    precision: z.string(),
    text: z.string().nullable(),
  }),
  facilityId: z.string().nullable(),
  areaId: z.string().nullable(),
  classification: z.string(),
  classificationRationale: z.string().nullable(),
  catChecklist: z.unknown().nullable(),
  verificationStatus: z.string(),
  priorStatus: z.string().nullable(),
  sensitivity: z.string(),
  risk: z.string(),
  urgent: z.boolean(),
  consent: z.array(z.string()),
  duplicateOf: z.string().nullable(),
  acts: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      victimId: z.string().nullable(),
      areaId: z.string().nullable(),
      description: z.string().nullable(),
    }),
  ),
  victims: z.array(z.object({ personId: z.string() })),
  perpetrators: z.array(z.object({ personId: z.string(), perpetratorKind: z.string().nullable() })),
  sources: z.array(z.object({ sourceId: z.string(), relation: z.string() })),
});
export type Allegation = z.infer<typeof Allegation>;
