import { z } from 'zod';
import {
  RecommendationStatusSchema,
  SafeguardAnswerSchema,
  SafeguardCheckSchema,
  VisitModeSchema,
  VisitStatusSchema,
  VisitTypeSchema,
} from '../vocabularies.ts';
import { CalendarDate, Instant, Line, RecordKey, RecordMeta, Text } from './common.ts';

/** A recommendation issued after a visit, with an addressee and a deadline. */
const RecommendationInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  text: Text.pipe(z.string().trim().min(1, 'must not be empty')),
  addressee: Line,
  deadline: CalendarDate,
  /** Only on import of an exported record: the follow-up status it had. New recommendations start as `issued`. */
  status: RecommendationStatusSchema.optional(),
  /** Only on import: what the follow-up rests on (ids or external ids; visits exported before this one, or this visit itself). */
  replyStatementId: RecordKey.optional(),
  claimStatementId: RecordKey.optional(),
  followUpVisitId: RecordKey.optional(),
  evidenceSourceId: RecordKey.optional(),
  findingId: RecordKey.optional(),
  commitmentStatementId: RecordKey.optional(),
});

/** Recommendation fields that only an import of an exported record may give; otherwise transitions set them. */
export const RECOMMENDATION_IMPORT_ONLY = [
  'status',
  'replyStatementId',
  'claimStatementId',
  'followUpVisitId',
  'evidenceSourceId',
  'findingId',
  'commitmentStatementId',
] as const;

const ListOfLines = z.array(Line).max(200);

/** The safeguards checklist: an answer per check (domain.md 3.3). */
const Safeguards = z.partialRecord(SafeguardCheckSchema, SafeguardAnswerSchema);

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
  safeguards: Safeguards.default({}),
  findings: Text.optional(),
  findingsPublic: Text.optional(),
  responseDue: CalendarDate.optional(),
  recommendations: z.array(RecommendationInput).max(200).default([]),
  /** Only on import of an exported record: the status it had. New visits start as `planned`. */
  status: VisitStatusSchema.optional(),
  /** Only on import: how the visit went, why it did not, the authority's reply (see VisitTransitionInput). */
  startedAt: Instant.optional(),
  endedAt: Instant.optional(),
  areaIds: z.array(RecordKey).max(500).optional(),
  registersExamined: ListOfLines.optional(),
  refusedAccess: ListOfLines.optional(),
  cancellationReason: Line.optional(),
  replyStatementId: RecordKey.optional(),
});
export type VisitInput = z.input<typeof VisitInput>;

/** Visit fields that only an import of an exported record may give; otherwise transitions set them. */
export const VISIT_IMPORT_ONLY = [
  'status',
  'startedAt',
  'endedAt',
  'areaIds',
  'registersExamined',
  'refusedAccess',
  'cancellationReason',
  'replyStatementId',
] as const;

/**
 * A step in a visit's cycle (domain.md 3.3) with what the step records: how the visit went
 * (`conducted`), why it did not (`cancelled`), the safeguards answers and findings
 * (`findings_drafted`), when a reply is due (`report_sent`), the reply (`response_received`).
 * Fields given are merged into the stored visit before the workflow checks it; `version` is the
 * one the client read.
 */
export const VisitTransitionInput = z.strictObject({
  to: VisitStatusSchema,
  reason: Line.optional(),
  version: z.number().int().positive().optional(),
  startedAt: Instant.optional(),
  endedAt: Instant.optional(),
  areaIds: z
    .array(RecordKey)
    .max(500)
    .optional()
    .describe("Areas inspected (ids or external ids of the facility's areas)"),
  registersExamined: ListOfLines.optional().describe('Registers examined; [] when none was shown'),
  refusedAccess: ListOfLines.optional().describe(
    'Places or documents the team was refused; [] when access was complete',
  ),
  cancellationReason: Line.optional(),
  safeguards: Safeguards.optional().describe('Answers given here replace those stored for the same checks'),
  findings: Text.optional(),
  findingsPublic: Text.optional(),
  responseDue: CalendarDate.optional(),
  replyStatementId: RecordKey.optional().describe("The authority's reply, recorded as a Statement"),
});
export type VisitTransitionInput = z.input<typeof VisitTransitionInput>;

/**
 * A step in a recommendation's follow-up (domain.md 3.4) with the records it rests on. The
 * authority's claim is never its own proof: the source of `claimStatementId` cannot verify it.
 */
export const RecommendationTransitionInput = z.strictObject({
  to: RecommendationStatusSchema,
  reason: Line.optional(),
  version: z.number().int().positive().optional(),
  replyStatementId: RecordKey.optional().describe("The authority's reply accepting or rejecting, as a Statement"),
  claimStatementId: RecordKey.optional().describe(
    "The authority's claim that it implemented the recommendation, as a Statement",
  ),
  followUpVisitId: RecordKey.optional().describe('A later, conducted visit that checked implementation'),
  evidenceSourceId: RecordKey.optional().describe('A document proving or disproving implementation'),
  findingId: RecordKey.optional().describe('The visit whose recorded findings show non-implementation'),
  commitmentStatementId: RecordKey.optional().describe(
    'A renewed commitment after rejection or non-implementation, as a Statement',
  ),
});
export type RecommendationTransitionInput = z.input<typeof RecommendationTransitionInput>;

/** A recommendation as stored, with what its follow-up rests on. */
export const Recommendation = z.object({
  id: z.string(),
  text: z.string(),
  addressee: z.string(),
  deadline: z.string(),
  status: z.string(),
  version: z.number(),
  replyStatementId: z.string().nullable(),
  claimStatementId: z.string().nullable(),
  followUpVisitId: z.string().nullable(),
  evidenceSourceId: z.string().nullable(),
  findingId: z.string().nullable(),
  commitmentStatementId: z.string().nullable(),
});
export type Recommendation = z.infer<typeof Recommendation>;

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
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  areaIds: z.array(z.string()).nullable().describe('null: not recorded'),
  registersExamined: z.array(z.string()).nullable().describe('null: not recorded; []: none shown'),
  refusedAccess: z.array(z.string()).nullable().describe('null: not recorded; []: none refused'),
  cancellationReason: z.string().nullable(),
  replyStatementId: z.string().nullable(),
});
export type Visit = z.infer<typeof Visit>;
