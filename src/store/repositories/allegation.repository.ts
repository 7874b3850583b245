import { sql, type Kysely, type Selectable } from 'kysely';
import { executeCompiled } from '../compiled-query.ts';
import type { Allegation } from '../../domain/entities/allegation.ts';
import type { AllegationTable, Database } from '../schema.ts';
import { NEED_TO_KNOW_SENSITIVITIES, whereVisibleTo } from './allegation-access.repository.ts';
import { parseJson } from './json-column.ts';
import { hiddenIds } from './need-to-know.repository.ts';

/**
 * Loads allegations with their acts, victims, perpetrators and sources (batched: one query per
 * part). A person or source that need-to-know hides from `visibleTo` (linked also to a case
 * outside their teams) is left out of the parts, and an act's victim shows as not recorded.
 */
export async function loadAllegations(
  db: Kysely<Database>,
  rows: Selectable<AllegationTable>[],
  visibleTo: string | undefined,
): Promise<Allegation[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // Compiled once per part and number of ids: a page of the list runs these on every request.
  const shape = (table: string) => `allegation-part\u0000${table}\u0000${ids.length}`;
  const [acts, people, sources] = await Promise.all([
    executeCompiled(db, shape('allegation_act'), ids, (v) =>
      db
        .selectFrom('allegation_act')
        .selectAll()
        .where('allegation_id', 'in', v as string[])
        .orderBy('id')
        .compile(),
    ),
    executeCompiled(db, shape('allegation_person'), ids, (v) =>
      db
        .selectFrom('allegation_person')
        .selectAll()
        .where('allegation_id', 'in', v as string[])
        .orderBy('id')
        .compile(),
    ),
    executeCompiled(db, shape('allegation_source'), ids, (v) =>
      db
        .selectFrom('allegation_source')
        .selectAll()
        .where('allegation_id', 'in', v as string[])
        .orderBy('id')
        .compile(),
    ),
  ]);
  const [hiddenPeople, hiddenSources] =
    visibleTo === undefined
      ? [new Set<string>(), new Set<string>()]
      : await Promise.all([
          hiddenIds(
            db,
            'person',
            [...people.map((p) => p.person_id), ...acts.flatMap((a) => (a.victim_id ? [a.victim_id] : []))],
            visibleTo,
          ),
          hiddenIds(
            db,
            'source',
            sources.map((s) => s.source_id),
            visibleTo,
          ),
        ]);
  const shownPerson = (id: string | null) => (id !== null && hiddenPeople.has(id) ? null : id);
  return rows.map((r) => ({
    id: r.id,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    title: r.title,
    summary: r.summary,
    period: { start: r.period_start, end: r.period_end, precision: r.period_precision, text: r.period_text },
    facilityId: r.facility_id,
    areaId: r.area_id,
    classification: r.classification,
    classificationRationale: r.classification_rationale,
    catChecklist: parseJson<unknown>(r.cat_checklist, null),
    verificationStatus: r.verification_status,
    priorStatus: r.prior_status,
    sensitivity: r.sensitivity,
    risk: r.risk,
    urgent: r.urgent === 1,
    consent: parseJson<string[]>(r.consent, []),
    duplicateOf: r.duplicate_of,
    acts: acts
      .filter((a) => a.allegation_id === r.id)
      .map((a) => ({
        id: a.id,
        kind: a.kind,
        victimId: shownPerson(a.victim_id),
        areaId: a.area_id,
        description: a.description,
      })),
    victims: people
      .filter((p) => p.allegation_id === r.id && p.role === 'victim' && !hiddenPeople.has(p.person_id))
      .map((p) => ({ personId: p.person_id })),
    perpetrators: people
      .filter((p) => p.allegation_id === r.id && p.role === 'alleged_perpetrator' && !hiddenPeople.has(p.person_id))
      .map((p) => ({ personId: p.person_id, perpetratorKind: p.perpetrator_kind })),
    sources: sources
      .filter((s) => s.allegation_id === r.id && !hiddenSources.has(s.source_id))
      .map((s) => ({ sourceId: s.source_id, relation: s.relation })),
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
  /** Need-to-know: only allegations this user may see (src/domain/policy.ts); undefined only for Vigil's own work. */
  visibleTo: string | undefined;
}

/** Lists allegations ordered by id (stable for cursor paging). */
export async function listAllegations(db: Kysely<Database>, f: AllegationFilter): Promise<Allegation[]> {
  // The values in the order Kysely binds them (filters, need-to-know, limit); the SQL of each
  // combination of filters is compiled once (executeCompiled falls back if the order is wrong).
  const params: unknown[] = [];
  const shape: string[] = ['allegation-list'];
  for (const [key, value] of [
    ['facility', f.facilityId],
    ['status', f.status],
    ['classification', f.classification],
    ['after', f.after],
  ] as const) {
    if (value) {
      params.push(value);
      shape.push(key);
    }
  }
  if (f.visibleTo !== undefined) {
    params.push(...NEED_TO_KNOW_SENSITIVITIES, f.visibleTo);
    shape.push('visible');
  }
  params.push(f.limit);
  const rows = await executeCompiled(db, shape.join('\u0000'), params, (v) => {
    let i = 0;
    let q = db.selectFrom('allegation').selectAll().orderBy('id');
    if (f.facilityId) q = q.where('facility_id', '=', v[i++] as string);
    if (f.status) q = q.where('verification_status', '=', v[i++] as string);
    if (f.classification) q = q.where('classification', '=', v[i++] as string);
    if (f.after) q = q.where('id', '>', v[i++] as string);
    if (f.visibleTo !== undefined) {
      const sensitivities = v.slice(i, (i += NEED_TO_KNOW_SENSITIVITIES.length)) as string[];
      q = whereVisibleTo(q, v[i++] as string, sensitivities);
    }
    return q.limit(v[i] as number).compile();
  });
  return loadAllegations(db, rows, f.visibleTo);
}

/** One allegation by id or external id, if `visibleTo` may see it (undefined: hidden or missing, the same). */
export async function findAllegation(
  db: Kysely<Database>,
  key: string,
  visibleTo: string | undefined,
): Promise<Allegation | undefined> {
  let q = db
    .selectFrom('allegation')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]));
  if (visibleTo !== undefined) q = whereVisibleTo(q, visibleTo);
  const r = await q.orderBy(sql`case when id = ${key} then 0 else 1 end`).executeTakeFirst();
  return r ? (await loadAllegations(db, [r], visibleTo))[0] : undefined;
}
