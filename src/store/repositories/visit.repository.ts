/** Monitoring visits (`visit`) and the recommendations they issue (`recommendation`): the writes and reads of their workflows. */
import type { Kysely, Transaction } from 'kysely';
import type { AuditedWriter } from '../audited-writer.ts';
import type { Database } from '../schema.ts';
import { parseJson, toJson } from './json-column.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A list stored as JSON, null when not recorded (unlike an empty list). */
const listColumn = (list: readonly string[] | undefined | null): string | null => (list ? toJson(list) : null);
/** A JSON list column: null stays "not recorded", unlike an empty list. */
const listOf = (text: string | null): string[] | undefined =>
  text === null ? undefined : parseJson<string[]>(text, []);

/**
 * The columns that hold a value; the rest keep their default (null). Planning a visit then names
 * only the columns visits had before 0005, so it still works on a store migrated that far.
 */
function given<T extends Record<string, string | null>>(columns: T): Partial<T> {
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== null)) as Partial<T>;
}

/** What a visit's conduct and follow-up record; references are record ids. */
export interface VisitProgress {
  startedAt?: string | undefined;
  endedAt?: string | undefined;
  areaIds?: readonly string[] | undefined;
  registersExamined?: readonly string[] | undefined;
  refusedAccess?: readonly string[] | undefined;
  cancellationReason?: string | undefined;
  responseDue?: string | undefined;
  replyStatementId?: string | undefined;
}

/** A new visit, its references resolved. */
export interface NewVisit extends VisitProgress {
  id: string;
  externalId?: string | undefined;
  facilityId: string;
  body: string;
  visitDate: string;
  visitType: string;
  mode: string;
  status: string;
  team: readonly string[];
  safeguards: Readonly<Record<string, string>>;
  findings?: string | undefined;
  findingsPublic?: string | undefined;
}

/** Records a new visit. */
export async function insertVisit(w: AuditedWriter, v: NewVisit): Promise<void> {
  await w.insert('visit', {
    id: v.id,
    external_id: v.externalId ?? null,
    facility_id: v.facilityId,
    body: v.body,
    visit_date: v.visitDate,
    visit_type: v.visitType,
    mode: v.mode,
    status: v.status,
    team: toJson(v.team),
    safeguards: toJson(v.safeguards),
    findings: v.findings ?? null,
    findings_public: v.findingsPublic ?? null,
    response_due: v.responseDue ?? null,
    ...given({
      started_at: v.startedAt ?? null,
      ended_at: v.endedAt ?? null,
      area_ids: listColumn(v.areaIds),
      registers_examined: listColumn(v.registersExamined),
      refused_access: listColumn(v.refusedAccess),
      cancellation_reason: v.cancellationReason ?? null,
      reply_statement_id: v.replyStatementId ?? null,
    }),
  });
}

/** A visit as its workflow reads it. */
export interface StoredVisit extends Omit<NewVisit, 'externalId' | 'findings' | 'findingsPublic'> {
  version: number;
  findings: string | null;
  findingsPublic: string | null;
}

/** The visit `id`, or undefined. */
export async function findVisit(db: Db, id: string): Promise<StoredVisit | undefined> {
  const v = await db.selectFrom('visit').selectAll().where('id', '=', id).executeTakeFirst();
  return (
    v && {
      id: v.id,
      version: Number(v.version),
      facilityId: v.facility_id,
      body: v.body,
      visitDate: v.visit_date,
      visitType: v.visit_type,
      mode: v.mode,
      status: v.status,
      team: parseJson<string[]>(v.team, []),
      safeguards: parseJson<Record<string, string>>(v.safeguards, {}),
      findings: v.findings,
      findingsPublic: v.findings_public,
      responseDue: v.response_due ?? undefined,
      startedAt: v.started_at ?? undefined,
      endedAt: v.ended_at ?? undefined,
      areaIds: listOf(v.area_ids),
      registersExamined: listOf(v.registers_examined),
      refusedAccess: listOf(v.refused_access),
      cancellationReason: v.cancellation_reason ?? undefined,
      replyStatementId: v.reply_statement_id ?? undefined,
    }
  );
}

/** The status and findings of visit `id`, or undefined. */
export async function findVisitOutcome(
  db: Db,
  id: string,
): Promise<{ id: string; status: string; findings: string | null } | undefined> {
  return db.selectFrom('visit').select(['id', 'status', 'findings']).where('id', '=', id).executeTakeFirst();
}

