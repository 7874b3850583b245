/** The writes of sources (`source`), each through the audited writer, typed from the schema; and the look-up by address. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AuditedWriter } from '../audited-writer.ts';
import type { Database, SourceTable } from '../schema.ts';

/** A source's own fields. */
export interface SourceFields {
  kind: string;
  title: string;
  url: string | null;
  outlet: string | null;
  handle: string | null;
  language: string | null;
  publishedAt: string | null;
  collectedAt: string | null;
  collectedBy: string | null;
  reliability: string;
  credibility: string;
  summary: string | null;
  content: string | null;
}

/** A correction of a source: the fields given change, the others keep their values. */
export type SourceChange = { [K in keyof SourceFields]?: Exclude<SourceFields[K], null> };

function sourceColumns(s: SourceChange) {
  return {
    kind: s.kind,
    title: s.title,
    url: s.url,
    outlet: s.outlet,
    handle: s.handle,
    language: s.language,
    published_at: s.publishedAt,
    collected_at: s.collectedAt,
    collected_by: s.collectedBy,
    reliability: s.reliability,
    credibility: s.credibility,
    summary: s.summary,
    content: s.content,
  };
}

/** Stores a new source (audited); the stored row, for the search index. */
export function insertSource(
  w: AuditedWriter,
  s: { id: string; externalId: string | null } & SourceFields,
): Promise<Selectable<SourceTable>> {
  return w.insert('source', {
    id: s.id,
    external_id: s.externalId,
    kind: s.kind,
    title: s.title,
    url: s.url,
    outlet: s.outlet,
    handle: s.handle,
    language: s.language,
    published_at: s.publishedAt,
    collected_at: s.collectedAt,
    collected_by: s.collectedBy,
    reliability: s.reliability,
    credibility: s.credibility,
    summary: s.summary,
    content: s.content,
  });
}

/** Corrects a source: only the fields given change (audited); the stored row, for the search index. */
export function updateSourceFields(
  w: AuditedWriter,
  id: string,
  c: SourceChange,
  expectedVersion: number | undefined,
): Promise<Selectable<SourceTable>> {
  const given = Object.fromEntries(Object.entries(sourceColumns(c)).filter(([, v]) => v !== undefined)) as Partial<
    ReturnType<typeof sourceColumns>
  >;
  return w.update('source', id, given, { expectedVersion });
}

/** The first source recorded for this address. */
export async function findSourceIdByUrl(
  db: Kysely<Database> | Transaction<Database>,
  url: string,
): Promise<string | undefined> {
  const r = await db.selectFrom('source').select('id').where('url', '=', url).orderBy('created_at').executeTakeFirst();
  return r?.id;
}
