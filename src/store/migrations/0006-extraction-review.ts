import type { CreateTableBuilder } from 'kysely';
import type { MigrationDb } from './migration-db.ts';

/** Columns every versioned record has (as in 0001-core). */
function versioned<T extends string>(t: CreateTableBuilder<T, never>) {
  return t
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull());
}

/**
 * The review queue (docs/review-queue.md): an `extraction` is one run of the extractor over an
 * article, kept with the article's text so every span can be shown; a `proposed_fact` is one fact
 * it proposed, waiting for a person's decision. Both are audited records. An accepted fact keeps
 * its span and names the record it became (`record_type`, `record_id`: any table, so no foreign key).
 * Portable column types only, like 0001-core; payloads are JSON text.
 */
export async function up(db: MigrationDb): Promise<void> {
  await versioned(db.schema.createTable('extraction'))
    .addColumn('source_id', 'text', (c) => c.references('source.id'))
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('title', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('text_sha256', 'text', (c) => c.notNull())
    .addColumn('extractor_version', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('extraction_text_sha256').on('extraction').column('text_sha256').execute();

  await versioned(db.schema.createTable('proposed_fact'))
    .addColumn('extraction_id', 'text', (c) => c.notNull().references('extraction.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('edits', 'text')
    .addColumn('span_start', 'integer', (c) => c.notNull())
    .addColumn('span_end', 'integer', (c) => c.notNull())
    .addColumn('confidence', 'double precision', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('record_type', 'text')
    .addColumn('record_id', 'text')
    .execute();
  await db.schema
    .createIndex('proposed_fact_extraction')
    .on('proposed_fact')
    .columns(['extraction_id', 'seq'])
    .execute();
  await db.schema.createIndex('proposed_fact_status').on('proposed_fact').columns(['status', 'created_at']).execute();
  await db.schema
    .createIndex('proposed_fact_record')
    .on('proposed_fact')
    .columns(['record_type', 'record_id'])
    .execute();
}

/** Dropping the queue would lose who decided what about which words; refuse. */
export async function down(): Promise<void> {
  throw new Error('the review queue cannot be dropped');
}
