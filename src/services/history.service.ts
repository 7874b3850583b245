import type { Kysely } from 'kysely';
import type { AuditEntry } from '../domain/entities/audit-entry.ts';
import { VigilError } from '../domain/errors.ts';
import { FIELDS, type RefKind, type Text } from '../domain/history-fields.ts';
import { actorText, entryText, type HistoryRefs } from '../domain/history-text.ts';
import { isLimited, type GuardedKind } from '../domain/policy.ts';
import { VOCABULARIES } from '../domain/vocabularies.ts';
import type { AuditChange } from '../store/audit-changes.ts';
import {
  allegationCase,
  entriesOfAllegationCase,
  entriesOfPeople,
  entriesOfRecord,
  proceedingNames,
  refNames,
  type HistoryRead,
} from '../store/repositories/history.repository.ts';
import { findAllegationKey } from '../store/repositories/allegation.repository.ts';
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

/** An entry read, its changes parsed: what the filters and the presentation work on. */
type Read = HistoryRead;

/** The record a change's value points to, when its field names one (see history-fields.ts). */
function refKindOf(entityType: string, field: string): RefKind | undefined {
  const v = FIELDS[entityType]?.[field]?.value;
  return typeof v === 'object' && 'ref' in v ? v.ref : undefined;
}

/** The set under `key` in `map`, put there empty the first time. */
function setIn<K>(map: Map<K, Set<string>>, key: K): Set<string> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

/** Every record id the changes point to, by kind. */
function referenced(reads: readonly Read[]): Map<RefKind, Set<string>> {
  const out = new Map<RefKind, Set<string>>();
  for (const r of reads) {
    for (const c of r.changes ?? []) {
      const kind = refKindOf(r.entry.entityType, c.field);
      if (!kind || !('from' in c)) continue;
      for (const v of [c.from, c.to]) if (typeof v === 'string') setIn(out, kind).add(v);
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
  const add = (kind: GuardedKind, id: string | undefined) => id !== undefined && setIn(ids, kind).add(id);
  const ENTITY_KINDS: Record<string, GuardedKind> = {
    person: 'person',
    evidence_item: 'evidence_item',
    custody_event: 'custody_event',
    proceeding: 'proceeding',
  };
  for (const r of reads) {
    const kind = ENTITY_KINDS[r.entry.entityType];
    if (kind) add(kind, r.entry.entityId);
    if (r.entry.entityType === 'proceeding_stage') add('proceeding', r.entry.entityId.split(':')[0]);
    if (r.entry.entityType === 'allegation_person')
      add('person', pick(r.changes, 'person_id') ?? links.get(r.entry.entityId));
    if (r.entry.entityType === 'allegation_source')
      add('source', pick(r.changes, 'source_id') ?? links.get(r.entry.entityId));
  }
  for (const [kind, set] of referenced(reads))
    if (GUARDED_REFS.has(kind)) for (const id of set) add(kind as GuardedKind, id);
  const hidden = new Map<GuardedKind, Set<string>>();
  for (const [kind, set] of ids) hidden.set(kind, await hiddenIds(db, kind, [...set], viewer.id));
  const isHidden = (kind: GuardedKind, id: string | undefined) =>
    id === undefined || (hidden.get(kind)?.has(id) ?? false);

  const out: Read[] = [];
  for (const r of reads) {
    const { entityType: type, entityId: id } = r.entry;
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
    out.push({ entry: r.entry, changes });
  }
  return out;
}

/** Kinds named by a name (and a Russian one, when the record has it) read as is. */
const NAMED_KINDS = [
  'person',
  'source',
  'facility',
  'area',
  'organization',
  'allegation',
  'statement',
  'visit',
] as const;

/** The names of every record the entries point to (and of their actors), as the reader sees them. */
async function namesFor(
  db: Kysely<Database>,
  reads: readonly Read[],
): Promise<{ refs: HistoryRefs; users: Map<string, string> }> {
  const wanted = referenced(reads);
  const want = (kind: RefKind) => setIn(wanted, kind);
  for (const r of reads) {
    want('user').add(r.entry.actor);
    if (r.entry.entityType === 'person') want('person').add(r.entry.entityId);
    if (r.entry.entityType === 'proceeding') want('proceeding').add(r.entry.entityId);
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
    (c) => refNames(db, 'user', c),
    (u) => {
      users.set(u.id, u.en);
      put('user', u.id, u.en);
    },
  );
  for (const kind of NAMED_KINDS)
    await each(
      kind,
      (c) => refNames(db, kind, c),
      (n) => put(kind, n.id, n.en, n.ru ?? n.en),
    );
  await each(
    'proceeding',
    (c) => proceedingNames(db, c),
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
  return reads.map(({ entry: r, changes }) => {
    const actorName = users.get(r.actor) ?? null;
    const text = entryText({ action: r.action, entityType: r.entityType, entityId: r.entityId, changes }, refs);
    return {
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      actorName,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      stateHash: r.stateHash,
      reason: r.reason,
      prevHash: r.prevHash,
      hash: r.hash,
      actorLabel: actorText(r.actor, actorName),
      changes,
      label: text.label,
      details: text.details,
    };
  });
}

/** Who changed what and when, for any record and its parts (acts, links, stages), read from the audit log (Vigil's own reader: nothing hidden). */
export async function recordHistory(svc: Services, id: string): Promise<HistoryEntry[]> {
  return present(svc.store.db, await entriesOfRecord(svc.store.db, id));
}

/**
 * The history of a record named by `key`: an allegation's (id or external id) as its page shows it,
 * with its team, proceedings, evidence and the people it names (see {@link allegationHistory});
 * any other record's with its parts.
 */
export async function historyOfKey(svc: Services, actor: Actor, key: string): Promise<HistoryEntry[]> {
  const isAllegation = await findAllegationKey(svc.store.db, key);
  return isAllegation ? allegationHistory(svc, actor, key) : recordHistory(svc, key);
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
  const a = await findAllegationKey(db, key);
  if (!a || !(await may(db, actor, 'read', 'allegation', a.id)))
    throw new VigilError('record.not_found', `no allegation "${key}"`, { path: 'id' });
  const c = await allegationCase(db, a.id);
  const reads = await entriesOfAllegationCase(db, c);

  // The people the case names now or named before (a link's changes keep its person after it is removed).
  const personIds = new Set<string>([...c.personLinks.map((p) => p.personId), ...c.victimIds]);
  for (const r of reads) {
    const named =
      r.entry.entityType === 'allegation_person'
        ? pick(r.changes, 'person_id')
        : r.entry.entityType === 'allegation_act'
          ? pick(r.changes, 'victim_id')
          : undefined;
    if (named) personIds.add(named);
  }
  if (personIds.size > 0) {
    reads.push(...(await entriesOfPeople(db, [...personIds])));
    reads.sort((x, y) => x.entry.seq - y.entry.seq);
  }
  // What each stored link points to, for entries that do not say it themselves (written before changes were recorded).
  const links = new Map<string, string>([
    ...c.personLinks.map((p) => [p.id, p.personId] as const),
    ...c.sourceLinks.map((s) => [s.id, s.sourceId] as const),
  ]);
  return present(db, await visibleTo(db, actor, reads, links));
}
