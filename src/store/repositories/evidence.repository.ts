import type { Kysely, Selectable, Transaction } from 'kysely';
import type { EvidenceItem } from '../../domain/entities/evidence.ts';
import type { AuditedWriter } from '../audited-writer.ts';
import { toJson } from './json-column.ts';
import type { CustodyEventTable, Database, EvidenceItemTable } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** An evidence item row as stored. */
export type EvidenceItemRow = Selectable<EvidenceItemTable>;
/** A custody event row as stored. */
export type CustodyEventRow = Selectable<CustodyEventTable>;

/** An item row as the domain shape. */
export function toEvidenceItem(row: EvidenceItemRow): EvidenceItem {
  return {
    id: row.id,
    externalId: row.external_id,
    allegationId: row.allegation_id,
    sourceId: row.source_id,
    sha256: row.sha256,
    size: Number(row.size),
    mediaType: row.media_type,
    originalName: row.original_name,
    capturedFrom: row.captured_from,
    capturedAt: row.captured_at,
    capturedBy: row.captured_by,
    tool: row.tool,
    copyKind: row.copy_kind === 'working' ? 'working' : 'original',
    parentSha256: row.parent_sha256,
    transformation: row.transformation,
    createdAt: row.created_at,
  };
}

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

/** A new evidence item's metadata (the bytes are in the blob store, by hash); references resolved to ids. */
export type NewEvidenceItem = Omit<EvidenceItem, 'createdAt'>;

/** Stores a new evidence item's metadata (audited); the stored row. */
export function insertEvidenceItem(w: AuditedWriter, e: NewEvidenceItem): Promise<EvidenceItemRow> {
  return w.insert('evidence_item', {
    id: e.id,
    external_id: e.externalId,
    source_id: e.sourceId,
    allegation_id: e.allegationId,
    sha256: e.sha256,
    size: e.size,
    media_type: e.mediaType,
    original_name: e.originalName,
    captured_from: e.capturedFrom,
    captured_at: e.capturedAt,
    captured_by: e.capturedBy,
    tool: e.tool,
    copy_kind: e.copyKind,
    parent_sha256: e.parentSha256,
    transformation: e.transformation,
  });
}

/** The working copy already made of an original with these bytes, for the same allegation; the oldest when several. */
export function findWorkingCopy(
  db: Db,
  c: { sha256: string; parentSha256: string; allegationId: string | null },
): Promise<EvidenceItemRow | undefined> {
  return db
    .selectFrom('evidence_item')
    .selectAll()
    .where('sha256', '=', c.sha256)
    .where('parent_sha256', '=', c.parentSha256)
    .where('copy_kind', '=', 'working')
    .where((eb) =>
      c.allegationId === null ? eb('allegation_id', 'is', null) : eb('allegation_id', '=', c.allegationId),
    )
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
}

/** A custody event: who did what to an item, when, and why. */
export interface NewCustodyEvent {
  id: string;
  evidenceItemId: string;
  action: string;
  purpose: string | null;
  recipient: string | null;
  detail: Record<string, unknown> | null;
}

/** Appends a custody event by the writer's actor at its time (audited, `custody.<action>`). */
export async function insertCustodyEvent(w: AuditedWriter, e: NewCustodyEvent): Promise<void> {
  await w.insert(
    'custody_event',
    {
      id: e.id,
      evidence_item_id: e.evidenceItemId,
      action: e.action,
      actor: w.ctx.actor,
      at: w.ctx.at,
      purpose: e.purpose,
      recipient: e.recipient,
      detail: e.detail ? toJson(e.detail) : null,
    },
    `custody.${e.action}`,
  );
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
