import type { ExpressionBuilder, Kysely, RawBuilder, Selectable } from 'kysely';
import type { Person } from '../../domain/entities/person.ts';
import type { Proceeding } from '../../domain/entities/proceeding.ts';
import type { Source } from '../../domain/entities/source.ts';
import type { Recommendation, Visit } from '../../domain/entities/visit.ts';
import type { Database } from '../schema.ts';
import { parseJson } from './json-column.ts';
import { visibleCondition } from './need-to-know.repository.ts';
import { toPerson } from './person.repository.ts';

/** The record of one of these tables named by its id or its external id. */
const byKey = (key: string) => (eb: ExpressionBuilder<Database, 'person' | 'source' | 'proceeding' | 'visit'>) =>
  eb.or([eb('id', '=', key), eb('external_id', '=', key)]);

/**
 * Need-to-know on a query of a guarded table: `visibleTo` is the user whose case teams limit the
 * rows (src/domain/policy.ts), undefined only for Vigil's own work. Every read of people,
 * sources and proceedings takes it, so none can forget it.
 */
function visible<Q extends { where: (c: RawBuilder<boolean>) => Q }>(
  q: Q,
  kind: 'person' | 'source' | 'proceeding',
  visibleTo: string | undefined,
): Q {
  return visibleTo === undefined ? q : q.where(visibleCondition(kind, `${kind}.id`, visibleTo));
}

/** People by pseudonym, without identity (the columns are sealed; only `hasIdentity` says one exists). */
export async function listPeople(
  db: Kysely<Database>,
  o: { limit: number; after?: string; role?: string; visibleTo: string | undefined },
): Promise<Person[]> {
  let q = visible(db.selectFrom('person').selectAll().orderBy('pseudonym').limit(o.limit), 'person', o.visibleTo);
  if (o.after) q = q.where('pseudonym', '>', o.after);
  if (o.role) q = q.where('roles', 'like', `%"${o.role}"%`);
  return (await q.execute()).map(toPerson);
}

/** One person, without identity. */
export async function findPerson(
  db: Kysely<Database>,
  key: string,
  visibleTo: string | undefined,
): Promise<Person | undefined> {
  const r = await visible(
    db.selectFrom('person').selectAll().where(byKey(key)),
    'person',
    visibleTo,
  ).executeTakeFirst();
  return r && toPerson(r);
}

function toSource(r: Selectable<Database['source']>): Source {
  return {
    id: r.id,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    kind: r.kind,
    title: r.title,
    url: r.url,
    outlet: r.outlet,
    handle: r.handle,
    language: r.language,
    publishedAt: r.published_at,
    collectedAt: r.collected_at,
    collectedBy: r.collected_by,
    reliability: r.reliability,
    credibility: r.credibility,
    summary: r.summary,
    content: r.content,
  };
}

/** Sources by id, optionally of one kind. */
export async function listSources(
  db: Kysely<Database>,
  o: { limit: number; after?: string; kind?: string; visibleTo: string | undefined },
): Promise<Source[]> {
  let q = visible(db.selectFrom('source').selectAll().orderBy('id').limit(o.limit), 'source', o.visibleTo);
  if (o.after) q = q.where('id', '>', o.after);
  if (o.kind) q = q.where('kind', '=', o.kind);
  return (await q.execute()).map(toSource);
}

/** One source. */
export async function findSource(
  db: Kysely<Database>,
  key: string,
  visibleTo: string | undefined,
): Promise<Source | undefined> {
  const r = await visible(
    db.selectFrom('source').selectAll().where(byKey(key)),
    'source',
    visibleTo,
  ).executeTakeFirst();
  return r && toSource(r);
}

async function withStages(db: Kysely<Database>, rows: Selectable<Database['proceeding']>[]): Promise<Proceeding[]> {
  if (rows.length === 0) return [];
  const stages = await db
    .selectFrom('proceeding_stage')
    .selectAll()
    .where(
      'proceeding_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    allegationId: r.allegation_id,
    parentId: r.parent_id,
    kind: r.kind,
    stage: r.stage,
    body: r.body,
    reference: r.reference,
    erdrNumber: r.erdr_number,
    codeArticle: r.code_article,
    codePart: r.code_part,
    outcome: r.outcome,
    openedOn: r.opened_on,
    stageOn: r.stage_on,
    stages: stages
      .filter((s) => s.proceeding_id === r.id)
      .map((s) => ({
        seq: Number(s.seq),
        stage: s.stage,
        onDate: s.on_date,
        sourceId: s.source_id,
        decidedBy: s.decided_by,
        details: parseJson<Record<string, unknown>>(s.details, {}),
      })),
  }));
}

