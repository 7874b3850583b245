import type { Selectable, Transaction } from 'kysely';
import { indexTerms } from '../domain/text/index.ts';
import { ACT_KINDS } from '../domain/vocabularies.ts';
import type { AllegationTable, Database, FacilityTable, SourceTable, StatementTable } from './schema.ts';
import { parseJson } from './repositories/json-column.ts';

/** What a search document says about a record: its text and its facets. */
interface SearchDoc {
  entityType: 'facility' | 'source' | 'statement' | 'allegation';
  entityId: string;
  title: string;
  body: string;
  facilityId: string | null;
  classification: string | null;
  status: string | null;
  year: number | null;
}

function yearOf(date: string | null): number | null {
  const m = date ? /^(\d{4})/.exec(date) : null;
  return m ? Number(m[1]) : null;
}

function joinText(parts: Array<string | null | undefined>): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n');
}

/** Replaces a record's search document (the index is derived data, written in the record's transaction). */
async function upsertSearchDoc(trx: Transaction<Database>, doc: SearchDoc): Promise<void> {
  await trx
    .deleteFrom('search_doc')
    .where('entity_type', '=', doc.entityType)
    .where('entity_id', '=', doc.entityId)
    .execute();
  await trx
    .insertInto('search_doc')
    .values({
      entity_type: doc.entityType,
      entity_id: doc.entityId,
      title: doc.title,
      body: doc.body,
      terms: indexTerms(joinText([doc.title, doc.body])),
      facility_id: doc.facilityId,
      classification: doc.classification,
      status: doc.status,
      year: doc.year,
    })
    .execute();
}

/** Indexes a facility under its names, code and aliases in every script. */
export function indexFacility(trx: Transaction<Database>, r: Selectable<FacilityTable>): Promise<void> {
  const aliases = parseJson<string[]>(r.aliases, []);
  return upsertSearchDoc(trx, {
    entityType: 'facility',
    entityId: r.id,
    title: r.name,
    body: joinText([r.name_ru, r.code, ...aliases, r.city, r.region, r.notes]),
    facilityId: r.id,
    classification: null,
    status: null,
    year: null,
  });
}

/** Indexes a source's title, summary and full text. */
export function indexSource(trx: Transaction<Database>, r: Selectable<SourceTable>): Promise<void> {
  return upsertSearchDoc(trx, {
    entityType: 'source',
    entityId: r.id,
    title: r.title,
    body: joinText([r.outlet, r.handle, r.summary, r.content]),
    facilityId: null,
    classification: null,
    status: r.kind,
    year: yearOf(r.published_at),
  });
}

/** Indexes a statement's speaker, gist and quote; its facet status is the stance. */
export function indexStatement(trx: Transaction<Database>, r: Selectable<StatementTable>): Promise<void> {
  return upsertSearchDoc(trx, {
    entityType: 'statement',
    entityId: r.id,
    title: `${r.speaker_label}: ${r.gist}`.slice(0, 300),
    body: joinText([r.gist, r.quote, r.stated_text]),
    facilityId: r.facility_id,
    classification: null,
    status: r.stance,
    year: yearOf(r.stated_on),
  });
}

/** Indexes an allegation's title, summary and acts (in English and Russian); never a person's identity. */
export function indexAllegation(
  trx: Transaction<Database>,
  r: Selectable<AllegationTable>,
  actKinds: readonly string[],
): Promise<void> {
  const acts = actKinds.map((k) => {
    const t = ACT_KINDS.find((a) => a.id === k);
    return t ? `${t.en} ${t.ru}` : k;
  });
  return upsertSearchDoc(trx, {
    entityType: 'allegation',
    entityId: r.id,
    title: r.title,
    body: joinText([r.summary, r.period_text, ...acts]),
    facilityId: r.facility_id,
    classification: r.classification,
    status: r.verification_status,
    year: yearOf(r.period_start),
  });
}
