import type { MigrationDb } from './migration-db.ts';

/**
 * Chain of custody: one row per action on a preserved item (collected, viewed, exported…),
 * written once and never changed. Each row is an audited record, so its state hash sits in the
 * audit chain and `vigil verify` catches an edit or a deletion made behind Vigil's back.
 * Portable column types only (text, integer), like 0001-core.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('custody_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('evidence_item_id', 'text', (c) => c.notNull().references('evidence_item.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text')
    .addColumn('recipient', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('custody_event_item').on('custody_event').columns(['evidence_item_id', 'at']).execute();
  await db.schema.createIndex('evidence_item_sha256').on('evidence_item').column('sha256').execute();
  await db.schema.createIndex('evidence_item_allegation').on('evidence_item').column('allegation_id').execute();
}

/** Dropping the custody log would erase who handled the evidence; refuse. */
export async function down(): Promise<void> {
  throw new Error('the custody log cannot be dropped');
}
