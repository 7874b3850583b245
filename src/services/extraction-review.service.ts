/**
 * The review queue (docs/review-queue.md): facts proposed from an article wait for a person's
 * decision. Nothing becomes a record until an analyst or admin accepts it; every proposal and
 * decision is an audited change; an accepted fact keeps the span of the words it came from and
 * names the record it became.
 */
import { z } from 'zod';
import { Line, RecordKey, Text, WebUrl } from '../domain/entities/common.ts';
import { VigilError } from '../domain/errors.ts';
import { SourceKindSchema } from '../domain/vocabularies.ts';
import type { Extraction } from '../extract/types.ts';
import { runWrite } from '../store/audited-writer.ts';
import { sha256Hex } from '../domain/canonical-json.ts';
import {
  countRunFacts,
  decideProposedFact,
  findExtraction,
  findExtractionByText,
  findExtractionId,
  findProposedFact,
  findReviewRun,
  insertExtraction,
  insertProposedFact,
  listExtractionPage,
  listFactPage,
  listRunFacts,
  type ExtractionDetail,
  type ExtractionSummary,
  type ProposedFactView,
  type QueueQuery,
} from '../store/repositories/extraction.repository.ts';
import type { Actor, Services } from './context.ts';
import { defaultExtractor, runExtractor, type Extractor } from './extraction-review-extractor.ts';
import { OPTION_KEYS, PAYLOADS, RecordOptions, recordFact, type AcceptContext } from './extraction-review-records.ts';
import { writeContext } from './record-write.ts';
import { resolveRef } from './references.ts';
import { limitedViewer, may } from './policy.ts';
import { parseInput } from './validate.ts';

export type {
  ExtractionDetail,
  ExtractionSummary,
  ProposedFactView,
} from '../store/repositories/extraction.repository.ts';
export { OPTION_KEYS } from './extraction-review-records.ts';

/** Who may put an article in the queue, and who may decide (domain: a person's decision, an analyst's or admin's). */
const MAY_PROPOSE = new Set(['documenter', 'analyst', 'admin', 'system']);
const MAY_DECIDE = new Set(['analyst', 'admin', 'system']);
/** The queue holds article text and the names it proposes: those who may see identities may read it. */
const MAY_READ = new Set(['documenter', 'analyst', 'admin', 'system']);

export const FACT_STATUSES = ['proposed', 'accepted', 'edited', 'rejected'] as const;
export const REVIEW_FIELDS = [
  'facilities',
  'places',
  'organizations',
  'people',
  'legal_refs',
  'counts',
  'dates',
  'statements',
  'reported_figures',
  'facility_layout',
] as const;

function allow(actor: Actor, roles: Set<string>, what: string): void {
  if (!roles.has(actor.role)) throw new VigilError('auth.forbidden', `your role may not ${what}`, { path: 'role' });
}

/** An article to put in the queue. */
export const ProposeInput = z.strictObject({
  text: Text.refine((t) => t.trim() !== '', 'must not be empty'),
  url: WebUrl.optional(),
  title: Line.optional(),
  /** An existing Source this text belongs to (the article already recorded). */
  sourceId: RecordKey.optional(),
  /** The kind of Source an accepted fact creates; by default an official statement for a government site, else a news article. */
  sourceKind: SourceKindSchema.optional(),
});
export type ProposeInput = z.input<typeof ProposeInput>;

/** Government sites publish official statements; everything else is read as a news article. */
export function sourceKindOf(url: string | undefined): string {
  if (!url) return 'news_article';
  try {
    const host = new URL(url).hostname.toLowerCase();
    return /(^|\.)gov(\.[a-z]{2})?$|(^|\.)gov\.|\.gov$|(^|\.)(prokuror|mvd|kui|adilet)\.kz$/.test(host)
      ? 'official_statement'
      : 'news_article';
  } catch {
    return 'news_article';
  }
}

/** One proposed fact as stored: its field, the item without span and confidence, and where it came from. */
interface FlatFact {
  field: string;
  payload: Record<string, unknown>;
  span: { start: number; end: number };
  confidence: number;
}

function strip<T extends { span: { start: number; end: number }; confidence: number }>(
  field: string,
  item: T,
): FlatFact {
  const { span, confidence, ...payload } = item;
  return { field, payload, span, confidence };
}

/** Every item of an extraction as one fact; a facility layout is split into its buildings, cells, rooms and safeguards. */
export function flattenExtraction(x: Extraction): FlatFact[] {
  const out: FlatFact[] = [];
  const lists = [
    'facilities',
    'places',
    'organizations',
    'people',
    'legal_refs',
    'counts',
    'dates',
    'statements',
    'reported_figures',
  ] as const;
  for (const field of lists) for (const item of x[field]) out.push(strip(field, item));
  const layout = x.facility_layout;
  if (layout) {
    for (const b of layout.buildings) out.push(strip('facility_layout', { part: 'building', ...b }));
    if (layout.cells) out.push(strip('facility_layout', { part: 'cells', ...layout.cells }));
    for (const r of layout.declared_rooms) out.push(strip('facility_layout', { part: 'room', ...r }));
    for (const s of layout.declared_safeguards) out.push(strip('facility_layout', { part: 'safeguard', ...s }));
  }
  return out;
}

