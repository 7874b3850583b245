import { z } from 'zod';
import { Instant, Line, RecordKey } from './common.ts';

/**
 * What can be done to a preserved item (domain.md EV6, and the steps of intake and export):
 * each is a custody event with actor, time and purpose, written once, never edited or deleted.
 */
const CUSTODY_ACTIONS = [
  'collected',
  'received',
  'hashed',
  'viewed',
  'downloaded',
  'copied',
  'derived',
  'analysed',
  'redacted',
  'exported',
  'transferred',
  'verified',
  'disposed',
] as const;
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number];
const CustodyActionSchema = z.enum(CUSTODY_ACTIONS);

/**
 * Actions a person records by hand; intake, reads, copies and exports record theirs themselves,
 * and disposal needs two approvers (EV7), so neither is here.
 */
const MANUAL_CUSTODY_ACTIONS = [
  'received',
  'analysed',
  'transferred',
  'verified',
] as const satisfies readonly CustodyAction[];

/** A custody action recorded by a person. */
export const CustodyEventInput = z.strictObject({
  evidenceItemId: RecordKey,
  action: z.enum(MANUAL_CUSTODY_ACTIONS),
  purpose: Line.optional(),
  /** Who received the item, for `transferred` and `exported`. */
  recipient: Line.optional(),
});
export type CustodyEventInput = z.input<typeof CustodyEventInput>;

/** One custody event as stored. */
export const CustodyEvent = z.object({
  id: z.string(),
  evidenceItemId: z.string(),
  action: CustodyActionSchema,
  actor: z.string(),
  at: z.string(),
  purpose: z.string().nullable(),
  recipient: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type CustodyEvent = z.infer<typeof CustodyEvent>;

/** An evidence item: a file filed under an allegation or a source, an original or a working copy of one. */
export interface EvidenceItem {
  id: string;
  externalId: string | null;
  allegationId: string | null;
  sourceId: string | null;
  sha256: string;
  size: number;
  mediaType: string;
  originalName: string | null;
  capturedFrom: string | null;
  capturedAt: string | null;
  capturedBy: string | null;
  tool: string | null;
  copyKind: 'original' | 'working';
  parentSha256: string | null;
  transformation: string | null;
  createdAt: string;
}

const MediaType = z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type such as image/jpeg');

/**
 * What comes with a file at intake (the bytes come as a stream beside it). The hash, size and
 * media type are Vigil's to establish, never the sender's: the declared type is only a hint.
 */
export const EvidenceIntakeInput = z.strictObject({
  externalId: RecordKey.optional(),
  allegationId: RecordKey.optional(),
  sourceId: RecordKey.optional(),
  mediaType: MediaType.optional(),
  originalName: Line.optional(),
  capturedFrom: Line.optional(),
  capturedAt: Instant.optional(),
  /** Who collected the file; by default the person filing it. */
  capturedBy: Line.optional(),
  tool: Line.optional(),
  /** Why it is filed, for the custody log. */
  purpose: Line.optional(),
});
export type EvidenceIntakeInput = z.input<typeof EvidenceIntakeInput>;
