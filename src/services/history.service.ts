import type { ExpressionBuilder, Kysely } from 'kysely';
import type { AuditEntry } from '../domain/entities/audit-entry.ts';
import { VigilError } from '../domain/errors.ts';
import { FIELDS, type RefKind, type Text } from '../domain/history-fields.ts';
import { actorText, entryText, type HistoryRefs } from '../domain/history-text.ts';
import { isLimited, type GuardedKind } from '../domain/policy.ts';
import { VOCABULARIES } from '../domain/vocabularies.ts';
import { decodeChanges, type AuditChange } from '../store/audit-changes.ts';
import { hiddenIds } from '../store/repositories/need-to-know.repository.ts';
import type { Database } from '../store/schema.ts';
import { may, type Viewer } from './policy.ts';
import type { Actor, Services } from './context.ts';

/**
 * One line of a record's history: the audit entry, who did it (username), what changed, and the
 * same in words, in English and Russian (`label`, one `details` line per change).
 */
export type HistoryEntry = AuditEntry & {
  actorName: string | null;
  actorLabel: Text;
  /** What changed: `{ field, from, to }`, or `{ field, changed: true }` for a sensitive field; null when the entry records none. */
  changes: AuditChange[] | null;
  label: Text;
  details: Text[];
};

type Row = Database['audit_entry'];
type Where = ReturnType<ExpressionBuilder<Database, 'audit_entry'>['or']>;

/** A record and its parts: ids of parts are the record's id, a colon and a number (`<id>:001`), so a range finds them. */
function idOrParts(eb: ExpressionBuilder<Database, 'audit_entry'>, id: string) {
  return eb.or([eb('entity_id', '=', id), eb.and([eb('entity_id', '>=', `${id}:`), eb('entity_id', '<', `${id};`)])]);
}

/** {@link idOrParts} of one entity type, so the (entity_type, entity_id) index serves it. */
function withParts(eb: ExpressionBuilder<Database, 'audit_entry'>, type: string, id: string) {
  return eb.and([eb('entity_type', '=', type), idOrParts(eb, id)]);
}

async function select(
  db: Kysely<Database>,
  where: (eb: ExpressionBuilder<Database, 'audit_entry'>) => Where,
): Promise<Row[]> {
  return (await db.selectFrom('audit_entry').selectAll().where(where).orderBy('seq').execute()) as Row[];
}

/** An entry read, its changes parsed: what the filters and the presentation work on. */
interface Read {
  row: Row;
  changes: AuditChange[] | null;
}

/** The record a change's value points to, when its field names one (see history-fields.ts). */
function refKindOf(entityType: string, field: string): RefKind | undefined {
  const v = FIELDS[entityType]?.[field]?.value;
  return typeof v === 'object' && 'ref' in v ? v.ref : undefined;
}

/** Every record id the changes point to, by kind. */
function referenced(reads: readonly Read[]): Map<RefKind, Set<string>> {
  const out = new Map<RefKind, Set<string>>();
  for (const r of reads) {
    for (const c of r.changes ?? []) {
      const kind = refKindOf(r.row.entity_type, c.field);
      if (!kind || !('from' in c)) continue;
      for (const v of [c.from, c.to])
        if (typeof v === 'string') (out.get(kind) ?? out.set(kind, new Set()).get(kind)!).add(v);
    }
  }
  return out;
}

const pick = (changes: AuditChange[] | null, field: string): string | undefined => {
  const c = changes?.find((x) => x.field === field);
  const v = c && 'from' in c ? (c.to ?? c.from) : undefined;
  return typeof v === 'string' ? v : undefined;
};

/** Ref kinds that need-to-know guards: a change pointing to a hidden one is left out. */
const GUARDED_REFS: ReadonlySet<RefKind> = new Set(['person', 'source', 'allegation', 'proceeding']);

/**
 * Need-to-know on a history (src/domain/policy.ts): what `viewer` may not read leaves no trace.
 * An entry about a hidden record (a person, a file, a custody event, a proceeding and its stages)
 * goes; so does a link to a hidden person or source (the link is the person), and a link whose
 * person or source cannot be told any more (removed before changes were recorded); a change that
 * points to a hidden record (an act's victim, a stage's source) is left out of its entry.
 */