/** Proceedings by id, optionally of one allegation, kind or stage. */
export async function listProceedings(
  db: Kysely<Database>,
  o: {
    limit: number;
    after?: string;
    allegationId?: string;
    kind?: string;
    stage?: string;
    visibleTo: string | undefined;
  },
): Promise<Proceeding[]> {
  let q = visible(db.selectFrom('proceeding').selectAll().orderBy('id').limit(o.limit), 'proceeding', o.visibleTo);
  if (o.after) q = q.where('id', '>', o.after);
  if (o.allegationId) q = q.where('allegation_id', '=', o.allegationId);
  if (o.kind) q = q.where('kind', '=', o.kind);
  if (o.stage) q = q.where('stage', '=', o.stage);
  return withStages(db, await q.execute());
}

/** One proceeding with its stages. */
export async function findProceeding(
  db: Kysely<Database>,
  key: string,
  visibleTo: string | undefined,
): Promise<Proceeding | undefined> {
  const r = await visible(
    db.selectFrom('proceeding').selectAll().where(byKey(key)),
    'proceeding',
    visibleTo,
  ).executeTakeFirst();
  return r ? (await withStages(db, [r]))[0] : undefined;
}

/** A visit with its recommendations. */
export type VisitWithRecommendations = Visit & { recommendations: Recommendation[] };

const list = (text: string | null): string[] | null => (text === null ? null : parseJson<string[]>(text, []));

async function withRecommendations(
  db: Kysely<Database>,
  rows: Selectable<Database['visit']>[],
): Promise<VisitWithRecommendations[]> {
  if (rows.length === 0) return [];
  const recs = await db
    .selectFrom('recommendation')
    .selectAll()
    .where(
      'visit_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    facilityId: r.facility_id,
    body: r.body,
    visitDate: r.visit_date,
    visitType: r.visit_type,
    mode: r.mode,
    status: r.status,
    team: parseJson<string[]>(r.team, []),
    safeguards: parseJson<Record<string, string>>(r.safeguards, {}),
    findings: r.findings,
    findingsPublic: r.findings_public,
    responseDue: r.response_due,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    areaIds: list(r.area_ids),
    registersExamined: list(r.registers_examined),
    refusedAccess: list(r.refused_access),
    cancellationReason: r.cancellation_reason,
    replyStatementId: r.reply_statement_id,
    recommendations: recs
      .filter((x) => x.visit_id === r.id)
      .map((x) => ({
        id: x.id,
        text: x.text,
        addressee: x.addressee,
        deadline: x.deadline,
        status: x.status,
        version: x.version,
        replyStatementId: x.reply_statement_id,
        claimStatementId: x.claim_statement_id,
        followUpVisitId: x.follow_up_visit_id,
        evidenceSourceId: x.evidence_source_id,
        findingId: x.finding_id,
        commitmentStatementId: x.commitment_statement_id,
      })),
  }));
}

/** Visits by id (stable for paging), optionally of one facility. */
export async function listVisits(
  db: Kysely<Database>,
  o: { limit: number; after?: string; facilityId?: string },
): Promise<VisitWithRecommendations[]> {
  let q = db.selectFrom('visit').selectAll().orderBy('id').limit(o.limit);
  if (o.after) q = q.where('id', '>', o.after);
  if (o.facilityId) q = q.where('facility_id', '=', o.facilityId);
  return withRecommendations(db, await q.execute());
}

/** One visit with its recommendations. */
export async function findVisit(db: Kysely<Database>, key: string): Promise<VisitWithRecommendations | undefined> {
  const r = await db.selectFrom('visit').selectAll().where(byKey(key)).executeTakeFirst();
  return r ? (await withRecommendations(db, [r]))[0] : undefined;
}
