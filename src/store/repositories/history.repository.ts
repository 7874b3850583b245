/**
 * The reads behind a record's history: audit entries of a record and its parts, of an allegation's
 * case, of people, and the names of the records the entries point to. Entries come back as domain
 * audit entries with their changes parsed.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { AuditEntry } from '../../domain/entities/audit-entry.ts';
import type { RefKind } from '../../domain/history-fields.ts';
import { decodeChanges, type AuditChange } from '../audit-changes.ts';
import type { Database } from '../schema.ts';

type Eb = ExpressionBuilder<Database, 'audit_entry'>;
type Where = ReturnType<Eb['or']>;

/** An audit entry as a history reads it, its changes parsed (null when it records none). */
export interface HistoryRead {
  entry: AuditEntry;
  changes: AuditChange[] | null;
}

/** A record and its parts: ids of parts are the record's id, a colon and a number (`<id>:001`), so a range finds them. */
function idOrParts(eb: Eb, id: string) {
  return eb.or([eb('entity_id', '=', id), eb.and([eb('entity_id', '>=', `${id}:`), eb('entity_id', '<', `${id};`)])]);
}

/** {@link idOrParts} of one entity type, so the (entity_type, entity_id) index serves it. */
function withParts(eb: Eb, type: string, id: string) {
  return eb.and([eb('entity_type', '=', type), idOrParts(eb, id)]);
}

async function select(db: Kysely<Database>, where: (eb: Eb) => Where): Promise<HistoryRead[]> {
  const rows = await db.selectFrom('audit_entry').selectAll().where(where).orderBy('seq').execute();
  return rows.map((r) => ({
    entry: {
      seq: Number(r.seq),
      at: r.at,
      actor: r.actor,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      stateHash: r.state_hash,
      reason: r.reason,
      prevHash: r.prev_hash,
      hash: r.hash,
    },
    changes: decodeChanges(r.changes),
  }));
}

/** Every entry about a record and its parts (acts, links, stages), in sequence order. */
export function entriesOfRecord(db: Kysely<Database>, id: string): Promise<HistoryRead[]> {
  return select(db, (eb) => idOrParts(eb, id));
}

/** The records of an allegation's case whose entries its history shows. */
export interface AllegationCase {
  id: string;
  proceedingIds: string[];
  evidenceItemIds: string[];
  custodyEventIds: string[];
  assignmentIds: string[];
  proposalIds: string[];
  /** The stored person links: link id and the person it names. */
  personLinks: { id: string; personId: string }[];
  /** The victims of its acts (acts without one left out). */
  victimIds: string[];
  /** The stored source links: link id and the source it cites. */
  sourceLinks: { id: string; sourceId: string }[];
}

/** The ids of every record of an allegation's case that has history of its own. */
export async function allegationCase(db: Kysely<Database>, id: string): Promise<AllegationCase> {
  const [proceedings, items, team, proposals, people, acts, sources] = await Promise.all([
    db.selectFrom('proceeding').select('id').where('allegation_id', '=', id).execute(),
    db.selectFrom('evidence_item').select('id').where('allegation_id', '=', id).execute(),
    db.selectFrom('allegation_assignment').select('id').where('allegation_id', '=', id).execute(),
    db.selectFrom('allegation_proposal').select('id').where('allegation_id', '=', id).execute(),
    db.selectFrom('allegation_person').select(['id', 'person_id']).where('allegation_id', '=', id).execute(),
    db.selectFrom('allegation_act').select(['id', 'victim_id']).where('allegation_id', '=', id).execute(),
    db.selectFrom('allegation_source').select(['id', 'source_id']).where('allegation_id', '=', id).execute(),
  ]);
  const evidenceItemIds = items.map((i) => i.id);
  const custody = evidenceItemIds.length
    ? await db.selectFrom('custody_event').select('id').where('evidence_item_id', 'in', evidenceItemIds).execute()
    : [];
  return {
    id,
    proceedingIds: proceedings.map((p) => p.id),
    evidenceItemIds,
    custodyEventIds: custody.map((c) => c.id),
    assignmentIds: team.map((t) => t.id),
    proposalIds: proposals.map((p) => p.id),
    personLinks: people.map((p) => ({ id: p.id, personId: p.person_id })),
    victimIds: acts.flatMap((x) => (x.victim_id ? [x.victim_id] : [])),
    sourceLinks: sources.map((s) => ({ id: s.id, sourceId: s.source_id })),
  };
}

/**
 * Every entry about an allegation's case: the allegation and its acts, people and source links,
 * its case team, its proposals, its proceedings and their stages, its evidence items and their
 * custody events; in sequence order.
 */
