/**
 * The records as import lines, for `vigil export` and `GET /export`: read a page at a time, in an
 * order that re-imports (parents and referenced records first), each row turned into the line
 * that recreates it (references by record id).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ImportType } from '../../domain/entities/import-line.ts';
import { GUARDED_KINDS, type GuardedKind } from '../../domain/policy.ts';
import type { Database } from '../schema.ts';
import { loadAllegations } from './allegation.repository.ts';
import { parseJson } from './json-column.ts';
import { visibleCondition } from './need-to-know.repository.ts';

const isGuarded = (type: string): type is GuardedKind => (GUARDED_KINDS as readonly string[]).includes(type);

/** Which records of a type: of one facility, changed since a date, with or without sealed identities. */
export interface ExportScope {
  facilityId?: string;
  since?: string;
  /**
   * Carry people's sealed identities (ciphertext under this instance's key, bound to each record).
   * Only the console's full export (`vigil export`, acting as system) sets this; the API never does,
   * whoever asks, so ciphertext never leaves over HTTP.
   */
  sealedIdentities?: boolean;
}

/** One import line. */
export type Line = { type: ImportType } & Record<string, unknown>;
type Row = Record<string, unknown> & { id: string };

const PAGE = 1000;

/** Drops null and undefined fields, so a line holds only what the record has. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

const base = (r: { id: string; external_id?: unknown }) => ({ id: r.id, externalId: r.external_id });

/** The types whose line is one row of the table of the same name. */
type SimpleType = Exclude<ImportType, 'allegation' | 'proceeding' | 'visit'>;

/** Turns a stored row into the import line that recreates it (references by record id). */
const TO_LINE: { [T in SimpleType]: (r: Selectable<Database[T]>) => Record<string, unknown> } = {
  organization: (r) => ({
    ...base(r),
    name: r.name,
    nameRu: r.name_ru,
    kind: r.kind,
    aliases: parseJson(r.aliases, []),
    country: r.country,
  }),
  facility: (r) => ({
    ...base(r),
    name: r.name,
    nameRu: r.name_ru,
    kind: r.kind,
    kindDetail: r.kind_detail,
    code: r.code,
    aliases: parseJson(r.aliases, []),
    authority: r.authority,
    region: r.region,
    city: r.city,
    country: r.country,
    capacity: r.capacity,
    cells: r.cells,
    notes: r.notes,
  }),
  person: (r) => ({
    ...base(r),
    roles: parseJson(r.roles, []),
    publicName: r.public_name,
    publicRole: r.public_role,
    organizationId: r.organization_id,
    perpetratorKind: r.perpetrator_kind,
    isUnit: r.is_unit === 1,
    custody: r.custody,
    risk: r.risk,
  }),
  source: (r) => ({
    ...base(r),
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
  }),
  statement: (r) => ({
    ...base(r),
    speakerLabel: r.speaker_label,
    speakerPersonId: r.speaker_person_id,
    speakerOrganizationId: r.speaker_organization_id,
    statedOn: r.stated_on,
    statedPrecision: r.stated_precision,
    statedText: r.stated_text,
    sourceId: r.source_id,
    stance: r.stance,
    gist: r.gist,
    quote: r.quote,
    facilityId: r.facility_id,
    review: r.review_rating
      ? {
          rating: r.review_rating,
          rationale: r.review_rationale ?? '',
          ...(r.review_public ? { publicReview: r.review_public } : {}),
        }
      : undefined,
  }),
  area: (r) => ({
    ...base(r),
    facilityId: r.facility_id,
    parentId: r.parent_id,
    level: r.level,
    label: r.label,
    labelRu: r.label_ru,
    count: r.count,
    floors: r.floors,
    location: r.location,
    access: r.access,
    declaredUse: parseJson(r.declared_use, []),
    declaredBy: r.declared_by,
    declaredInStatementId: r.declared_in_statement_id,
    notes: r.notes,
  }),
  reported_figure: (r) => ({
    ...base(r),
    value: r.value,
    valueMax: r.value_max,
    counts: r.counts,
    countsLabel: r.counts_label,
    scope: r.scope,
    asOf: r.as_of,
    asOfPrecision: r.as_of_precision,
    asOfText: r.as_of_text,
    speakerLabel: r.speaker_label,
    statementId: r.statement_id,
    sourceId: r.source_id,
  }),
  evidence_item: (r) => ({
    ...base(r),
    sourceId: r.source_id,
    allegationId: r.allegation_id,
    sha256: r.sha256,
    size: r.size,
    mediaType: r.media_type,
    originalName: r.original_name,
    capturedFrom: r.captured_from,
    capturedAt: r.captured_at,
    capturedBy: r.captured_by,
    tool: r.tool,
    copyKind: r.copy_kind,
    parentSha256: r.parent_sha256,
    transformation: r.transformation,
  }),
};