/** Writes a visit's new status with what the step recorded (audited as `action`); returns the new version. */
export async function updateVisitStep(
  w: AuditedWriter,
  id: string,
  step: VisitProgress & {
    status: string;
    safeguards: Readonly<Record<string, string>>;
    findings: string | null;
    findingsPublic: string | null;
  },
  opts: { expectedVersion: number; action: string },
): Promise<number> {
  const row = await w.update(
    'visit',
    id,
    {
      status: step.status,
      started_at: step.startedAt ?? null,
      ended_at: step.endedAt ?? null,
      area_ids: listColumn(step.areaIds),
      registers_examined: listColumn(step.registersExamined),
      refused_access: listColumn(step.refusedAccess),
      cancellation_reason: step.cancellationReason ?? null,
      response_due: step.responseDue ?? null,
      reply_statement_id: step.replyStatementId ?? null,
      safeguards: toJson(step.safeguards),
      findings: step.findings,
      findings_public: step.findingsPublic,
    },
    opts,
  );
  return Number(row.version);
}

/** The references a recommendation's follow-up records, as record ids (null: none). */
export interface RecommendationLinks {
  replyStatementId: string | null;
  claimStatementId: string | null;
  followUpVisitId: string | null;
  evidenceSourceId: string | null;
  findingId: string | null;
  commitmentStatementId: string | null;
}

/** Records a new recommendation of a visit. */
export async function insertRecommendation(
  w: AuditedWriter,
  r: {
    id: string;
    externalId?: string | undefined;
    visitId: string;
    text: string;
    addressee: string;
    deadline: string;
    status: string;
  } & RecommendationLinks,
): Promise<void> {
  await w.insert('recommendation', {
    id: r.id,
    external_id: r.externalId ?? null,
    visit_id: r.visitId,
    text: r.text,
    addressee: r.addressee,
    deadline: r.deadline,
    status: r.status,
    ...given({
      reply_statement_id: r.replyStatementId,
      claim_statement_id: r.claimStatementId,
      follow_up_visit_id: r.followUpVisitId,
      evidence_source_id: r.evidenceSourceId,
      finding_id: r.findingId,
      commitment_statement_id: r.commitmentStatementId,
    }),
  });
}

/** A recommendation as its workflow reads it. */
export interface StoredRecommendation extends RecommendationLinks {
  id: string;
  version: number;
  visitId: string;
  addressee: string;
  deadline: string;
  status: string;
}

/** The recommendation `id`, or undefined. */
export async function findRecommendation(db: Db, id: string): Promise<StoredRecommendation | undefined> {
  const r = await db.selectFrom('recommendation').selectAll().where('id', '=', id).executeTakeFirst();
  return (
    r && {
      id: r.id,
      version: Number(r.version),
      visitId: r.visit_id,
      addressee: r.addressee,
      deadline: r.deadline,
      status: r.status,
      replyStatementId: r.reply_statement_id,
      claimStatementId: r.claim_statement_id,
      followUpVisitId: r.follow_up_visit_id,
      evidenceSourceId: r.evidence_source_id,
      findingId: r.finding_id,
      commitmentStatementId: r.commitment_statement_id,
    }
  );
}

/** Writes a recommendation's new status and references (audited as `action`); returns the new version. */
export async function updateRecommendationStep(
  w: AuditedWriter,
  id: string,
  step: { status: string } & RecommendationLinks,
  opts: { expectedVersion: number; action: string },
): Promise<number> {
  const row = await w.update(
    'recommendation',
    id,
    {
      status: step.status,
      reply_statement_id: step.replyStatementId,
      claim_statement_id: step.claimStatementId,
      follow_up_visit_id: step.followUpVisitId,
      evidence_source_id: step.evidenceSourceId,
      finding_id: step.findingId,
      commitment_statement_id: step.commitmentStatementId,
    },
    opts,
  );
  return Number(row.version);
}

/** The source of statement `id` (the source a claim came from), or undefined. */
export async function findStatementSource(db: Db, statementId: string): Promise<string | undefined> {
  const r = await db.selectFrom('statement').select('source_id').where('id', '=', statementId).executeTakeFirst();
  return r?.source_id;
}
