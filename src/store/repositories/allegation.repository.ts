import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AuditedWriter, InsertValues } from '../audited-writer.ts';
import { executeCompiled } from '../compiled-query.ts';
import type { CatChecklist } from '../../domain/cat-checklist.ts';
import type { Allegation } from '../../domain/entities/allegation.ts';
import type { AllegationTable, Database } from '../schema.ts';
import { NEED_TO_KNOW_SENSITIVITIES, whereVisibleTo } from './allegation-access.repository.ts';
import { parseJson, toJson } from './json-column.ts';
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
      const sensitivities = v.slice(i, i + NEED_TO_KNOW_SENSITIVITIES.length) as string[];
      i += NEED_TO_KNOW_SENSITIVITIES.length;
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

type Handle = Kysely<Database> | Transaction<Database>;

/** A new allegation's stored fields (JSON fields as values; the writer adds the version columns). */
export interface NewAllegation {
  id: string;
  externalId: string | null;
  title: string;
  summary: string | null;
  period: { start: string | null; end: string | null; precision: string; text: string | null };
  facilityId: string | null;
  areaId: string | null;
  classification: string;
  classificationRationale: string | null;
  catChecklist: unknown;
  verificationStatus: string;
  priorStatus: string | null;
  sensitivity: string;
  risk: string;
  urgent: boolean;
  consent: readonly string[];
  duplicateOf: string | null;
}

/** An allegation's row for a new allegation. */
function allegationColumns(a: NewAllegation): InsertValues<'allegation'> {
  return {
    id: a.id,
    external_id: a.externalId,
    title: a.title,
    summary: a.summary,
    period_start: a.period.start,
    period_end: a.period.end,
    period_precision: a.period.precision,
    period_text: a.period.text,
    facility_id: a.facilityId,
    area_id: a.areaId,
    classification: a.classification,
    classification_rationale: a.classificationRationale,
    cat_checklist: a.catChecklist ? toJson(a.catChecklist) : null,
    verification_status: a.verificationStatus,
    prior_status: a.priorStatus,
    sensitivity: a.sensitivity,
    risk: a.risk,
    urgent: a.urgent ? 1 : 0,
    consent: toJson(a.consent),
    duplicate_of: a.duplicateOf,
  };
}

/** Stores a new allegation (audited); the stored row, for the search index. */
export function insertAllegation(w: AuditedWriter, a: NewAllegation): Promise<Selectable<AllegationTable>> {
  return w.insert('allegation', allegationColumns(a));
}

/** An allegation's workflow state as the status change reads it. */
export interface AllegationState {
  id: string;
  verificationStatus: string;
  priorStatus: string | null;
  urgent: boolean;
  duplicateOf: string | null;
  /** The consent scopes, as stored (JSON). */
  consent: string;
}

/** The workflow state of an allegation, by id; undefined when none. */
export async function findAllegationState(db: Handle, id: string): Promise<AllegationState | undefined> {
  const a = await db
    .selectFrom('allegation')
    .select(['id', 'verification_status', 'prior_status', 'urgent', 'duplicate_of', 'consent'])
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    a && {
      id: a.id,
      verificationStatus: a.verification_status,
      priorStatus: a.prior_status,
      urgent: Boolean(a.urgent),
      duplicateOf: a.duplicate_of,
      consent: a.consent,
    }
  );
}

