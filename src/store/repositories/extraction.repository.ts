import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AuditedWriter } from '../audited-writer.ts';
import type { Database, ExtractionTable, ProposedFactTable } from '../schema.ts';
import { visibleCondition } from './need-to-know.repository.ts';
import { parseJson, toJson } from './json-column.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A run of the extractor, without its text (lists). */
export interface ExtractionSummary {
  id: string;
  sourceId: string | null;
  sourceKind: string;
  url: string | null;
  title: string | null;
  language: string;
  textSha256: string;
  extractorVersion: string;
  proposedBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** How many of its facts are in each status. */
  facts: { proposed: number; accepted: number; edited: number; rejected: number };
}

/** One proposed fact, with the words of the text its span covers. */
export interface ProposedFactView {
  id: string;
  extractionId: string;
  seq: number;
  field: string;
  payload: Record<string, unknown>;
  edits: Record<string, unknown> | null;
  span: { start: number; end: number };
  /** `text.slice(span.start, span.end)` of the run's text: the words the fact came from. */
  words: string;
  confidence: number;
  status: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  recordType: string | null;
  recordId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A run with its text and every fact it proposed, in order. */
export interface ExtractionDetail extends ExtractionSummary {
  text: string;
  items: ProposedFactView[];
}

/** A fact row with the words its span covers in `text`. */
function toFactView(r: Selectable<ProposedFactTable>, text: string): ProposedFactView {
  return {
    id: r.id,
    extractionId: r.extraction_id,
    seq: Number(r.seq),
    field: r.field,
    payload: parseJson<Record<string, unknown>>(r.payload, {}),
    edits: parseJson<Record<string, unknown> | null>(r.edits, null),
    span: { start: Number(r.span_start), end: Number(r.span_end) },
    words: text.slice(Number(r.span_start), Number(r.span_end)),
    confidence: Number(r.confidence),
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
    recordType: r.record_type,
    recordId: r.record_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

const NO_FACTS = () => ({ proposed: 0, accepted: 0, edited: 0, rejected: 0 });

async function factCounts(db: Db, ids: string[]): Promise<Map<string, ExtractionSummary['facts']>> {
  const out = new Map<string, ExtractionSummary['facts']>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('proposed_fact')
    .select(['extraction_id', 'status', sql<number>`count(*)`.as('n')])
    .where('extraction_id', 'in', ids)
    .groupBy(['extraction_id', 'status'])
    .execute();
  for (const r of rows) {
    const c = out.get(r.extraction_id) ?? NO_FACTS();
    if (r.status in c) c[r.status as keyof typeof c] = Number(r.n);
    out.set(r.extraction_id, c);
  }
  return out;
}

type SummaryRow = Omit<Selectable<ExtractionTable>, 'text'>;

function toSummary(r: SummaryRow, facts: ExtractionSummary['facts'] | undefined): ExtractionSummary {
  return {
    id: r.id,
    sourceId: r.source_id,
    sourceKind: r.source_kind,
    url: r.url,
    title: r.title,
    language: r.language,
    textSha256: r.text_sha256,
    extractorVersion: r.extractor_version,
    proposedBy: r.proposed_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
    facts: facts ?? NO_FACTS(),
  };
}

const SUMMARY_COLUMNS = [
  'id',
  'external_id',
  'source_id',
  'source_kind',
  'url',
  'title',
  'language',
  'text_sha256',
  'extractor_version',
  'proposed_by',
  'created_at',
  'updated_at',
  'version',
] as const;

/** Runs, newest first, keyset-paged on (created_at, id). */
export async function listExtractionPage(
  db: Db,
  q: { limit: number; after?: { at: string; id: string }; visibleTo: string | undefined },
): Promise<ExtractionSummary[]> {
  let query = db
    .selectFrom('extraction')
    .select(SUMMARY_COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit);
  if (q.visibleTo !== undefined) query = query.where(visibleCondition('extraction', 'extraction.id', q.visibleTo));
  const after = q.after;
  if (after)
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]),
    );
  const rows = await query.execute();
  const counts = await factCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toSummary(r, counts.get(r.id)));
}