async function visibleTo(
  db: Kysely<Database>,
  viewer: Viewer,
  reads: Read[],
  links: ReadonlyMap<string, string>,
): Promise<Read[]> {
  if (!isLimited(viewer)) return reads;
  const ids = new Map<GuardedKind, Set<string>>();
  const add = (kind: GuardedKind, id: string | undefined) =>
    id !== undefined && (ids.get(kind) ?? ids.set(kind, new Set()).get(kind)!).add(id);
  const ENTITY_KINDS: Record<string, GuardedKind> = {
    person: 'person',
    evidence_item: 'evidence_item',
    custody_event: 'custody_event',
    proceeding: 'proceeding',
  };
  for (const r of reads) {
    const kind = ENTITY_KINDS[r.row.entity_type];
    if (kind) add(kind, r.row.entity_id);
    if (r.row.entity_type === 'proceeding_stage') add('proceeding', r.row.entity_id.split(':')[0]);
    if (r.row.entity_type === 'allegation_person')
      add('person', pick(r.changes, 'person_id') ?? links.get(r.row.entity_id));
    if (r.row.entity_type === 'allegation_source')
      add('source', pick(r.changes, 'source_id') ?? links.get(r.row.entity_id));
  }
  for (const [kind, set] of referenced(reads))
    if (GUARDED_REFS.has(kind)) for (const id of set) add(kind as GuardedKind, id);
  const hidden = new Map<GuardedKind, Set<string>>();
  for (const [kind, set] of ids) hidden.set(kind, await hiddenIds(db, kind, [...set], viewer.id));
  const isHidden = (kind: GuardedKind, id: string | undefined) =>
    id === undefined || (hidden.get(kind)?.has(id) ?? false);

  const out: Read[] = [];
  for (const r of reads) {
    const { entity_type: type, entity_id: id } = r.row;
    const kind = ENTITY_KINDS[type];
    if (kind && isHidden(kind, id)) continue;
    if (type === 'proceeding_stage' && isHidden('proceeding', id.split(':')[0])) continue;
    if (type === 'allegation_person' && isHidden('person', pick(r.changes, 'person_id') ?? links.get(id))) continue;
    if (type === 'allegation_source' && isHidden('source', pick(r.changes, 'source_id') ?? links.get(id))) continue;
    const changes =
      r.changes?.filter((c) => {
        const ref = refKindOf(type, c.field);
        if (!ref || !GUARDED_REFS.has(ref) || !('from' in c)) return true;
        return [c.from, c.to].every((v) => typeof v !== 'string' || !isHidden(ref as GuardedKind, v));
      }) ?? null;
    out.push({ row: r.row, changes });
  }
  return out;
}