/** The outcome of a proposal: the run, whether it is new, how many facts wait for a decision. */
export interface Proposed {
  id: string;
  created: boolean;
  facts: number;
}

/**
 * Stores a run and its proposed facts as given (the extractor's output), in one audited
 * transaction. Records nothing else. The same text already proposed by the same extractor
 * version answers the existing run instead of a second queue.
 */
export async function proposeExtraction(
  svc: Services,
  actor: Actor,
  input: unknown,
  extraction: Extraction,
  extractorVersion: string,
): Promise<Proposed> {
  allow(actor, MAY_PROPOSE, 'propose facts');
  const d = parseInput(ProposeInput, input);
  const facts = flattenExtraction(extraction);
  for (const [i, f] of facts.entries()) {
    if (f.span.end < f.span.start || f.span.end > d.text.length) {
      throw new VigilError('validation.invalid', `fact ${i} (${f.field}) points outside the text`, {
        path: `facts.${i}.span`,
      });
    }
  }
  const textSha256 = sha256Hex(d.text);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const existing = await findExtractionByText(w.trx, textSha256, extractorVersion);
    if (existing) {
      return { id: existing, created: false, facts: await countRunFacts(w.trx, existing) };
    }
    const id = svc.newId();
    await insertExtraction(w, {
      id,
      sourceId: d.sourceId === undefined ? null : await resolveRef(w.trx, 'source', d.sourceId, 'sourceId', actor),
      sourceKind: d.sourceKind ?? sourceKindOf(d.url),
      url: d.url ?? null,
      title: d.title ?? null,
      language: extraction.language,
      text: d.text,
      textSha256,
      extractorVersion,
      proposedBy: actor.id,
    });
    for (const [seq, f] of facts.entries()) {
      await insertProposedFact(w, {
        id: svc.newId(),
        extractionId: id,
        seq,
        field: f.field,
        payload: f.payload,
        span: f.span,
        confidence: f.confidence,
      });
    }
    return { id, created: true, facts: facts.length };
  });
}

/** Runs the extractor over the text and puts what it proposes in the queue (nothing is recorded yet). */
export async function proposeFromText(
  svc: Services,
  actor: Actor,
  input: unknown,
  opts: { extractor?: Extractor } = {},
): Promise<Proposed> {
  allow(actor, MAY_PROPOSE, 'propose facts');
  const d = parseInput(ProposeInput, input);
  const extractor = opts.extractor ?? defaultExtractor();
  const extraction = await runExtractor(extractor, d.text);
  return proposeExtraction(svc, actor, d, extraction, extractor.version);
}

/** A person's decision on one proposed fact. */
export const DecisionInput = z.strictObject({
  decision: z.enum(['accept', 'reject', 'edit']),
  /**
   * For `edit`: the fact's fields as corrected (e.g. `stance`, `gist`, `value`). For `accept` and
   * `edit`: what the record needs that the text does not give, or a link (docs/review-queue.md).
   */
  edits: z.record(z.string().max(64), z.unknown()).optional(),
  reason: Line.optional(),
  /** The fact's version as read: a decision on a fact changed since is refused (`record.conflict`). */
  version: z.number().int().positive(),
});
export type DecisionInput = z.input<typeof DecisionInput>;

/** The decided fact and the record it became (null when rejected). */
export interface Decided {
  id: string;
  status: string;
  version: number;
  recordType: string | null;
  recordId: string | null;
}

/**
 * Decides a fact. Reject changes only the fact. Accept and edit create or link the record in the
 * same transaction (the Source of the article first, if the run has none), keep the span, and name
 * the record on the fact. A fact may be decided once; a rejected one may still be accepted later.
 */
