import type { MigrationDb } from './migration-db.ts';

/**
 * Indexes for need-to-know along links (src/store/repositories/need-to-know.repository.ts):
 * whether a person, source, evidence item or proceeding is linked to a confidential case is
 * asked for every row of a list, so each link is looked up by the linked record's id.
 */
const INDEXES: ReadonlyArray<[name: string, table: string, columns: string[]]> = [
  ['allegation_person_person', 'allegation_person', ['person_id']],
  ['allegation_act_victim', 'allegation_act', ['victim_id']],
  ['allegation_source_source', 'allegation_source', ['source_id']],
  ['allegation_assignment_allegation_user', 'allegation_assignment', ['allegation_id', 'user_id']],
  ['evidence_item_source', 'evidence_item', ['source_id']],
  ['proceeding_allegation', 'proceeding', ['allegation_id']],
  ['proceeding_parent', 'proceeding', ['parent_id']],
  ['proceeding_stage_source', 'proceeding_stage', ['source_id']],
  ['extraction_source', 'extraction', ['source_id']],
];

export async function up(db: MigrationDb): Promise<void> {
  for (const [name, table, columns] of INDEXES)
    await db.schema.createIndex(name).ifNotExists().on(table).columns(columns).execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).ifExists().execute();
}