/** The names of every record the entries point to (and of their actors), as the reader sees them. */
async function namesFor(
  db: Kysely<Database>,
  reads: readonly Read[],
): Promise<{ refs: HistoryRefs; users: Map<string, string> }> {
  const wanted = referenced(reads);
  const want = (kind: RefKind) => wanted.get(kind) ?? wanted.set(kind, new Set()).get(kind)!;
  for (const r of reads) {
    want('user').add(r.row.actor);
    if (r.row.entity_type === 'person') want('person').add(r.row.entity_id);
    if (r.row.entity_type === 'proceeding') want('proceeding').add(r.row.entity_id);
  }
  const names = new Map<string, Text>();
  const key = (kind: RefKind, id: string) => `${kind}\u0000${id}`;
  const put = (kind: RefKind, id: string, en: string, ru = en) => names.set(key(kind, id), { en, ru });
  const ids = (kind: RefKind) => [...(wanted.get(kind) ?? [])];
  const CHUNK = 500;
  const each = async <T>(kind: RefKind, load: (chunk: string[]) => Promise<T[]>, use: (row: T) => void) => {
    const all = ids(kind);
    for (let i = 0; i < all.length; i += CHUNK) for (const row of await load(all.slice(i, i + CHUNK))) use(row);
  };
  const users = new Map<string, string>();
  await each(
    'user',
    (c) => db.selectFrom('app_user').select(['id', 'username']).where('id', 'in', c).execute(),
    (u) => {
      users.set(u.id, u.username);
      put('user', u.id, u.username);
    },
  );
  await each(
    'person',
    (c) => db.selectFrom('person').select(['id', 'pseudonym']).where('id', 'in', c).execute(),
    (p) => put('person', p.id, p.pseudonym),
  );
  await each(
    'source',
    (c) => db.selectFrom('source').select(['id', 'title']).where('id', 'in', c).execute(),
    (s) => put('source', s.id, s.title),
  );
  await each(
    'facility',
    (c) => db.selectFrom('facility').select(['id', 'name', 'name_ru']).where('id', 'in', c).execute(),
    (f) => put('facility', f.id, f.name, f.name_ru ?? f.name),
  );
  await each(
    'area',
    (c) => db.selectFrom('area').select(['id', 'label', 'label_ru']).where('id', 'in', c).execute(),
    (a) => put('area', a.id, a.label, a.label_ru ?? a.label),
  );
  await each(
    'organization',
    (c) => db.selectFrom('organization').select(['id', 'name', 'name_ru']).where('id', 'in', c).execute(),
    (o) => put('organization', o.id, o.name, o.name_ru ?? o.name),
  );
  await each(
    'allegation',
    (c) => db.selectFrom('allegation').select(['id', 'title']).where('id', 'in', c).execute(),
    (a) => put('allegation', a.id, a.title),
  );
  await each(
    'statement',
    (c) => db.selectFrom('statement').select(['id', 'gist']).where('id', 'in', c).execute(),
    (s) => put('statement', s.id, s.gist),
  );
  await each(
    'visit',
    (c) => db.selectFrom('visit').select(['id', 'body', 'visit_date']).where('id', 'in', c).execute(),
    (v) => put('visit', v.id, `${v.body}, ${v.visit_date}`),
  );
  await each(
    'proceeding',
    (c) => db.selectFrom('proceeding').select(['id', 'kind', 'reference']).where('id', 'in', c).execute(),
    (p) => {
      const kind = VOCABULARIES.proceeding_kind.find((k) => k.id === p.kind);
      const ref = p.reference ? ` ${p.reference}` : '';
      put('proceeding', p.id, `${kind?.en ?? p.kind}${ref}`, `${kind?.ru ?? p.kind}${ref}`);
    },
  );
  return { refs: { name: (kind, id) => names.get(key(kind, id)) }, users };
}

async function present(db: Kysely<Database>, reads: Read[]): Promise<HistoryEntry[]> {
  const { refs, users } = await namesFor(db, reads);
  return reads.map(({ row: r, changes }) => {
    const actorName = users.get(r.actor) ?? null;
    const text = entryText({ action: r.action, entityType: r.entity_type, entityId: r.entity_id, changes }, refs);
    return {
      seq: Number(r.seq),
      at: r.at,
      actor: r.actor,
      actorName,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      stateHash: r.state_hash,
      reason: r.reason,
      prevHash: r.prev_hash,
      hash: r.hash,
      actorLabel: actorText(r.actor, actorName),
      changes,
      label: text.label,
      details: text.details,
    };
  });
}

const read = (rows: Row[]): Read[] => rows.map((row) => ({ row, changes: decodeChanges(row.changes) }));

/** Who changed what and when, for any record and its parts (acts, links, stages), read from the audit log (Vigil's own reader: nothing hidden). */
export async function recordHistory(svc: Services, id: string): Promise<HistoryEntry[]> {
  return present(svc.store.db, read(await select(svc.store.db, (eb) => idOrParts(eb, id))));
}

/**
 * The history of an allegation as its case page shows it: the allegation and its acts, people
 * and source links, its case team, its two-analyst proposals, its proceedings and their stages, its
 * evidence items and their custody events, and the records and identity reveals of the people it
 * names. Need-to-know applies: an allegation `actor` may not see is `record.not_found`, and what
 * they may not see within it leaves no trace (see {@link visibleTo}).
 */