export function entriesOfAllegationCase(db: Kysely<Database>, c: AllegationCase): Promise<HistoryRead[]> {
  const byId = (eb: Eb, type: string, ids: string[]) =>
    ids.length ? [eb.and([eb('entity_type', '=', type), eb('entity_id', 'in', ids)])] : [];
  return select(db, (eb) =>
    eb.or([
      eb.and([eb('entity_type', '=', 'allegation'), eb('entity_id', '=', c.id)]),
      ...['allegation_act', 'allegation_person', 'allegation_source'].map((t) => withParts(eb, t, c.id)),
      ...byId(eb, 'allegation_assignment', c.assignmentIds),
      ...byId(eb, 'allegation_proposal', c.proposalIds),
      ...byId(eb, 'proceeding', c.proceedingIds),
      ...c.proceedingIds.map((p) => withParts(eb, 'proceeding_stage', p)),
      ...byId(eb, 'evidence_item', c.evidenceItemIds),
      ...byId(eb, 'custody_event', c.custodyEventIds),
    ]),
  );
}

/** The entries about these people (their records and identity reveals), in sequence order, read 500 at a time. */
export async function entriesOfPeople(db: Kysely<Database>, ids: readonly string[]): Promise<HistoryRead[]> {
  const out: HistoryRead[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(
      ...(await select(db, (eb) => eb.or([eb.and([eb('entity_type', '=', 'person'), eb('entity_id', 'in', chunk)])]))),
    );
  }
  return out;
}

/** A record's name as a history shows it: English, and Russian when the record has its own. */
export interface RefName {
  id: string;
  en: string;
  ru: string | null;
}

/** A proceeding as a history names it: its kind (a vocabulary id) and its reference. */
export interface ProceedingName {
  id: string;
  kind: string;
  reference: string | null;
}

/** The names of these records of `kind` (a proceeding: {@link proceedingNames}; a finding has no name of its own); at most 500 ids. */
export async function refNames(
  db: Kysely<Database>,
  kind: Exclude<RefKind, 'proceeding' | 'finding'>,
  ids: readonly string[],
): Promise<RefName[]> {
  const list = [...ids];
  switch (kind) {
    case 'user':
      return (await db.selectFrom('app_user').select(['id', 'username']).where('id', 'in', list).execute()).map(
        (u) => ({ id: u.id, en: u.username, ru: null }),
      );
    case 'person':
      return (await db.selectFrom('person').select(['id', 'pseudonym']).where('id', 'in', list).execute()).map((p) => ({
        id: p.id,
        en: p.pseudonym,
        ru: null,
      }));
    case 'source':
      return (await db.selectFrom('source').select(['id', 'title']).where('id', 'in', list).execute()).map((s) => ({
        id: s.id,
        en: s.title,
        ru: null,
      }));
    case 'facility':
      return (await db.selectFrom('facility').select(['id', 'name', 'name_ru']).where('id', 'in', list).execute()).map(
        (f) => ({ id: f.id, en: f.name, ru: f.name_ru }),
      );
    case 'area':
      return (await db.selectFrom('area').select(['id', 'label', 'label_ru']).where('id', 'in', list).execute()).map(
        (a) => ({ id: a.id, en: a.label, ru: a.label_ru }),
      );
    case 'organization':
      return (
        await db.selectFrom('organization').select(['id', 'name', 'name_ru']).where('id', 'in', list).execute()
      ).map((o) => ({ id: o.id, en: o.name, ru: o.name_ru }));
    case 'allegation':
      return (await db.selectFrom('allegation').select(['id', 'title']).where('id', 'in', list).execute()).map((a) => ({
        id: a.id,
        en: a.title,
        ru: null,
      }));
    case 'statement':
      return (await db.selectFrom('statement').select(['id', 'gist']).where('id', 'in', list).execute()).map((s) => ({
        id: s.id,
        en: s.gist,
        ru: null,
      }));
    case 'visit':
      return (await db.selectFrom('visit').select(['id', 'body', 'visit_date']).where('id', 'in', list).execute()).map(
        (v) => ({ id: v.id, en: `${v.body}, ${v.visit_date}`, ru: null }),
      );
  }
}

/** The kinds and references of these proceedings; at most 500 ids. */
export function proceedingNames(db: Kysely<Database>, ids: readonly string[]): Promise<ProceedingName[]> {
  return db
    .selectFrom('proceeding')
    .select(['id', 'kind', 'reference'])
    .where('id', 'in', [...ids])
    .execute();
}
