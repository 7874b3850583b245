import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CustodyEventTable, Database, EvidenceItemTable } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** An evidence item row as stored. */
export type EvidenceItemRow = Selectable<EvidenceItemTable>;
/** A custody event row as stored. */
export type CustodyEventRow = Selectable<CustodyEventTable>;

/** An item by id or external id. */
export function findEvidenceItem(db: Db, key: string): Promise<EvidenceItemRow | undefined> {
  return db
    .selectFrom('evidence_item')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]))
    .executeTakeFirst();
}

/** The original with these bytes already filed under the same allegation and source (nulls match nulls), if any. */
export function findSameOriginal(
  db: Db,
  sha256: string,
  allegationId: string | null,
  sourceId: string | null,
): Promise<EvidenceItemRow | undefined> {
  let q = db.selectFrom('evidence_item').selectAll().where('sha256', '=', sha256).where('copy_kind', '=', 'original');
  q = allegationId === null ? q.where('allegation_id', 'is', null) : q.where('allegation_id', '=', allegationId);
  q = sourceId === null ? q.where('source_id', 'is', null) : q.where('source_id', '=', sourceId);
  return q.orderBy('created_at').orderBy('id').executeTakeFirst();
}

/** The sensitivity of the allegation an item belongs to, for need-to-know. */
export async function allegationSensitivity(db: Db, allegationId: string): Promise<string | undefined> {
  const row = await db.selectFrom('allegation').select('sensitivity').where('id', '=', allegationId).executeTakeFirst();
  return row?.sensitivity;
}

/** An item's custody log, oldest first. */
export function listCustodyEvents(db: Db, evidenceItemId: string): Promise<CustodyEventRow[]> {
  return db
    .selectFrom('custody_event')
    .selectAll()
    .where('evidence_item_id', '=', evidenceItemId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** The items filed under an allegation, oldest first. */
export function listEvidenceOfAllegation(db: Db, allegationId: string): Promise<EvidenceItemRow[]> {
  return db
    .selectFrom('evidence_item')
    .selectAll()
    .where('allegation_id', '=', allegationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Every stored file once, with the oldest item that names it: what verify re-hashes, in filing order. */
export async function evidenceFilesOldestFirst(db: Db): Promise<Map<string, { itemId: string; size: number }>> {
  const rows = await db
    .selectFrom('evidence_item')
    .select(['id', 'sha256', 'size'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const files = new Map<string, { itemId: string; size: number }>();
  for (const r of rows) if (!files.has(r.sha256)) files.set(r.sha256, { itemId: r.id, size: Number(r.size) });
  return files;
}
