/** The writes of proceedings and their stages (`proceeding`, `proceeding_stage`), and what a new stage reads first. */
import type { Kysely, Transaction } from 'kysely';
import type { AuditedWriter } from '../audited-writer.ts';
import type { Database } from '../schema.ts';
import { toJson } from './json-column.ts';

type Handle = Kysely<Database> | Transaction<Database>;

/** A new proceeding at its first stage, dated the day it opened (codes and outcome come with later stages). */
export interface NewProceeding {
  id: string;
  externalId: string | null;
  allegationId: string | null;
  parentId: string | null;
  kind: string;
  stage: string;
  body: string;
  reference: string | null;
  openedOn: string;
}

/** Stores a new proceeding (audited). */
export async function insertProceeding(w: AuditedWriter, p: NewProceeding): Promise<void> {
  await w.insert('proceeding', {
    id: p.id,
    external_id: p.externalId,
    allegation_id: p.allegationId,
    parent_id: p.parentId,
    kind: p.kind,
    stage: p.stage,
    body: p.body,
    reference: p.reference,
    erdr_number: null,
    code_article: null,
    code_part: null,
    outcome: null,
    opened_on: p.openedOn,
    stage_on: p.openedOn,
  });
}

/** A stage of a proceeding, the `seq`-th: its id is the proceeding's, a colon and the number (`<id>:001`). */
export interface NewStage {
  proceedingId: string;
  seq: number;
  stage: string;
  onDate: string;
  sourceId: string | null;
  decidedBy: string | null;
  /** What the stage records (body, reference, codes, outcome…), stored as JSON. */
  details: object;
  recordedBy: string;
}

/** Stores a stage of a proceeding (audited, as a part of it). */
export async function insertStage(w: AuditedWriter, s: NewStage): Promise<void> {
  await w.insert('proceeding_stage', {
    id: `${s.proceedingId}:${String(s.seq).padStart(3, '0')}`,
    proceeding_id: s.proceedingId,
    seq: s.seq,
    stage: s.stage,
    on_date: s.onDate,
    source_id: s.sourceId,
    decided_by: s.decidedBy,
    details: toJson(s.details),
    recorded_by: s.recordedBy,
  });
}

/** What the next stage of a proceeding reads: its kind, stage and the stage's date, and what a linked proceeding inherits. */
export interface ProceedingState {
  id: string;
  kind: string;
  stage: string;
  stageOn: string;
  allegationId: string | null;
  body: string;
  reference: string | null;
}

/** A proceeding's state, by id; undefined when none. */
export async function findProceedingState(db: Handle, id: string): Promise<ProceedingState | undefined> {
  const p = await db.selectFrom('proceeding').selectAll().where('id', '=', id).executeTakeFirst();
  return (
    p && {
      id: p.id,
      kind: p.kind,
      stage: p.stage,
      stageOn: p.stage_on,
      allegationId: p.allegation_id,
      body: p.body,
      reference: p.reference,
    }
  );
}

/** The number of a proceeding's last stage (0 when it has none). */
export async function lastStageSeq(db: Handle, proceedingId: string): Promise<number> {
  const last = await db
    .selectFrom('proceeding_stage')
    .select('seq')
    .where('proceeding_id', '=', proceedingId)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return Number(last?.seq ?? 0);
}

/** A proceeding's move to a new stage, with the codes and outcome the stage records (those left out keep their values). */
export interface StageChange {
  stage: string;
  stageOn: string;
  erdrNumber?: string;
  article?: string;
  part?: string;
  outcome?: string;
}

/** Stores a proceeding's move to a new stage (audited, with the expected version when given). */
export async function updateProceedingStage(
  w: AuditedWriter,
  id: string,
  c: StageChange,
  opts: { expectedVersion?: number; action: string },
): Promise<void> {
  await w.update(
    'proceeding',
    id,
    {
      stage: c.stage,
      stage_on: c.stageOn,
      ...(c.erdrNumber ? { erdr_number: c.erdrNumber } : {}),
      ...(c.article ? { code_article: c.article } : {}),
      ...(c.part ? { code_part: c.part } : {}),
      ...(c.outcome ? { outcome: c.outcome } : {}),
    },
    opts,
  );
}