/**
 * A person's identity as it leaves in a full export: ciphertext under this instance's key, each
 * value bound to this record id, so it re-imports only as this very record on this instance.
 */
function sealedIdentityOf(r: Row): { sealedIdentity?: Record<string, unknown> } {
  const s = compact({ name: r.name_enc, birthDate: r.birth_date_enc, contacts: r.contacts_enc, notes: r.notes_enc });
  return Object.keys(s).length > 0 ? { sealedIdentity: s } : {};
}

/** Tables whose rows form a tree: parents must be exported before their children. */
const TREES: Partial<Record<ImportType, string>> = {
  area: 'parent_id',
  proceeding: 'parent_id',
  allegation: 'duplicate_of',
};

const FACILITY_COLUMN: Partial<Record<ImportType, string>> = {
  facility: 'id',
  area: 'facility_id',
  statement: 'facility_id',
  allegation: 'facility_id',
  visit: 'facility_id',
};

/**
 * Visits in the order their recommendations allow: a recommendation may rest on another visit (a
 * follow-up visit, a finding), and an import line may refer only to earlier lines, so a visit's
 * depth is the longest chain of such links leading out of it, and lower depths go first. The
 * reference sits on the recommendation, not the visit, so the parent-first walk of TREES does not
 * apply; this walks the visit → visit edges instead. A link to the visit itself needs no order
 * (the import writes the visit before its recommendations) and is left out. A two-pass import
 * would also work but would make a line depend on later lines; this keeps every line importable
 * as it comes.
 *
 * Cycle-safe: a chain of distinct visits is never longer than the number of visits with an outgoing
 * link, so the walk stops there. Without a cycle that bound is never reached; with one, every visit
 * is still exported (on or behind the cycle at the bound, ordered by id), and a re-import refuses the
 * line that refers to a visit not yet written with `reference.missing`: loud, never a silent loss.
 */
const VISIT_DEPTH = sql`WITH RECURSIVE
  e(src, dst) AS (
    SELECT visit_id, follow_up_visit_id FROM recommendation WHERE follow_up_visit_id IS NOT NULL AND follow_up_visit_id <> visit_id
    UNION SELECT visit_id, finding_id FROM recommendation WHERE finding_id IS NOT NULL AND finding_id <> visit_id),
  walk(id, depth) AS (
    SELECT id, 0 FROM visit
    UNION SELECT e.src, walk.depth + 1 FROM walk JOIN e ON e.dst = walk.id WHERE walk.depth < (SELECT count(DISTINCT src) FROM e)),
  d(id, depth) AS (SELECT id, max(depth) FROM walk GROUP BY id)`;

async function* pages(
  db: Kysely<Database>,
  type: ImportType,
  f: ExportScope,
  visibleTo: string | undefined,
): AsyncGenerator<Row[]> {
  const table = type;
  const tree = TREES[type];
  let after: { depth: number; id: string } | null = null;
  for (;;) {
    const conds: ReturnType<typeof sql>[] = [];
    const fcol = FACILITY_COLUMN[type];
    if (f.facilityId) conds.push(fcol ? sql`${sql.ref(`t.${fcol}`)} = ${f.facilityId}` : sql`1 = 0`);
    if (f.since) conds.push(sql`t.updated_at >= ${f.since}`);
    if (visibleTo !== undefined && isGuarded(type)) conds.push(visibleCondition(type, 't.id', visibleTo));
    if (after) conds.push(sql`(d.depth > ${after.depth} OR (d.depth = ${after.depth} AND t.id > ${after.id}))`);
    const where = conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
    // Depth 0 for every row of a flat table; a recursive walk for trees and for visits (VISIT_DEPTH).
    const depth =
      type === 'visit'
        ? VISIT_DEPTH
        : tree
          ? sql`WITH RECURSIVE d(id, depth) AS (SELECT id, 0 FROM ${sql.table(table)} WHERE ${sql.ref(tree)} IS NULL
            UNION ALL SELECT c.id, d.depth + 1 FROM ${sql.table(table)} c JOIN d ON ${sql.ref(`c.${tree}`)} = d.id)`
          : sql`WITH d(id, depth) AS (SELECT id, 0 FROM ${sql.table(table)})`;
    const { rows } = await sql<Row & { _depth: number }>`${depth}
      SELECT t.*, d.depth AS _depth FROM ${sql.table(table)} t JOIN d ON d.id = t.id ${where}
      ORDER BY d.depth, t.id LIMIT ${PAGE}`.execute(db);
    if (rows.length === 0) return;
    yield rows;
    const last = rows.at(-1);
    if (last) after = { depth: Number(last._depth), id: last.id };
  }
}

