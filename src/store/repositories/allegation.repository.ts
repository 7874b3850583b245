import type { Kysely, Selectable } from 'kysely';
import type { Allegation } from '../../domain/entities/allegation.ts';
import type { AllegationTable, Database } from '../schema.ts';
import { whereVisibleTo } from './allegation-access.repository.ts';
import { parseJson } from './json-column.ts';

/** Loads allegations with their acts, victims, perpetrators and sources (batched: one query per part). */
export async function loadAllegations(db: Kysely<Database>, rows: Selectable<AllegationTable>[]): Promise<Allegation[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [acts, people, sources] = await Promise.all([
    db.selectFrom('allegation_act').selectAll().where('allegation_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('allegation_person').selectAll().where('allegation_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('allegation_source').selectAll().where('allegation_id', 'in', ids).orderBy('id').execute(),
  ]);
  return rows.map((r) => ({
    id: r.id, externalId: r.external_id, createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
    title: r.title, summary: r.summary,
    period: { start: r.period_start, end: r.period_end, precision: r.period_precision, text: r.period_text },
    facilityId: r.facility_id, areaId: r.area_id, classification: r.classification,
    classificationRationale: r.classification_rationale, catChecklist: parseJson<unknown>(r.cat_checklist, null),
    verificationStatus: r.verification_status, priorStatus: r.prior_status, sensitivity: r.sensitivity, risk: r.risk, urgent: r.urgent === 1,
    consent: parseJson<string[]>(r.consent, []), duplicateOf: r.duplicate_of,
    acts: acts.filter((a) => a.allegation_id === r.id).map((a) => ({ id: a.id, kind: a.kind, victimId: a.victim_id, areaId: a.area_id, description: a.description })),
    victims: people.filter((p) => p.allegation_id === r.id && p.role === 'victim').map((p) => ({ personId: p.person_id })),
    perpetrators: people
      .filter((p) => p.allegation_id === r.id && p.role === 'alleged_perpetrator')
      .map((p) => ({ personId: p.person_id, perpetratorKind: p.perpetrator_kind })),
    sources: sources.filter((s) => s.allegation_id === r.id).map((s) => ({ sourceId: s.source_id, relation: s.relation })),
  }));
}

/** Filters for listing allegations. */
export interface AllegationFilter {
  facilityId?: string;
  status?: string;
  classification?: string;
  /** Keyset cursor: the id after which to continue. */
  after?: string;
  limit: number;
  /** Need-to-know: only allegations this user may see (see allegation-access.repository.ts); absent: all. */
  visibleTo?: string;
}

/** Lists allegations ordered by id (stable for cursor paging). */
export async function listAllegations(db: Kysely<Database>, f: AllegationFilter): Promise<Allegation[]> {
  let q = db.selectFrom('allegation').selectAll().orderBy('id').limit(f.limit);
  if (f.facilityId) q = q.where('facility_id', '=', f.facilityId);
  if (f.status) q = q.where('verification_status', '=', f.status);
  if (f.classification) q = q.where('classification', '=', f.classification);
  if (f.after) q = q.where('id', '>', f.after);
  if (f.visibleTo !== undefined) q = whereVisibleTo(q, f.visibleTo);
  return loadAllegations(db, await q.execute());
}

/** One allegation by id or external id. */
export async function findAllegation(db: Kysely<Database>, key: string): Promise<Allegation | undefined> {
  const r = await db.selectFrom('allegation').selectAll().where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)])).executeTakeFirst();
  return r ? (await loadAllegations(db, [r]))[0] : undefined;
}
