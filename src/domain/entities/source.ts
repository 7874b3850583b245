import { z } from 'zod';
import { CredibilitySchema, ReliabilitySchema, SourceKindSchema } from '../vocabularies.ts';
import { Instant, Line, PartialDate, RecordKey, RecordMeta, Text, WebUrl } from './common.ts';

/** Where information came from, rated separately for reliability (A–F) and credibility (1–6). */
export const SourceInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  kind: SourceKindSchema,
  title: Line,
  url: WebUrl.optional(),
  outlet: Line.optional(),
  handle: Line.optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'must be a language code such as en, ru, kk')
    .optional(),
  publishedAt: PartialDate.optional(),
  collectedAt: Instant.optional(),
  collectedBy: Line.optional(),
  reliability: ReliabilitySchema.default('F'),
  credibility: CredibilitySchema.default('6'),
  summary: Text.optional(),
  content: Text.optional(),
});
export type SourceInput = z.input<typeof SourceInput>;

export const Source = RecordMeta.extend({
  kind: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  outlet: z.string().nullable(),
  handle: z.string().nullable(),
  language: z.string().nullable(),
  publishedAt: z.string().nullable(),
  collectedAt: z.string().nullable(),
  collectedBy: z.string().nullable(),
  reliability: z.string(),
  credibility: z.string(),
  summary: z.string().nullable(),
  content: z.string().nullable(),
});
export type Source = z.infer<typeof Source>;

/** Metadata of a preserved file; the bytes live in the blob store, addressed by SHA-256. */
export const EvidenceItemInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  sourceId: RecordKey.optional(),
  allegationId: RecordKey.optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
  size: z.number().int().nonnegative(),
  mediaType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type such as image/jpeg'),
  originalName: Line.optional(),
  capturedFrom: Line.optional(),
  capturedAt: Instant.optional(),
  capturedBy: Line.optional(),
  tool: Line.optional(),
  copyKind: z.enum(['original', 'working']).default('original'),
  parentSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters')
    .optional(),
  transformation: Line.optional(),
});
export type EvidenceItemInput = z.input<typeof EvidenceItemInput>;
