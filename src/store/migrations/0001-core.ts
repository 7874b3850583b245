import type { CreateTableBuilder } from 'kysely';
import type { MigrationDb } from './migration-db.ts';

/** Columns every versioned record has. */
function versioned<T extends string>(t: CreateTableBuilder<T, never>) {
  return t
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull());
}

/** The core schema. Schema only: reference and demo data are seeded by code. */
export async function up(db: MigrationDb): Promise<void> {
  await versioned(db.schema.createTable('app_user'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .execute();

  await versioned(db.schema.createTable('organization'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_ru', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .execute();

  await versioned(db.schema.createTable('facility'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_ru', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('kind_detail', 'text')
    .addColumn('code', 'text')
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('authority', 'text')
    .addColumn('region', 'text')
    .addColumn('city', 'text')
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer')
    .addColumn('cells', 'integer')
    .addColumn('notes', 'text')
    .execute();

  await versioned(db.schema.createTable('person'))
    .addColumn('pseudonym', 'text', (c) => c.notNull().unique())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('public_name', 'text')
    .addColumn('public_role', 'text')
    .addColumn('organization_id', 'text', (c) => c.references('organization.id'))
    .addColumn('perpetrator_kind', 'text')
    .addColumn('is_unit', 'integer', (c) => c.notNull())
    .addColumn('custody', 'text', (c) => c.notNull())
    .addColumn('risk', 'text', (c) => c.notNull())
    .addColumn('name_enc', 'text')
    .addColumn('name_index', 'text')
    .addColumn('birth_date_enc', 'text')
    .addColumn('contacts_enc', 'text')
    .addColumn('notes_enc', 'text')
    .execute();
  await db.schema.createIndex('person_name_index').on('person').column('name_index').execute();

  await versioned(db.schema.createTable('source'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('outlet', 'text')
    .addColumn('handle', 'text')
    .addColumn('language', 'text')
    .addColumn('published_at', 'text')
    .addColumn('collected_at', 'text')
    .addColumn('collected_by', 'text')
    .addColumn('reliability', 'text', (c) => c.notNull())
    .addColumn('credibility', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('content', 'text')
    .execute();

  await versioned(db.schema.createTable('statement'))
    .addColumn('speaker_label', 'text', (c) => c.notNull())
    .addColumn('speaker_person_id', 'text', (c) => c.references('person.id'))
    .addColumn('speaker_organization_id', 'text', (c) => c.references('organization.id'))
    .addColumn('stated_on', 'text')
    .addColumn('stated_precision', 'text', (c) => c.notNull())
    .addColumn('stated_text', 'text')
    .addColumn('source_id', 'text', (c) => c.notNull().references('source.id'))
    .addColumn('stance', 'text', (c) => c.notNull())
    .addColumn('gist', 'text', (c) => c.notNull())
    .addColumn('quote', 'text')
    .addColumn('facility_id', 'text', (c) => c.references('facility.id'))
    .addColumn('review_rating', 'text')
    .addColumn('review_rationale', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .execute();

  await versioned(db.schema.createTable('area'))
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facility.id'))
    .addColumn('parent_id', 'text', (c) => c.references('area.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('label_ru', 'text')
    .addColumn('count', 'integer')
    .addColumn('floors', 'text')
    .addColumn('location', 'text')
    .addColumn('access', 'text')
    .addColumn('declared_use', 'text', (c) => c.notNull())
    .addColumn('declared_by', 'text')
    .addColumn('declared_in_statement_id', 'text', (c) => c.references('statement.id'))
    .addColumn('notes', 'text')
    .execute();
  await db.schema.createIndex('area_facility').on('area').column('facility_id').execute();

  await versioned(db.schema.createTable('reported_figure'))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('value_max', 'double precision')
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('counts_label', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text')
    .addColumn('as_of_precision', 'text', (c) => c.notNull())
    .addColumn('as_of_text', 'text')
    .addColumn('speaker_label', 'text', (c) => c.notNull())
    .addColumn('statement_id', 'text', (c) => c.references('statement.id'))
    .addColumn('source_id', 'text', (c) => c.notNull().references('source.id'))
    .execute();

  await versioned(db.schema.createTable('allegation'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('period_start', 'text')
    .addColumn('period_end', 'text')
    .addColumn('period_precision', 'text', (c) => c.notNull())
    .addColumn('period_text', 'text')
    .addColumn('facility_id', 'text', (c) => c.references('facility.id'))
    .addColumn('area_id', 'text', (c) => c.references('area.id'))
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('classification_rationale', 'text')
    .addColumn('cat_checklist', 'text')
    .addColumn('verification_status', 'text', (c) => c.notNull())
    .addColumn('prior_status', 'text')
    .addColumn('sensitivity', 'text', (c) => c.notNull())
    .addColumn('risk', 'text', (c) => c.notNull())
    .addColumn('urgent', 'integer', (c) => c.notNull())
    .addColumn('consent', 'text', (c) => c.notNull())
    .addColumn('duplicate_of', 'text', (c) => c.references('allegation.id'))
    .execute();
  await db.schema.createIndex('allegation_facility').on('allegation').column('facility_id').execute();

  await db.schema
    .createTable('allegation_act')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('allegation_id', 'text', (c) => c.notNull().references('allegation.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('victim_id', 'text', (c) => c.references('person.id'))
    .addColumn('area_id', 'text', (c) => c.references('area.id'))
    .addColumn('description', 'text')
    .execute();
  await db.schema.createIndex('allegation_act_allegation').on('allegation_act').column('allegation_id').execute();

  await db.schema
    .createTable('allegation_person')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('allegation_id', 'text', (c) => c.notNull().references('allegation.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('perpetrator_kind', 'text')
    .execute();
  await db.schema.createIndex('allegation_person_allegation').on('allegation_person').column('allegation_id').execute();

  await db.schema
    .createTable('allegation_source')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('allegation_id', 'text', (c) => c.notNull().references('allegation.id'))
    .addColumn('source_id', 'text', (c) => c.notNull().references('source.id'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('allegation_source_allegation').on('allegation_source').column('allegation_id').execute();

  await versioned(db.schema.createTable('evidence_item'))
    .addColumn('source_id', 'text', (c) => c.references('source.id'))
    .addColumn('allegation_id', 'text', (c) => c.references('allegation.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text')
    .addColumn('captured_from', 'text')
    .addColumn('captured_at', 'text')
    .addColumn('captured_by', 'text')
    .addColumn('tool', 'text')
    .addColumn('copy_kind', 'text', (c) => c.notNull())
    .addColumn('parent_sha256', 'text')
    .addColumn('transformation', 'text')
    .execute();

  await versioned(db.schema.createTable('proceeding'))
    .addColumn('allegation_id', 'text', (c) => c.references('allegation.id'))
    .addColumn('parent_id', 'text', (c) => c.references('proceeding.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('erdr_number', 'text')
    .addColumn('code_article', 'text')
    .addColumn('code_part', 'text')
    .addColumn('outcome', 'text')
    .addColumn('opened_on', 'text', (c) => c.notNull())
    .addColumn('stage_on', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('proceeding_stage')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('proceeding_id', 'text', (c) => c.notNull().references('proceeding.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.references('source.id'))
    .addColumn('decided_by', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();

  await versioned(db.schema.createTable('visit'))
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facility.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('visit_date', 'text', (c) => c.notNull())
    .addColumn('visit_type', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('safeguards', 'text', (c) => c.notNull())
    .addColumn('findings', 'text')
    .addColumn('findings_public', 'text')
    .addColumn('response_due', 'text')
    .execute();

  await versioned(db.schema.createTable('recommendation'))
    .addColumn('visit_id', 'text', (c) => c.notNull().references('visit.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('addressee', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_entry')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('state_hash', 'text')
    .addColumn('reason', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_entry_entity').on('audit_entry').columns(['entity_type', 'entity_id']).execute();

  // Counters for human-readable numbers (pseudonyms); derived, so not audited themselves.
  await db.schema
    .createTable('counter')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('audit_head')
    .values({ id: 1, seq: 0, hash: '0'.repeat(64), updated_at: new Date(0).toISOString() })
    .execute();
}

/** Dropping the core schema would destroy evidence; refuse. */
export async function down(): Promise<void> {
  throw new Error('the core schema cannot be rolled back');
}