export async function allegationHistory(svc: Services, actor: Actor, key: string): Promise<HistoryEntry[]> {
  const db = svc.store.db;
  const a = await db
    .selectFrom('allegation')
    .select(['id', 'sensitivity'])
    .where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]))
    .executeTakeFirst();
  if (!a || !(await may(db, actor, 'read', 'allegation', a.id)))
    throw new VigilError('record.not_found', `no allegation "${key}"`, { path: 'id' });
  const [proceedings, items, team, proposals, people, acts, sources] = await Promise.all([
    db.selectFrom('proceeding').select('id').where('allegation_id', '=', a.id).execute(),
    db.selectFrom('evidence_item').select('id').where('allegation_id', '=', a.id).execute(),
    db.selectFrom('allegation_assignment').select('id').where('allegation_id', '=', a.id).execute(),
    db.selectFrom('allegation_proposal').select('id').where('allegation_id', '=', a.id).execute(),
    db.selectFrom('allegation_person').select(['id', 'person_id']).where('allegation_id', '=', a.id).execute(),
    db.selectFrom('allegation_act').select(['id', 'victim_id']).where('allegation_id', '=', a.id).execute(),
    db.selectFrom('allegation_source').select(['id', 'source_id']).where('allegation_id', '=', a.id).execute(),
  ]);
  const itemIds = items.map((i) => i.id);
  const custody = itemIds.length
    ? await db.selectFrom('custody_event').select('id').where('evidence_item_id', 'in', itemIds).execute()
    : [];
  const byId = (eb: ExpressionBuilder<Database, 'audit_entry'>, type: string, ids: string[]) =>
    ids.length ? [eb.and([eb('entity_type', '=', type), eb('entity_id', 'in', ids)])] : [];
  const reads = read(
    await select(db, (eb) =>
      eb.or([
        eb.and([eb('entity_type', '=', 'allegation'), eb('entity_id', '=', a.id)]),
        ...['allegation_act', 'allegation_person', 'allegation_source'].map((t) => withParts(eb, t, a.id)),
        ...byId(
          eb,
          'allegation_assignment',
          team.map((t) => t.id),
        ),
        ...byId(
          eb,
          'allegation_proposal',
          proposals.map((p) => p.id),
        ),
        ...byId(
          eb,
          'proceeding',
          proceedings.map((p) => p.id),
        ),
        ...proceedings.map((p) => withParts(eb, 'proceeding_stage', p.id)),
        ...byId(eb, 'evidence_item', itemIds),
        ...byId(
          eb,
          'custody_event',
          custody.map((c) => c.id),
        ),
      ]),
    ),
  );

  // The people the case names now or named before (a link's changes keep its person after it is removed).
  const personIds = new Set<string>([
    ...people.map((p) => p.person_id),
    ...acts.flatMap((x) => (x.victim_id ? [x.victim_id] : [])),
  ]);
  for (const r of reads) {
    const named =
      r.row.entity_type === 'allegation_person'
        ? pick(r.changes, 'person_id')
        : r.row.entity_type === 'allegation_act'
          ? pick(r.changes, 'victim_id')
          : undefined;
    if (named) personIds.add(named);
  }
  if (personIds.size > 0) {
    const list = [...personIds];
    for (let i = 0; i < list.length; i += 500) {
      const chunk = list.slice(i, i + 500);
      reads.push(
        ...read(
          await select(db, (eb) => eb.or([eb.and([eb('entity_type', '=', 'person'), eb('entity_id', 'in', chunk)])])),
        ),
      );
    }
    reads.sort((x, y) => Number(x.row.seq) - Number(y.row.seq));
  }
  // What each stored link points to, for entries that do not say it themselves (written before changes were recorded).
  const links = new Map<string, string>([
    ...people.map((p) => [p.id, p.person_id] as const),
    ...sources.map((s) => [s.id, s.source_id] as const),
  ]);
  return present(db, await visibleTo(db, actor, reads, links));
}
