import { EvidenceItemInput, SourceInput } from '../domain/entities/source.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import { insertEvidenceItem } from '../store/repositories/evidence.repository.ts';
import { insertSource, updateSourceFields } from '../store/repositories/source.repository.ts';
import { indexSource } from '../store/search-index.ts';
import type { Actor, Services } from './context.ts';
import { createRecord, updateSchema, writeContext, type Created } from './record-write.ts';
import { resolveOptionalRef } from './references.ts';
import { parseInput } from './validate.ts';

/** Records where information came from: an article, a post, a testimony… */
export function createSource(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'source',
    SourceInput,
    input,
    async (w, d, id) => {
      const row = await insertSource(w, {
        id,
        externalId: d.externalId ?? null,
        kind: d.kind,
        title: d.title,
        url: d.url ?? null,
        outlet: d.outlet ?? null,
        handle: d.handle ?? null,
        language: d.language ?? null,
        publishedAt: d.publishedAt ?? null,
        collectedAt: d.collectedAt ?? null,
        collectedBy: d.collectedBy ?? actor.id,
        reliability: d.reliability,
        credibility: d.credibility,
        summary: d.summary ?? null,
        content: d.content ?? null,
      });
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
    const { version, ...change } = d;
    const row = await updateSourceFields(w, id, change, version);
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
      await insertEvidenceItem(w, {
        id,
        externalId: d.externalId ?? null,
        sha256: d.sha256,
        size: d.size,
        mediaType: d.mediaType,
        originalName: d.originalName ?? null,
        capturedFrom: d.capturedFrom ?? null,
        capturedAt: d.capturedAt ?? null,
        capturedBy: d.capturedBy ?? actor.id,
        tool: d.tool ?? null,
        copyKind: d.copyKind,
        parentSha256: d.parentSha256 ?? null,
        transformation: d.transformation ?? null,
        sourceId: await resolveOptionalRef(w.trx, 'source', d.sourceId, 'sourceId', actor),
        allegationId: await resolveOptionalRef(w.trx, 'allegation', d.allegationId, 'allegationId', actor),
      });
    },
    { writer },
  );
}
