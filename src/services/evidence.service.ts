import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { fileTypeFromBuffer } from 'file-type';
import {
  CustodyEventInput,
  EvidenceIntakeInput,
  type CustodyAction,
  type CustodyEvent,
  type EvidenceItem,
} from '../domain/entities/evidence.ts';
import { VigilError } from '../domain/errors.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import type { Database } from '../store/schema.ts';
import { parseJson } from '../store/repositories/json-column.ts';
import {
  findEvidenceItem,
  findSameOriginal,
  insertCustodyEvent,
  insertEvidenceItem,
  listCustodyEvents,
  listEvidenceOfAllegation,
  type CustodyEventRow,
  toEvidenceItem,
  type EvidenceItemRow,
} from '../store/repositories/evidence.repository.ts';
import { may, readable } from './policy.ts';
import type { Actor, Services } from './context.ts';
import { writeContext } from './record-write.ts';
import { resolveOptionalRef } from './references.ts';
import { parseInput } from './validate.ts';

/** The outcome of filing a file. */
export interface Filed {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  /** The same bytes were already filed under the same allegation and source: that item is returned, nothing new is made. */
  duplicate: boolean;
  /** The bytes were already in the blob store (under another item): the new item links to them, no second copy. */
  linked: boolean;
}

/** Default largest file: 4 GiB (VIGIL_MAX_UPLOAD_BYTES overrides it at the API and CLI). */
const DEFAULT_MAX_EVIDENCE_BYTES = 4 * 1024 ** 3;

/** The largest file accepted at the API and CLI: VIGIL_MAX_UPLOAD_BYTES, else 4 GiB. */
export function maxUploadBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.VIGIL_MAX_UPLOAD_BYTES?.trim();
  if (!raw) return DEFAULT_MAX_EVIDENCE_BYTES;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new VigilError('config.invalid', 'VIGIL_MAX_UPLOAD_BYTES must be a positive whole number of bytes');
  return n;
}

const OCTET_STREAM = 'application/octet-stream';

/**
 * Files a file as evidence: streams the bytes into the blob store (hashed as they arrive, EV1),
 * then, in one audited transaction, records the item and its `collected` custody event. The
 * media type is what the bytes are (sniffed), else what the sender declared. Filing the same
 * bytes twice under the same allegation and source returns the first item and logs the second
 * receipt; under another allegation it makes a new item that shares the stored bytes. With a
 * TSA configured, the hash's RFC 3161 token is requested once the filing has committed
 * (evidence-timestamp.service.ts).
 *
 * @example
 *   const filed = await fileEvidence(svc, actor, createReadStream('photo.jpg'), { allegationId, originalName: 'photo.jpg' });
 */
export async function fileEvidence(
  svc: Services,
  actor: Actor,
  bytes: AsyncIterable<Uint8Array>,
  input: unknown,
  opts: { maxBytes?: number } = {},
): Promise<Filed> {
  const meta = parseInput(EvidenceIntakeInput, input);
  // Refuse a bad reference before reading a byte: a 2 GB upload should not be stored to then fail.
  // Plain reads, no transaction: SQLite has one connection, which the visibility check also uses.
  const db = svc.store.db as unknown as Parameters<typeof resolveOptionalRef>[0];
  const allegationId = await resolveOptionalRef(db, 'allegation', meta.allegationId, 'allegationId', actor);
  await resolveOptionalRef(db, 'source', meta.sourceId, 'sourceId', actor);
  const blob = await svc.blobs.put(bytes, { maxBytes: opts.maxBytes ?? DEFAULT_MAX_EVIDENCE_BYTES });
  if (blob.size === 0) throw new VigilError('evidence.empty', 'the file is empty', { path: 'file' });
  const sniffed = (await fileTypeFromBuffer(blob.head))?.mime;
  const mediaType = sniffed ?? meta.mediaType ?? OCTET_STREAM;

  const filed = await runWrite(svc.store, writeContext(svc, actor, meta.purpose), async (w): Promise<Filed> => {
    const sourceId = await resolveOptionalRef(w.trx, 'source', meta.sourceId, 'sourceId', actor);
    const same = await findSameOriginal(w.trx, blob.sha256, allegationId, sourceId);
    if (same) {
      await addCustody(svc, w, same.id, 'received', {
        purpose: meta.purpose ?? 'the same file was submitted again',
        detail: { originalName: meta.originalName ?? null },
      });
      return {
        id: same.id,
        sha256: same.sha256,
        size: same.size,
        mediaType: same.media_type,
        duplicate: true,
        linked: true,
      };
    }
    const id = svc.newId();
    await insertEvidenceItem(w, {
      id,
      externalId: meta.externalId ?? null,
      sourceId,
      allegationId,
      sha256: blob.sha256,
      size: blob.size,
      mediaType,
      originalName: meta.originalName ?? null,
      capturedFrom: meta.capturedFrom ?? null,
      capturedAt: meta.capturedAt ?? null,
      capturedBy: meta.capturedBy ?? actor.id,
      tool: meta.tool ?? null,
      copyKind: 'original',
      parentSha256: null,
      transformation: null,
    });
    await addCustody(svc, w, id, 'collected', {
      purpose: meta.purpose ?? null,
      detail: {
        sha256: blob.sha256,
        size: blob.size,
        declaredMediaType: meta.mediaType ?? null,
        sniffedMediaType: sniffed ?? null,
      },
    });
    return { id, sha256: blob.sha256, size: blob.size, mediaType, duplicate: false, linked: blob.existed };
  });
  // After the commit, in the background: the filing neither waits for the TSA nor fails with it.
  svc.timestamps?.request(filed.sha256);
  return filed;
}

