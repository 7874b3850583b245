import type { Kysely, Transaction } from 'kysely';
import type { AuditedWriter } from '../audited-writer.ts';
import type { Database } from '../schema.ts';

type Handle = Kysely<Database> | Transaction<Database>;

/** A person named in an allegation: a victim or an alleged perpetrator (with the kind of perpetrator). */
export interface PersonPart {
  personId: string;
  role: string;
  perpetratorKind: string | null;
}

/** An act of an allegation: its kind, the victim it was done to and the area it was done in. */
export interface ActPart {
  kind: string;
  victimId: string | null;
  areaId: string | null;
  description: string | null;
}

/** A source an allegation cites, and how (reports, corroborates...). */
export interface SourcePart {
  sourceId: string;
  relation: string;
}

/** What each kind of part says (besides its id and allegation). */
export interface PartContent {
  person: PersonPart;
  act: ActPart;
  source: SourcePart;
}

/** The kinds of an allegation's parts, each an audited record of its own. */
export type PartKind = keyof PartContent;

/** A stored part: its id and what it says. */
export type StoredPart<K extends PartKind> = PartContent[K] & { id: string };

const TABLE = { person: 'allegation_person', act: 'allegation_act', source: 'allegation_source' } as const;

/** The stored parts of one kind of an allegation, by id; people only in `role` when given. */
export async function listAllegationParts<K extends PartKind>(
  db: Handle,
  kind: K,
  allegationId: string,
  role?: string,
): Promise<StoredPart<K>[]>;
export async function listAllegationParts(
  db: Handle,
  kind: PartKind,
  allegationId: string,
  role?: string,
): Promise<StoredPart<PartKind>[]> {
  if (kind === 'person') {
    let q = db.selectFrom('allegation_person').selectAll().where('allegation_id', '=', allegationId);
    if (role) q = q.where('role', '=', role);
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, personId: r.person_id, role: r.role, perpetratorKind: r.perpetrator_kind }));
  }
  if (kind === 'act') {
    const rows = await db
      .selectFrom('allegation_act')
      .selectAll()
      .where('allegation_id', '=', allegationId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      victimId: r.victim_id,
      areaId: r.area_id,
      description: r.description,
    }));
  }
  const rows = await db
    .selectFrom('allegation_source')
    .selectAll()
    .where('allegation_id', '=', allegationId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, sourceId: r.source_id, relation: r.relation }));
}

/** Adds a part to an allegation (an audited create). */
export async function insertAllegationPart<K extends PartKind>(
  w: AuditedWriter,
  kind: K,
  part: { id: string; allegationId: string; content: PartContent[K] },
): Promise<void>;
export async function insertAllegationPart(
  w: AuditedWriter,
  kind: PartKind,
  part: { id: string; allegationId: string; content: PartContent[PartKind] },
): Promise<void> {
  const { id, allegationId: allegation_id } = part;
  const c = part.content;
  if (kind === 'person' && 'personId' in c) {
    await w.insert('allegation_person', {
      id,
      allegation_id,
      person_id: c.personId,
      role: c.role,
      perpetrator_kind: c.perpetratorKind,
    });
  } else if (kind === 'act' && 'kind' in c) {
    await w.insert('allegation_act', {
      id,
      allegation_id,
      kind: c.kind,
      victim_id: c.victimId,
      area_id: c.areaId,
      description: c.description,
    });
  } else if (kind === 'source' && 'sourceId' in c) {
    await w.insert('allegation_source', { id, allegation_id, source_id: c.sourceId, relation: c.relation });
  } else {
    throw new Error(`a part of kind ${kind} was given the content of another kind`);
  }
}

/** Removes a part of an allegation (an audited delete). */
export function removeAllegationPart(w: AuditedWriter, kind: PartKind, id: string): Promise<void> {
  return w.remove(TABLE[kind], id);
}