export async function decideFact(svc: Services, actor: Actor, factId: string, input: unknown): Promise<Decided> {
  allow(actor, MAY_DECIDE, 'decide on proposed facts');
  const d = parseInput(DecisionInput, input);
  const edits = d.edits ?? {};
  const content = Object.fromEntries(Object.entries(edits).filter(([k]) => !OPTION_KEYS.has(k)));
  const options = parseInput(
    RecordOptions,
    Object.fromEntries(Object.entries(edits).filter(([k]) => OPTION_KEYS.has(k))),
    'edits',
  );
  if (d.decision === 'edit' && Object.keys(content).length === 0) {
    throw new VigilError(
      'validation.invalid',
      "an edit changes the fact's fields: give them in edits (or accept it as it is)",
      { path: 'edits' },
    );
  }
  if (d.decision === 'accept' && Object.keys(content).length > 0) {
    throw new VigilError(
      'validation.invalid',
      `accept takes the fact as proposed; to change ${Object.keys(content).join(', ')} use decision edit`,
      { path: 'edits' },
    );
  }
  if (d.decision === 'reject' && Object.keys(edits).length > 0)
    throw new VigilError('validation.invalid', 'a rejection takes no edits', { path: 'edits' });

  return runWrite(svc.store, writeContext(svc, actor, d.reason), async (w) => {
    const fact = await findProposedFact(w.trx, factId);
    if (!fact || !(await may(w.trx, actor, 'change', 'proposed_fact', fact.id)))
      throw new VigilError('record.not_found', `no proposed fact ${factId}`, { path: 'id' });
    if (Number(fact.version) !== d.version) {
      throw new VigilError(
        'record.conflict',
        `proposed fact ${fact.id} was changed by someone else; reload and try again`,
        { path: 'version' },
      );
    }
    if (fact.status === 'accepted' || fact.status === 'edited') {
      throw new VigilError(
        'state.transition_not_allowed',
        `the fact was already ${fact.status}: change the record it became instead`,
        { path: 'decision' },
      );
    }
    if (fact.status === 'rejected' && d.decision === 'reject') {
      throw new VigilError('state.transition_not_allowed', 'the fact is already rejected', { path: 'decision' });
    }
    const decision = { decidedBy: actor.id, decidedAt: w.ctx.at, reason: d.reason ?? null };
    if (d.decision === 'reject') {
      const row = await decideProposedFact(
        w,
        fact.id,
        { status: 'rejected', ...decision },
        { version: d.version, action: 'reject' },
      );
      return { ...row, recordType: null, recordId: null };
    }
    const schema = PAYLOADS[fact.field];
    if (!schema)
      throw new VigilError('validation.invalid', `facts of field ${fact.field} cannot be accepted`, { path: 'field' });
    const payload = parseInput(schema, { ...fact.payload, ...content }, 'edits');
    const run = await findReviewRun(w.trx, fact.extractionId);
    if (!run) throw new Error(`proposed fact ${fact.id} names no run`);
    const ctx: AcceptContext = { svc, actor, w, run, facts: await listRunFacts(w.trx, run) };
    const ref = await recordFact(ctx, fact, payload, options);
    const row = await decideProposedFact(
      w,
      fact.id,
      {
        status: d.decision === 'edit' ? 'edited' : 'accepted',
        ...decision,
        edits: Object.keys(edits).length > 0 ? edits : null,
        record: { type: ref.recordType, id: ref.recordId },
      },
      { version: d.version, action: d.decision },
    );
    return { ...row, recordType: ref.recordType, recordId: ref.recordId };
  });
}

/** The review queue: facts in the order they were proposed, by default those still waiting. */
export async function listQueue(
  svc: Services,
  actor: Actor,
  q: { status?: string; extractionId?: string; field?: string; limit?: number; after?: QueueQuery['after'] } = {},
): Promise<ProposedFactView[]> {
  allow(actor, MAY_READ, 'read the review queue');
  const extractionId = q.extractionId === undefined ? undefined : await runIdOf(svc, actor, q.extractionId);
  return listFactPage(svc.store.db, {
    visibleTo: limitedViewer(actor),
    ...(q.status !== 'all' ? { status: q.status ?? 'proposed' } : {}),
    ...(extractionId ? { extractionId } : {}),
    ...(q.field ? { field: q.field } : {}),
    limit: q.limit ?? 200,
    ...(q.after ? { after: q.after } : {}),
  });
}

async function runIdOf(svc: Services, actor: Actor, key: string): Promise<string> {
  const id = await findExtractionId(svc.store.db, key);
  if (!id || !(await may(svc.store.db, actor, 'read', 'extraction', id)))
    throw new VigilError('record.not_found', `no extraction ${key}`, { path: 'extractionId' });
  return id;
}

/** Runs, newest first, with how many of their facts are in each status. */
export async function listExtractions(
  svc: Services,
  actor: Actor,
  q: { limit?: number; after?: { at: string; id: string } } = {},
): Promise<ExtractionSummary[]> {
  allow(actor, MAY_READ, 'read the review queue');
  return listExtractionPage(svc.store.db, {
    limit: q.limit ?? 50,
    visibleTo: limitedViewer(actor),
    ...(q.after ? { after: q.after } : {}),
  });
}

/** One run: its text and every fact with its span, words, status and record. */
export async function getExtraction(svc: Services, actor: Actor, id: string): Promise<ExtractionDetail> {
  allow(actor, MAY_READ, 'read the review queue');
  const x = await findExtraction(svc.store.db, id, limitedViewer(actor));
  if (!x) throw new VigilError('record.not_found', `no extraction ${id}`, { path: 'id' });
  return x;
}

/** One proposed fact with its words. */
export async function getFact(svc: Services, actor: Actor, id: string): Promise<ProposedFactView> {
  allow(actor, MAY_READ, 'read the review queue');
  const f = await findProposedFact(svc.store.db, id);
  if (!f || !(await may(svc.store.db, actor, 'read', 'proposed_fact', f.id)))
    throw new VigilError('record.not_found', `no proposed fact ${id}`, { path: 'id' });
  return f;
}
