import { EvidenceItemInput, SourceInput } from '../domain/entities/source.ts';
import type { AuditedWriter } from '../store/audited-writer.ts';
import { orNull } from '../store/repositories/json-column.ts';
import { indexSource } from '../store/search-index.ts';
import type { Actor, Services } from './context.ts';
import { createRecord, type Created } from './record-write.ts';
import { resolveOptionalRef } from './references.ts';

/** Records where information came from: an article, a post, a testimony… */
export function createSource(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(svc, actor, 'source', SourceInput, input, async (w, d, id) => {
    const row = await w.insert('source', {
      id, external_id: d.externalId ?? null, kind: d.kind, title: d.title, url: orNull(d.url), outlet: orNull(d.outlet),
      handle: orNull(d.handle), language: orNull(d.language), published_at: orNull(d.publishedAt),
      collected_at: orNull(d.collectedAt), collected_by: orNull(d.collectedBy) ?? actor.id,
      reliability: d.reliability, credibility: d.credibility, summary: orNull(d.summary), content: orNull(d.content),
    });
    await indexSource(w.trx, row);
  }, { writer });
}

/** Records the metadata of a preserved file (the bytes are in the blob store, by hash). */
export function createEvidenceItem(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(svc, actor, 'evidence_item', EvidenceItemInput, input, async (w, d, id) => {
    await w.insert('evidence_item', {
      id, external_id: d.externalId ?? null,
      source_id: await resolveOptionalRef(w.trx, 'source', d.sourceId, 'sourceId'),
      allegation_id: await resolveOptionalRef(w.trx, 'allegation', d.allegationId, 'allegationId'),
      sha256: d.sha256, size: d.size, media_type: d.mediaType, original_name: orNull(d.originalName),
      captured_from: orNull(d.capturedFrom), captured_at: orNull(d.capturedAt), captured_by: orNull(d.capturedBy) ?? actor.id,
      tool: orNull(d.tool), copy_kind: d.copyKind, parent_sha256: orNull(d.parentSha256), transformation: orNull(d.transformation),
    });
  }, { writer });
}