/** The status of an allegation known to exist, and what it duplicates. */
export async function allegationStatusOf(
  db: Handle,
  id: string,
): Promise<{ verificationStatus: string; duplicateOf: string | null }> {
  const t = await db
    .selectFrom('allegation')
    .select(['verification_status', 'duplicate_of'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { verificationStatus: t.verification_status, duplicateOf: t.duplicate_of };
}

/** An allegation's CAT checklist (parsed), by id: undefined when the allegation does not exist, null when it has none. */
export async function findCatChecklist(db: Handle, id: string): Promise<CatChecklist | null | undefined> {
  const a = await db.selectFrom('allegation').select(['cat_checklist']).where('id', '=', id).executeTakeFirst();
  if (!a) return undefined;
  return a.cat_checklist ? JSON.parse(a.cat_checklist) : null;
}

/** A status change of an allegation: the new status, the one to return to, the urgency, the original, and a new risk. */
export interface StatusChange {
  verificationStatus: string;
  priorStatus: string | null;
  urgent: boolean;
  duplicateOf: string | null;
  risk?: string;
}

/** Stores a status change (audited, with the expected version when given). */
export function updateAllegationStatus(
  w: AuditedWriter,
  id: string,
  c: StatusChange,
  opts: { expectedVersion?: number; action: string },
): Promise<Selectable<AllegationTable>> {
  return w.update(
    'allegation',
    id,
    {
      verification_status: c.verificationStatus,
      prior_status: c.priorStatus,
      urgent: c.urgent ? 1 : 0,
      duplicate_of: c.duplicateOf,
      ...(c.risk ? { risk: c.risk } : {}),
    },
    opts,
  );
}

/** Stores a classification, its rationale and the CAT checklist (audited, `classify`). */
export function updateAllegationClassification(
  w: AuditedWriter,
  id: string,
  c: { classification: string; rationale: string; catChecklist: unknown },
  expectedVersion: number | undefined,
): Promise<Selectable<AllegationTable>> {
  return w.update(
    'allegation',
    id,
    {
      classification: c.classification,
      classification_rationale: c.rationale,
      cat_checklist: c.catChecklist ? toJson(c.catChecklist) : null,
    },
    { expectedVersion, action: 'classify' },
  );
}

/** The kinds of an allegation's acts, for the search index. */
export async function actKindsOf(db: Handle, allegationId: string): Promise<string[]> {
  const acts = await db.selectFrom('allegation_act').select('kind').where('allegation_id', '=', allegationId).execute();
  return acts.map((x) => x.kind);
}

/** The facility an area belongs to (the area known to exist). */
export async function areaFacilityId(db: Handle, areaId: string): Promise<string> {
  const area = await db.selectFrom('area').select('facility_id').where('id', '=', areaId).executeTakeFirstOrThrow();
  return area.facility_id;
}

/** What the verification guards read about an allegation's sources, victims and acts. */
export interface GuardInputs {
  links: {
    id: string;
    url: string | null;
    outlet: string | null;
    handle: string | null;
    kind: string;
    relation: string;
  }[];
  victims: { custody: string; risk: string }[];
  actCount: number;
}

/** The sources an allegation cites (with the link's relation), its victims' custody and risk, and its number of acts. */
export async function guardInputsOf(db: Handle, allegationId: string): Promise<GuardInputs> {
  const links = await db
    .selectFrom('allegation_source')
    .innerJoin('source', 'source.id', 'allegation_source.source_id')
    .select(['source.id', 'source.url', 'source.outlet', 'source.handle', 'source.kind', 'allegation_source.relation'])
    .where('allegation_source.allegation_id', '=', allegationId)
    .execute();
  const victims = await db
    .selectFrom('allegation_person')
    .innerJoin('person', 'person.id', 'allegation_person.person_id')
    .select(['person.custody', 'person.risk'])
    .where('allegation_person.allegation_id', '=', allegationId)
    .where('allegation_person.role', '=', 'victim')
    .execute();
  const actCount = Number(
    (
      await db
        .selectFrom('allegation_act')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('allegation_id', '=', allegationId)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return { links, victims, actCount };
}

/** An allegation by id or external id, with its sensitivity; undefined when none. */
export async function findAllegationKey(
  db: Handle,
  key: string,
): Promise<{ id: string; sensitivity: string } | undefined> {
  return db
    .selectFrom('allegation')
    .select(['id', 'sensitivity'])
    .where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]))
    .executeTakeFirst();
}

/** Where an allegation happened: its facility and area; undefined when the allegation does not exist. */
export async function findAllegationPlace(
  db: Handle,
  id: string,
): Promise<{ facilityId: string | null; areaId: string | null } | undefined> {
  const a = await db
    .selectFrom('allegation')
    .select(['facility_id', 'area_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  return a && { facilityId: a.facility_id, areaId: a.area_id };
}

/** A change of what an allegation says: the fields given change, the others keep their values; the place is always set. */
export interface AllegationChange {
  title?: string;
  summary?: string;
  sensitivity?: string;
  risk?: string;
  consent?: readonly string[];
  catChecklist?: unknown;
  period?: NewAllegation['period'];
  facilityId: string | null;
  areaId: string | null;
}

/** Stores a change of what an allegation says (audited, with the expected version when given). */
export function updateAllegationFields(
  w: AuditedWriter,
  id: string,
  c: AllegationChange,
  expectedVersion: number | undefined,
): Promise<Selectable<AllegationTable>> {
  const json = (v: unknown) => (v === null ? null : toJson(v));
  return w.update(
    'allegation',
    id,
    {
      ...(c.title !== undefined ? { title: c.title } : {}),
      ...(c.summary !== undefined ? { summary: c.summary } : {}),
      ...(c.sensitivity !== undefined ? { sensitivity: c.sensitivity } : {}),
      ...(c.risk !== undefined ? { risk: c.risk } : {}),
      ...(c.consent !== undefined ? { consent: toJson(c.consent) } : {}),
      ...(c.catChecklist !== undefined ? { cat_checklist: json(c.catChecklist) } : {}),
      ...(c.period
        ? {
            period_start: c.period.start,
            period_end: c.period.end,
            period_precision: c.period.precision,
            period_text: c.period.text,
          }
        : {}),
      facility_id: c.facilityId,
      area_id: c.areaId,
    },
    { expectedVersion },
  );
}