/** One run with its text and facts, by id or external id. */
export async function findExtraction(
  db: Db,
  key: string,
  visibleTo: string | undefined,
): Promise<ExtractionDetail | undefined> {
  let query = db
    .selectFrom('extraction')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]));
  if (visibleTo !== undefined) query = query.where(visibleCondition('extraction', 'extraction.id', visibleTo));
  const r = await query.executeTakeFirst();
  if (!r) return undefined;
  const facts = await db
    .selectFrom('proposed_fact')
    .selectAll()
    .where('extraction_id', '=', r.id)
    .orderBy('seq')
    .execute();
  const counts = await factCounts(db, [r.id]);
  return { ...toSummary(r, counts.get(r.id)), text: r.text, items: facts.map((f) => toFactView(f, r.text)) };
}

/** Filters and keyset position of the review queue. */
export interface QueueQuery {
  status?: string;
  extractionId?: string;
  field?: string;
  limit: number;
  /** Need-to-know (src/domain/policy.ts): the user whose teams limit the facts; undefined only for Vigil's own work. */
  visibleTo: string | undefined;
  /** (created_at, extraction_id, seq) of the last fact shown. */
  after?: { at: string; extractionId: string; seq: number };
}

/** Facts in the order they were proposed (time, run, position in the run). */
export async function listFactPage(db: Db, q: QueueQuery): Promise<ProposedFactView[]> {
  let query = db
    .selectFrom('proposed_fact')
    .selectAll()
    .orderBy('created_at')
    .orderBy('extraction_id')
    .orderBy('seq')
    .limit(q.limit);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.extractionId) query = query.where('extraction_id', '=', q.extractionId);
  if (q.field) query = query.where('field', '=', q.field);
  if (q.visibleTo !== undefined)
    query = query.where(visibleCondition('proposed_fact', 'proposed_fact.id', q.visibleTo));
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', after.at),
        eb.and([eb('created_at', '=', after.at), eb('extraction_id', '>', after.extractionId)]),
        eb.and([
          eb('created_at', '=', after.at),
          eb('extraction_id', '=', after.extractionId),
          eb('seq', '>', after.seq),
        ]),
      ]),
    );
  }
  const rows = await query.execute();
  const runIds = [...new Set(rows.map((r) => r.extraction_id))];
  const texts = new Map<string, string>();
  if (runIds.length > 0) {
    for (const t of await db.selectFrom('extraction').select(['id', 'text']).where('id', 'in', runIds).execute())
      texts.set(t.id, t.text);
  }
  return rows.map((r) => toFactView(r, texts.get(r.extraction_id) ?? ''));
}

/** The run of a text already extracted by this extractor version, if any. */
export async function findExtractionByText(
  db: Db,
  textSha256: string,
  extractorVersion: string,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('extraction')
    .select('id')
    .where('text_sha256', '=', textSha256)
    .where('extractor_version', '=', extractorVersion)
    .orderBy('created_at')
    .executeTakeFirst();
  return r?.id;
}

/** How many facts a run proposed. */
export async function countRunFacts(db: Db, extractionId: string): Promise<number> {
  const n = await db
    .selectFrom('proposed_fact')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('extraction_id', '=', extractionId)
    .executeTakeFirstOrThrow();
  return Number(n.n);
}

/** A new run of the extractor over a text. */
export interface NewExtraction {
  id: string;
  sourceId: string | null;
  sourceKind: string;
  url: string | null;
  title: string | null;
  language: string;
  text: string;
  textSha256: string;
  extractorVersion: string;
  proposedBy: string;
}

/** Records a run (an audited `propose`). */
export async function insertExtraction(w: AuditedWriter, x: NewExtraction): Promise<void> {
  await w.insert(
    'extraction',
    {
      id: x.id,
      external_id: null,
      source_id: x.sourceId,
      source_kind: x.sourceKind,
      url: x.url,
      title: x.title,
      language: x.language,
      text: x.text,
      text_sha256: x.textSha256,
      extractor_version: x.extractorVersion,
      proposed_by: x.proposedBy,
    },
    'propose',
  );
}

