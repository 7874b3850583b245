import { EvidenceItemInput, SourceInput } from '../domain/entities/source.ts';
import { runWrite, type AuditedWriter, type InsertValues } from '../store/audited-writer.ts';
import { indexSource } from '../store/search-index.ts';
import { toColumns, type ColumnMap } from './column-map.ts';
import type { Actor, Services } from './context.ts';
import { createRecord, updateSchema, writeContext, type Created } from './record-write.ts';
import { resolveOptionalRef } from './references.ts';
import { parseInput } from './validate.ts';

const SOURCE_COLUMNS: ColumnMap = {
  kind: 'kind',
  title: 'title',
  url: 'url',
  outlet: 'outlet',
  handle: 'handle',
  language: 'language',
  publishedAt: 'published_at',
  collectedAt: 'collected_at',
  collectedBy: 'collected_by',
  reliability: 'reliability',
  credibility: 'credibility',
  summary: 'summary',
  content: 'content',
};

const EVIDENCE_COLUMNS: ColumnMap = {
  sha256: 'sha256',
  size: 'size',
  mediaType: 'media_type',
  originalName: 'original_name',
  capturedFrom: 'captured_from',
  capturedAt: 'captured_at',
  capturedBy: 'captured_by',
  tool: 'tool',
  copyKind: 'copy_kind',
  parentSha256: 'parent_sha256',
  transformation: 'transformation',
};

/** Records where information came from: an article, a post, a testimony… */
export function createSource(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'source',
    SourceInput,
    input,
    async (w, d, id) => {
      const row = await w.insert('source', {
        id,
        external_id: d.externalId ?? null,
        ...toColumns(SOURCE_COLUMNS, d),
        collected_by: d.collectedBy ?? actor.id,
      } as InsertValues<'source'>);
      await indexSource(w.trx, row);
    },
    { writer },
  );
}

const SourceUpdate = updateSchema(SourceInput.shape);

/** Changes a source's fields or ratings. */
export async function updateSource(
  svc: Services,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ version: number }> {
  const d = parseInput(SourceUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const row = await w.update('source', id, toColumns(SOURCE_COLUMNS, d, true), { expectedVersion: d.version });
    await indexSource(w.trx, row);
    return { version: row.version };
  });
}

/** Records the metadata of a preserved file (the bytes are in the blob store, by hash). */
export function createEvidenceItem(
  svc: Services,
  actor: Actor,
  input: unknown,
  writer?: AuditedWriter,
): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'evidence_item',
    EvidenceItemInput,
    input,
    async (w, d, id) => {
      await w.insert('evidence_item', {
        id,
        external_id: d.externalId ?? null,
        ...toColumns(EVIDENCE_COLUMNS, d),
        captured_by: d.capturedBy ?? actor.id,
        source_id: await resolveOptionalRef(w.trx, 'source', d.sourceId, 'sourceId', actor),
        allegation_id: await resolveOptionalRef(w.trx, 'allegation', d.allegationId, 'allegationId', actor),
      } as InsertValues<'evidence_item'>);
    },
    { writer },
  );
}