/**
 * Appends a custody event inside a running transaction. Events are only ever inserted: the
 * custody log has no update or delete path.
 */
export async function addCustody(
  svc: Services,
  w: AuditedWriter,
  evidenceItemId: string,
  action: CustodyAction,
  opts: { purpose?: string | null; recipient?: string | null; detail?: Record<string, unknown> | null } = {},
): Promise<string> {
  const id = svc.newId();
  await insertCustodyEvent(w, {
    id,
    evidenceItemId,
    action,
    purpose: opts.purpose ?? null,
    recipient: opts.recipient ?? null,
    detail: opts.detail ?? null,
  });
  return id;
}

/** Records a custody action a person reports (received, analysed, transferred, verified by hand). */
export async function recordCustody(svc: Services, actor: Actor, input: unknown): Promise<{ id: string }> {
  const d = parseInput(CustodyEventInput, input);
  return runWrite(svc.store, writeContext(svc, actor, d.purpose), async (w) => {
    const item = await visibleItem(actor, w.trx, d.evidenceItemId);
    return {
      id: await addCustody(svc, w, item.id, d.action, { purpose: d.purpose ?? null, recipient: d.recipient ?? null }),
    };
  });
}

/**
 * Opens an item's bytes for `actor`, logging the read first (`viewed` or `downloaded`, with the
 * purpose). The stream re-checks the hash (EV3): on a mismatch it fails with
 * `evidence.hash_mismatch`, and the failure is logged as a `verified` event with the result.
 */
export async function openEvidence(
  svc: Services,
  actor: Actor,
  key: string,
  opts: { action?: 'viewed' | 'downloaded'; purpose?: string } = {},
): Promise<{ item: EvidenceItem; stream: Readable; mismatchLogged(): Promise<void> }> {
  const item = await runWrite(svc.store, writeContext(svc, actor, opts.purpose), async (w) => {
    const row = await visibleItem(actor, w.trx, key);
    await addCustody(svc, w, row.id, opts.action ?? 'viewed', { purpose: opts.purpose ?? null });
    return row;
  });
  const stream = await svc.blobs.read(item.sha256);
  let logging: Promise<void> = Promise.resolve();
  stream.on('error', (err) => {
    if (err instanceof VigilError && err.code === 'evidence.hash_mismatch')
      logging = logMismatch(svc, actor, item.id).catch(() => undefined);
  });
  // A short-lived caller (the CLI) awaits this before closing the database, so the mismatch is on record.
  return { item: toEvidenceItem(item), stream, mismatchLogged: () => logging };
}

/** Logs that an item's stored bytes failed their hash check. */
export function logMismatch(svc: Services, actor: Actor, itemId: string): Promise<void> {
  return runWrite(svc.store, writeContext(svc, actor, 'the stored bytes no longer match their hash'), async (w) => {
    await addCustody(svc, w, itemId, 'verified', { detail: { result: 'hash_mismatch' } });
  });
}

/** An item (id or external id) and its custody log, if `actor` may see it. */
export async function getEvidence(
  svc: Services,
  actor: Actor,
  key: string,
): Promise<{ item: EvidenceItem; custody: CustodyEvent[] }> {
  const item = await visibleItem(actor, svc.store.db, key);
  const custody = (await listCustodyEvents(svc.store.db, item.id)).map(presentCustody);
  return { item: toEvidenceItem(item), custody };
}

/** A custody row as the domain shape. */
function presentCustody(row: CustodyEventRow): CustodyEvent {
  return {
    id: row.id,
    evidenceItemId: row.evidence_item_id,
    action: row.action as CustodyAction,
    actor: row.actor,
    at: row.at,
    purpose: row.purpose,
    recipient: row.recipient,
    detail: parseJson<Record<string, unknown> | null>(row.detail, null),
  };
}

type Handle = Parameters<typeof findEvidenceItem>[0];

/** The item, or `record.not_found` when it does not exist or need-to-know hides it from `actor` (404, not 403: PR3). */
async function visibleItem(actor: Actor, db: Handle, key: string): Promise<EvidenceItemRow> {
  const item = await findEvidenceItem(db, key);
  if (!item || !(await may(db as Kysely<Database>, actor, 'read', 'evidence_item', item.id))) {
    throw new VigilError('record.not_found', `no evidence item "${key}"`, { path: 'id' });
  }
  return item;
}

/**
 * An allegation's evidence items (originals and working copies, oldest first) that `actor` may
 * see: an item also filed under a source of a case outside the actor's teams stays out
 * (need-to-know). The allegation is an id the caller has already checked `actor` may see.
 */
export async function evidenceOfAllegation(svc: Services, actor: Actor, allegationId: string): Promise<EvidenceItem[]> {
  const rows = await listEvidenceOfAllegation(svc.store.db, allegationId);
  return (await readable(svc.store.db, actor, 'evidence_item', rows, (i) => i.id)).map(toEvidenceItem);
}
