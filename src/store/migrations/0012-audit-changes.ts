import type { MigrationDb } from './migration-db.ts';

/**
 * What an audit entry says changed (issue 11): `changes`, canonical JSON text of
 * `[{ field, from, to } | { field, changed: true }]` (src/store/audit-changes.ts), part of what the
 * entry's hash covers when present. Null on notes and on every entry written before this migration,
 * whose bytes and hashes stay exactly as they were. Text, not jsonb: the stored bytes are hashed as
 * they are, and PostgreSQL would reorder a jsonb value. Schema only.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('audit_entry').addColumn('changes', 'text').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('audit_entry').dropColumn('changes').execute();
}