/** A fact a run proposes: its place in the run, its field and item, the span of its words and the extractor's confidence. */
export interface NewProposedFact {
  id: string;
  extractionId: string;
  seq: number;
  field: string;
  payload: unknown;
  span: { start: number; end: number };
  confidence: number;
}

/** Records a proposed fact, waiting for a decision (an audited `propose`). */
export async function insertProposedFact(w: AuditedWriter, f: NewProposedFact): Promise<void> {
  await w.insert(
    'proposed_fact',
    {
      id: f.id,
      external_id: null,
      extraction_id: f.extractionId,
      seq: f.seq,
      field: f.field,
      payload: toJson(f.payload),
      edits: null,
      span_start: f.span.start,
      span_end: f.span.end,
      confidence: f.confidence,
      status: 'proposed',
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      record_type: null,
      record_id: null,
    },
    'propose',
  );
}

/** A run as an accepted fact works with it: where its text came from, and the text. */
export type ReviewRun = Pick<NewExtraction, 'id' | 'sourceId' | 'sourceKind' | 'url' | 'title' | 'language' | 'text'>;

function toReviewRun(r: Selectable<ExtractionTable>): ReviewRun {
  return {
    id: r.id,
    sourceId: r.source_id,
    sourceKind: r.source_kind,
    url: r.url,
    title: r.title,
    language: r.language,
    text: r.text,
  };
}

/** The id of the run with this id or external id. */
export async function findExtractionId(db: Db, key: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('extraction')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]))
    .executeTakeFirst();
  return r?.id;
}

/** A run by id, for the decision on one of its facts. */
export async function findReviewRun(db: Db, id: string): Promise<ReviewRun | undefined> {
  const r = await db.selectFrom('extraction').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toReviewRun(r);
}

/** The fact with this id or external id, with its words. */
export async function findProposedFact(db: Db, key: string): Promise<ProposedFactView | undefined> {
  const f = await db
    .selectFrom('proposed_fact')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]))
    .executeTakeFirst();
  if (!f) return undefined;
  const run = await db
    .selectFrom('extraction')
    .select('text')
    .where('id', '=', f.extraction_id)
    .executeTakeFirstOrThrow();
  return toFactView(f, run.text);
}

/** Every fact of a run as it stands, in the order proposed. */
export async function listRunFacts(db: Db, run: ReviewRun): Promise<ProposedFactView[]> {
  const rows = await db
    .selectFrom('proposed_fact')
    .selectAll()
    .where('extraction_id', '=', run.id)
    .orderBy('seq')
    .execute();
  return rows.map((r) => toFactView(r, run.text));
}

/** A person's decision on a fact: who, when, why; and for an acceptance what was changed and the record it became. */
export interface FactDecision {
  status: 'rejected' | 'accepted' | 'edited';
  decidedBy: string;
  decidedAt: string;
  reason: string | null;
  edits?: Record<string, unknown> | null;
  record?: { type: string; id: string };
}

/** Records a decision on a fact (an audited `action`; a fact changed since `version` is `record.conflict`). */
export async function decideProposedFact(
  w: AuditedWriter,
  id: string,
  d: FactDecision,
  opts: { version: number; action: string },
): Promise<{ id: string; status: string; version: number }> {
  const row = await w.update(
    'proposed_fact',
    id,
    {
      status: d.status,
      decided_by: d.decidedBy,
      decided_at: d.decidedAt,
      decision_reason: d.reason,
      ...(d.edits !== undefined ? { edits: d.edits === null ? null : toJson(d.edits) } : {}),
      ...(d.record ? { record_type: d.record.type, record_id: d.record.id } : {}),
    },
    { expectedVersion: opts.version, action: opts.action },
  );
  return { id: row.id, status: row.status, version: Number(row.version) };
}

/** Links a run to the Source of its article (an audited `link_source`); answers the run as it now is. */
export async function linkExtractionSource(w: AuditedWriter, runId: string, sourceId: string): Promise<ReviewRun> {
  return toReviewRun(await w.update('extraction', runId, { source_id: sourceId }, { action: 'link_source' }));
}