/**
 * The records of `type` in scope as import lines, those `visibleTo` may see (everyone's when
 * undefined). Memory stays flat whatever the size: records are read a page at a time.
 */
export async function* exportLines(
  db: Kysely<Database>,
  type: ImportType,
  f: ExportScope,
  visibleTo: string | undefined,
): AsyncGenerator<Line> {
  for await (const rows of pages(db, type, f, visibleTo)) {
    if (type === 'allegation') {
      const full = await loadAllegations(db, rows as never, visibleTo);
      for (const a of full) {
        yield {
          type,
          ...compact({
            id: a.id,
            externalId: a.externalId,
            title: a.title,
            summary: a.summary,
            period: compact(a.period),
            facilityId: a.facilityId,
            areaId: a.areaId,
            acts: a.acts.map((x) =>
              compact({ kind: x.kind, victimId: x.victimId, areaId: x.areaId, description: x.description }),
            ),
            victims: a.victims,
            perpetrators: a.perpetrators.map((p) => compact(p)),
            sources: a.sources,
            consent: a.consent,
            sensitivity: a.sensitivity,
            risk: a.risk,
            catChecklist: a.catChecklist ?? undefined,
            verificationStatus: a.verificationStatus,
            priorStatus: a.priorStatus ?? undefined,
            urgent: a.urgent || undefined,
            duplicateOf: a.duplicateOf ?? undefined,
            classification: a.classification,
            classificationRationale: a.classificationRationale,
          }),
        } as Line;
      }
    } else if (type === 'proceeding') {
      const ids = rows.map((r) => r.id);
      const stages = await db
        .selectFrom('proceeding_stage')
        .selectAll()
        .where('proceeding_id', 'in', ids)
        .where('seq', '>', 1)
        .orderBy('proceeding_id')
        .orderBy('seq')
        .execute();
      const first = await db
        .selectFrom('proceeding_stage')
        .select(['proceeding_id', 'source_id', 'decided_by'])
        .where('proceeding_id', 'in', ids)
        .where('seq', '=', 1)
        .execute();
      for (const r of rows) {
        const f1 = first.find((s) => s.proceeding_id === r.id);
        yield {
          type,
          ...compact({
            ...base(r),
            allegationId: r.allegation_id,
            parentId: r.parent_id,
            kind: r.kind,
            body: r.body,
            reference: r.reference,
            openedOn: r.opened_on,
            sourceId: f1?.source_id,
            decidedBy: f1?.decided_by,
            stages: stages
              .filter((s) => s.proceeding_id === r.id)
              .map((s) =>
                compact({
                  to: s.stage,
                  onDate: s.on_date,
                  sourceId: s.source_id,
                  decidedBy: s.decided_by,
                  details: parseJson(s.details, {}),
                }),
              ),
          }),
        } as Line;
      }
    } else if (type === 'visit') {
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
      for (const r of rows) {
        yield {
          type,
          ...compact({
            ...base(r),
            facilityId: r.facility_id,
            body: r.body,
            visitDate: r.visit_date,
            visitType: r.visit_type,
            mode: r.mode,
            status: r.status,
            team: parseJson(r.team as string, []),
            safeguards: parseJson(r.safeguards as string, {}),
            findings: r.findings,
            findingsPublic: r.findings_public,
            responseDue: r.response_due,
            startedAt: r.started_at,
            endedAt: r.ended_at,
            areaIds: parseJson(r.area_ids as string | null, null),
            registersExamined: parseJson(r.registers_examined as string | null, null),
            refusedAccess: parseJson(r.refused_access as string | null, null),
            cancellationReason: r.cancellation_reason,
            replyStatementId: r.reply_statement_id,
            recommendations: recs
              .filter((x) => x.visit_id === r.id)
              .map((x) =>
                compact({
                  id: x.id,
                  externalId: x.external_id,
                  text: x.text,
                  addressee: x.addressee,
                  deadline: x.deadline,
                  status: x.status,
                  replyStatementId: x.reply_statement_id,
                  claimStatementId: x.claim_statement_id,
                  followUpVisitId: x.follow_up_visit_id,
                  evidenceSourceId: x.evidence_source_id,
                  findingId: x.finding_id,
                  commitmentStatementId: x.commitment_statement_id,
                }),
              ),
          }),
        } as Line;
      }
    } else {
      for (const r of rows)
        yield {
          type,
          // A page of `type` holds rows of the table of that name (read with `SELECT t.*`).
          ...compact((TO_LINE[type] as (row: Row) => Record<string, unknown>)(r)),
          ...(type === 'person' && f.sealedIdentities ? sealedIdentityOf(r) : {}),
        } as Line;
    }
  }
}
